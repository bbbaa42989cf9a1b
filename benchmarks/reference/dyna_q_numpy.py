"""Dyna-Q on the Dyna maze (Sutton & Barto 2018, Figure 8.2) written with numpy, the way
Dyna-Q is commonly written in Python: Q and the model are numpy arrays, actions are chosen with
numpy's argmax and random generator.

Same algorithm as Mull's DynaQ and dyna_q.c: epsilon-greedy Q-learning with random tie-breaking;
after every real step, n planning updates from a uniformly drawn observed state and a uniformly
drawn action already taken there, with the last outcome recorded for that pair.

usage: python3 dyna_q_numpy.py RUNS EPISODES N    prints: real_steps planning_updates cpu_seconds
"""
import sys
import time

import numpy as np

MAZE = [
    ".......#G",
    "..#....#.",
    "S.#....#.",
    "..#......",
    ".....#...",
    ".........",
]
ROWS, COLS, ACTIONS = len(MAZE), len(MAZE[0]), 4
MOVES = [(-1, 0), (1, 0), (0, 1), (0, -1)]  # up, down, right, left


def build():
    step_to = np.zeros((ROWS * COLS, ACTIONS), dtype=np.int64)
    start = goal = 0
    for r in range(ROWS):
        for c in range(COLS):
            if MAZE[r][c] == "S":
                start = r * COLS + c
            if MAZE[r][c] == "G":
                goal = r * COLS + c
            for a, (dr, dc) in enumerate(MOVES):
                nr, nc = r + dr, c + dc
                ok = 0 <= nr < ROWS and 0 <= nc < COLS and MAZE[nr][nc] != "#"
                step_to[r * COLS + c, a] = nr * COLS + nc if ok else r * COLS + c
    return step_to, start, goal


def run(runs, episodes, n, alpha=0.1, gamma=0.95, epsilon=0.1):
    step_to, start, goal = build()
    states = ROWS * COLS
    real_steps = planning = 0
    t0 = time.process_time()
    for seed in range(runs):
        rng = np.random.default_rng(seed)
        q = np.zeros((states, ACTIONS))
        m_next = np.zeros((states, ACTIONS), dtype=np.int64)
        m_reward = np.zeros((states, ACTIONS))
        m_done = np.zeros((states, ACTIONS), dtype=bool)
        known = np.zeros((states, ACTIONS), dtype=bool)
        observed = []  # observed states in order of first visit
        seen = [[] for _ in range(states)]  # actions taken in each state
        for _ in range(episodes):
            s = start
            while True:
                if rng.random() < epsilon:
                    a = int(rng.integers(ACTIONS))
                else:
                    row = q[s]
                    a = int(rng.choice(np.flatnonzero(row == row.max())))
                s2 = int(step_to[s, a])
                done = s2 == goal
                reward = 1.0 if done else 0.0
                target = reward + (0.0 if done else gamma * q[s2].max())
                q[s, a] += alpha * (target - q[s, a])
                if not known[s, a]:
                    if not seen[s]:
                        observed.append(s)
                    seen[s].append(a)
                    known[s, a] = True
                m_next[s, a], m_reward[s, a], m_done[s, a] = s2, reward, done
                real_steps += 1
                for _ in range(n):
                    ps = observed[int(rng.integers(len(observed)))]
                    pa = seen[ps][int(rng.integers(len(seen[ps])))]
                    pn = m_next[ps, pa]
                    pt = m_reward[ps, pa] + (0.0 if m_done[ps, pa] else gamma * q[pn].max())
                    q[ps, pa] += alpha * (pt - q[ps, pa])
                planning += n
                if done:
                    break
                s = s2
    return real_steps, planning, time.process_time() - t0


if __name__ == "__main__":
    runs, episodes, n = (int(x) for x in (sys.argv[1:4] if len(sys.argv) > 3 else (2, 50, 50)))
    r, p, secs = run(runs, episodes, n)
    print(r, p, f"{secs:.6f}")
