"""Records single transitions and short trajectories of Gymnasium's classic-control environments.

Run with the gymnasium package installed:  python3 generate_classic.py
Writes classic.json next to this script.  For every environment:
  rows:  [state, action, next_state, observation, reward, terminated] with the state set through
         env.unwrapped.state and one call to step();
  trajectories: {"start": state after reset, "actions": [...], "steps": [[state, obs, reward, terminated], ...]}.
States are the environment's internal float64 values (float32 for MountainCarContinuous, whose
step stores its state as float32); observations are Gymnasium's float32 values widened to float.
Continuous actions are passed as float64 arrays, so no float32 rounding of the action occurs.
"""
import json
import math
import os

import gymnasium as gym
import numpy as np

rng = np.random.default_rng(20240611)
PI = math.pi


def f(xs):
    return [float(x) for x in np.asarray(xs, dtype=np.float64).ravel()]


def one_step(env, state, action, state_dtype=np.float64):
    env.unwrapped.state = np.array(state, dtype=state_dtype)
    if hasattr(env.unwrapped, "steps_beyond_terminated"):
        env.unwrapped.steps_beyond_terminated = None  # each row is a fresh, non-terminal step
    before = f(env.unwrapped.state)
    act = np.array([action], dtype=np.float64) if isinstance(action, float) else int(action)
    obs, reward, terminated, truncated, _ = env.unwrapped.step(act)
    return [before, action, f(env.unwrapped.state), f(obs), float(reward), bool(terminated)]


def trajectories(env, count, length, sample_action):
    out = []
    for k in range(count):
        env.reset(seed=1000 + k)
        start = f(env.unwrapped.state)
        actions, steps = [], []
        for _ in range(length):
            a = sample_action()
            act = np.array([a], dtype=np.float64) if isinstance(a, float) else int(a)
            obs, reward, terminated, truncated, _ = env.unwrapped.step(act)
            actions.append(a)
            steps.append([f(env.unwrapped.state), f(obs), float(reward), bool(terminated)])
            if terminated:
                break
        out.append({"start": start, "actions": actions, "steps": steps})
    return out


def u(lo, hi):
    return float(rng.uniform(lo, hi))


def cartpole():
    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    rows = []
    for _ in range(240):
        s = [u(-2.6, 2.6), u(-3, 3), u(-0.25, 0.25), u(-3.5, 3.5)]
        rows.append(one_step(env, s, int(rng.integers(2))))
    th = 12 * 2 * PI / 360
    for _ in range(60):  # near the termination thresholds, on both sides
        s = [u(-2.45, 2.45), u(-1, 1), u(-th - 0.01, th + 0.01), u(-1, 1)]
        if rng.random() < 0.5:
            s[0] = float(rng.choice([-2.4, 2.4])) + u(-0.02, 0.02)
        rows.append(one_step(env, s, int(rng.integers(2))))
    return env, rows, trajectories(env, 6, 60, lambda: int(rng.integers(2)))


def pendulum():
    env = gym.make("Pendulum-v1")
    env.reset(seed=0)
    rows = []
    for _ in range(220):
        rows.append(one_step(env, [u(-3 * PI, 3 * PI), u(-8, 8)], u(-2.5, 2.5)))
    for _ in range(50):  # speed clipping: fast and pushed further
        rows.append(one_step(env, [u(-PI, PI), float(rng.choice([-1, 1])) * u(7.5, 8)], u(-2, 2)))
    for th, thdot, a in [(PI, 0.0, 2.0), (-PI, 0.0, -2.0), (0.0, 0.0, 0.0), (PI, 8.0, 3.0),
                         (3 * PI, -8.0, -3.0), (1e-12, 1e-12, 1e-12), (2 * PI, 1.0, 0.5)]:
        rows.append(one_step(env, [th, thdot], a))
    return env, rows, trajectories(env, 6, 60, lambda: u(-2.2, 2.2))


def pendulum_g():
    env = gym.make("Pendulum-v1", g=9.81)
    env.reset(seed=0)
    rows = [one_step(env, [u(-PI, PI), u(-8, 8)], u(-2, 2)) for _ in range(60)]
    return env, rows, []


def mountain_car():
    env = gym.make("MountainCar-v0")
    env.reset(seed=0)
    rows = []
    for _ in range(220):
        rows.append(one_step(env, [u(-1.2, 0.6), u(-0.07, 0.07)], int(rng.integers(3))))
    for _ in range(40):  # left wall and goal edge
        rows.append(one_step(env, [u(-1.2, -1.15), u(-0.07, 0.0)], int(rng.integers(3))))
        rows.append(one_step(env, [u(0.44, 0.6), u(-0.01, 0.07)], int(rng.integers(3))))
    rows.append(one_step(env, [-1.2, -0.07], 0))
    rows.append(one_step(env, [0.6, 0.07], 2))
    return env, rows, trajectories(env, 6, 80, lambda: int(rng.integers(3)))


def mountain_car_continuous():
    env = gym.make("MountainCarContinuous-v0")
    env.reset(seed=0)
    rows = []
    f32 = np.float32
    for _ in range(220):
        rows.append(one_step(env, [u(-1.2, 0.6), u(-0.07, 0.07)], u(-1.5, 1.5), f32))
    for _ in range(40):
        rows.append(one_step(env, [u(-1.2, -1.15), u(-0.07, 0.0)], u(-1.2, 1.2), f32))
        rows.append(one_step(env, [u(0.4, 0.6), u(-0.01, 0.07)], u(-1.2, 1.2), f32))
    rows.append(one_step(env, [-1.2, -0.07], -1.0, f32))
    rows.append(one_step(env, [0.6, 0.07], 1.0, f32))
    return env, rows, trajectories(env, 6, 80, lambda: u(-1.1, 1.1))


def acrobot():
    env = gym.make("Acrobot-v1")
    env.reset(seed=0)
    rows = []
    v1, v2 = 4 * PI, 9 * PI
    for _ in range(220):
        rows.append(one_step(env, [u(-PI, PI), u(-PI, PI), u(-v1, v1), u(-v2, v2)], int(rng.integers(3))))
    for _ in range(40):  # high speeds (bounded) and near-terminal configurations
        rows.append(one_step(env, [u(-PI, PI), u(-PI, PI), u(-1.2 * v1, 1.2 * v1), u(-1.2 * v2, 1.2 * v2)],
                             int(rng.integers(3))))
        rows.append(one_step(env, [PI + u(-0.8, 0.8), u(-0.8, 0.8), u(-1, 1), u(-1, 1)], int(rng.integers(3))))
    return env, rows, trajectories(env, 6, 40, lambda: int(rng.integers(3)))


builders = {
    "CartPole": cartpole,
    "Pendulum": pendulum,
    "PendulumG981": pendulum_g,
    "MountainCar": mountain_car,
    "MountainCarContinuous": mountain_car_continuous,
    "Acrobot": acrobot,
}
envs = {}
for name, build in builders.items():
    env, rows, trajs = build()
    envs[name] = {"id": env.spec.id, "max_episode_steps": env.spec.max_episode_steps,
                  "rows": rows, "trajectories": trajs}
    env.close()

data = {
    "generator": "generate_classic.py",
    "gymnasium_version": gym.__version__,
    "numpy_version": np.__version__,
    "envs": envs,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "classic.json")
with open(path, "w") as fh:
    json.dump(data, fh, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
for name, e in envs.items():
    print(name, len(e["rows"]), "rows,", sum(len(t["steps"]) for t in e["trajectories"]), "trajectory steps,",
          sum(r[5] for r in e["rows"]), "terminal rows")
