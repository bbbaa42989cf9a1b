"""UCT (Kocsis & Szepesvari 2006) on CartPole-v1 with the true model, in plain Python: the same
search as Mull's MCTS with UCT selection and the settings of benchmarks/swift (untried actions
first, then Q + c sqrt(ln N / n); a new leaf valued by a uniformly random rollout to the depth
limit; the most visited root action executed; no tree reuse).

The dynamics are gymnasium's CartPole-v1 (euler integrator), operation by operation
(gymnasium/envs/classic_control/cartpole.py).

usage: python3 uct_cartpole.py SIMULATIONS DEPTH STEPS   prints: simulations cpu_seconds
"""
import math
import random
import sys
import time

GRAVITY, MASSCART, MASSPOLE = 9.8, 1.0, 0.1
TOTAL_MASS = MASSPOLE + MASSCART
LENGTH = 0.5
POLEMASS_LENGTH = MASSPOLE * LENGTH
FORCE_MAG, TAU = 10.0, 0.02
THETA_THRESHOLD = 12 * 2 * math.pi / 360
X_THRESHOLD = 2.4


def cartpole_step(state, action):
    x, x_dot, theta, theta_dot = state
    force = FORCE_MAG if action == 1 else -FORCE_MAG
    costheta, sintheta = math.cos(theta), math.sin(theta)
    temp = (force + POLEMASS_LENGTH * theta_dot**2 * sintheta) / TOTAL_MASS
    thetaacc = (GRAVITY * sintheta - costheta * temp) / (
        LENGTH * (4.0 / 3.0 - MASSPOLE * costheta**2 / TOTAL_MASS))
    xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS
    x = x + TAU * x_dot
    x_dot = x_dot + TAU * xacc
    theta = theta + TAU * theta_dot
    theta_dot = theta_dot + TAU * thetaacc
    terminated = x < -X_THRESHOLD or x > X_THRESHOLD or theta < -THETA_THRESHOLD or theta > THETA_THRESHOLD
    return (x, x_dot, theta, theta_dot), 1.0, terminated


class StateNode:
    __slots__ = ("state", "terminal", "visits", "children")

    def __init__(self, state, terminal):
        self.state, self.terminal, self.visits, self.children = state, terminal, 0, None


class ActionNode:
    __slots__ = ("action", "visits", "q", "child", "reward")

    def __init__(self, action):
        self.action, self.visits, self.q, self.child, self.reward = action, 0, 0.0, None, 0.0


class UCT:
    def __init__(self, simulations, depth, c=1.0, gamma=1.0, seed=0):
        self.simulations, self.depth, self.c, self.gamma = simulations, depth, c, gamma
        self.rng = random.Random(seed)
        self.model_steps = 0

    def act(self, state):
        root = StateNode(state, False)
        for _ in range(self.simulations):
            self.simulate(root)
        best = max(root.children, key=lambda a: (a.visits, a.q))
        return best.action

    def select(self, node):
        if node.children is None:
            node.children = [ActionNode(0), ActionNode(1)]
        log_n = math.log(max(node.visits, 1))
        best, best_score = None, -math.inf
        for a in node.children:
            if a.visits == 0:
                return a
            score = a.q + self.c * math.sqrt(log_n / a.visits)
            if score > best_score:
                best, best_score = a, score
        return best

    def rollout(self, state, remaining):
        g, w = 0.0, 1.0
        for _ in range(remaining):
            state, reward, terminated = cartpole_step(state, self.rng.randrange(2))
            self.model_steps += 1
            g += w * reward
            w *= self.gamma
            if terminated:
                break
        return g

    def simulate(self, root):
        node, depth, path, leaf = root, 0, [], 0.0
        while True:
            if node.terminal or depth >= self.depth:
                break
            if node is not root and node.visits == 0:
                leaf = self.rollout(node.state, self.depth - depth)
                break
            a = self.select(node)
            if a.child is None:
                s2, r, done = cartpole_step(node.state, a.action)
                self.model_steps += 1
                a.child, a.reward = StateNode(s2, done), r
            else:
                self.model_steps += 1  # a deterministic model is still queried at every descent
                cartpole_step(node.state, a.action)
            path.append((node, a))
            node = a.child
            depth += 1
        node.visits += 1
        g = leaf
        for parent, a in reversed(path):
            g = a.reward + self.gamma * g
            parent.visits += 1
            a.visits += 1
            a.q += (g - a.q) / a.visits
        return g


def run(simulations, depth, steps, seed=0):
    rng = random.Random(seed)
    state = tuple(rng.uniform(-0.05, 0.05) for _ in range(4))
    planner = UCT(simulations, depth, seed=seed)
    done_sims = 0
    t0 = time.process_time()
    for _ in range(steps):
        a = planner.act(state)
        done_sims += simulations
        state, _, terminated = cartpole_step(state, a)
        if terminated:
            state = tuple(rng.uniform(-0.05, 0.05) for _ in range(4))
    return done_sims, time.process_time() - t0


if __name__ == "__main__":
    sims, depth, steps = (int(x) for x in (sys.argv[1:4] if len(sys.argv) > 3 else (200, 50, 5)))
    n, secs = run(sims, depth, steps)
    print(n, f"{secs:.6f}")
