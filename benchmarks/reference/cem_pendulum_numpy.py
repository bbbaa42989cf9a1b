"""CEM model-predictive control on Pendulum-v1 with the true model, in numpy: the settings of
benchmarks/swift (horizon 30, population 400, 40 elites, 5 iterations, smoothing 0.1, warm
start by shifting the mean, the first action of the mean executed, as PETS does; Chua et al.
2018). Rollouts are vectorised over the population, one numpy call chain per time step.

The dynamics are gymnasium's Pendulum-v1 (gymnasium/envs/classic_control/pendulum.py):
reward -(angle_normalize(th)^2 + 0.1 thdot^2 + 0.001 u^2), thdot clipped to [-8, 8].

usage: python3 cem_pendulum_numpy.py EPISODES STEPS   prints: model_transitions cpu_seconds steps mean_return
"""
import sys
import time

import numpy as np

G, M, L, DT, MAX_SPEED, MAX_TORQUE = 10.0, 1.0, 1.0, 0.05, 8.0, 2.0


def angle_normalize(x):
    return ((x + np.pi) % (2 * np.pi)) - np.pi


def pendulum_step(th, thdot, u):
    """Vectorised Pendulum-v1 step over arrays of states and torques."""
    u = np.clip(u, -MAX_TORQUE, MAX_TORQUE)
    costs = angle_normalize(th) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
    newthdot = thdot + (3 * G / (2 * L) * np.sin(th) + 3.0 / (M * L**2) * u) * DT
    newthdot = np.clip(newthdot, -MAX_SPEED, MAX_SPEED)
    newth = th + newthdot * DT
    return newth, newthdot, -costs


class CEM:
    def __init__(self, horizon=30, population=400, elites=40, iterations=5, alpha=0.1, seed=0):
        self.h, self.pop, self.k, self.iters, self.alpha = horizon, population, elites, iterations, alpha
        self.rng = np.random.default_rng(seed)
        self.mean = np.zeros(horizon)
        self.model_steps = 0

    def reset(self):
        self.mean = np.zeros(self.h)

    def act(self, th, thdot):
        mean = np.concatenate([self.mean[1:], [0.0]])  # warm start: shift, append the initial mean
        std = np.full(self.h, (MAX_TORQUE - -MAX_TORQUE) / 4)
        for _ in range(self.iters):
            plans = np.clip(mean + std * self.rng.standard_normal((self.pop, self.h)), -MAX_TORQUE, MAX_TORQUE)
            s_th, s_thdot = np.full(self.pop, th), np.full(self.pop, thdot)
            returns = np.zeros(self.pop)
            for t in range(self.h):
                s_th, s_thdot, r = pendulum_step(s_th, s_thdot, plans[:, t])
                returns += r
            self.model_steps += self.pop * self.h
            elite = plans[np.argsort(-returns)[: self.k]]
            mean = self.alpha * mean + (1 - self.alpha) * elite.mean(axis=0)
            std = np.sqrt(self.alpha * std**2 + (1 - self.alpha) * elite.var(axis=0))
        self.mean = mean
        return mean[0]


def run(episodes, steps, seed=0):
    rng = np.random.default_rng(seed)
    planner = CEM(seed=seed)
    total_return = 0.0
    t0 = time.process_time()
    for _ in range(episodes):
        th, thdot = rng.uniform(-np.pi, np.pi), rng.uniform(-1, 1)
        planner.reset()
        for _ in range(steps):
            u = planner.act(th, thdot)
            th, thdot, r = pendulum_step(th, thdot, u)
            total_return += r
    return planner.model_steps, time.process_time() - t0, episodes * steps, total_return / episodes


if __name__ == "__main__":
    episodes, steps = (int(x) for x in (sys.argv[1:3] if len(sys.argv) > 2 else (1, 200)))
    n, secs, real, ret = run(episodes, steps)
    print(n, f"{secs:.6f}", real, f"{ret:.1f}")
