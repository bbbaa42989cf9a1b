"""The MDP of benchmarks/mdp_step.mull in plain CPython: the same step function, called at every
step by the same epsilon-greedy Q-learning loop (random tie-breaking, episodes truncated after
1000 steps), with the standard library's random module.

usage: python3 mdp_step.py RUNS STEPS    prints: steps cpu_seconds
       python3 mdp_step.py --calls N        calls step N times over all states and actions
                                            (as mdp_step_calls.mull does); prints: calls cpu_seconds
"""
import random
import sys
import time

SIZE = 50
GOAL = SIZE * SIZE - 1
TRAP = 25 * SIZE + 25
UP, DOWN, RIGHT, LEFT = range(4)


def blocked(r, c):
    return c % 10 == 9 and r != (c * 7) % SIZE


def step(s, a):
    """A list of (probability, next, reward, done), as the Mull function returns."""
    r, c = divmod(s, SIZE)
    if a == UP:
        moved = max(r - 1, 0) * SIZE + c
    elif a == DOWN:
        moved = min(r + 1, SIZE - 1) * SIZE + c
    elif a == RIGHT:
        moved = r * SIZE + min(c + 1, SIZE - 1)
    else:
        moved = r * SIZE + max(c - 1, 0)
    n = s if blocked(moved // SIZE, moved % SIZE) else moved
    if n == GOAL:
        return [(1.0, n, 1.0, True)]
    if n == TRAP:
        return [(1.0, 0, -1.0, False)]
    if 20 <= r < 23:
        return [(0.5, n, -0.01, False), (0.5, s, -0.01, False)]
    return [(1.0, n, -0.01, False)]


def sample(outcomes, rng):
    if len(outcomes) == 1:
        return outcomes[0]
    u = rng.random()
    for o in outcomes:
        u -= o[0]
        if u < 0:
            return o
    return outcomes[-1]


def run(runs, steps, alpha=0.1, gamma=0.99, epsilon=0.1, limit=1000):
    total = 0
    t0 = time.process_time()
    for seed in range(runs):
        rng = random.Random(seed)
        q = [[0.0] * 4 for _ in range(SIZE * SIZE)]
        s, t = 0, 0
        for _ in range(steps):
            row = q[s]
            if rng.random() < epsilon:
                a = rng.randrange(4)
            else:
                best = max(row)
                a = rng.choice([i for i in range(4) if row[i] == best])
            _, n, reward, done = sample(step(s, a), rng)
            target = reward if done else reward + gamma * max(q[n])
            row[a] += alpha * (target - row[a])
            t += 1
            total += 1
            if done or t >= limit:
                s, t = 0, 0
            else:
                s = n
    return total, time.process_time() - t0


def calls(n):
    t0 = time.process_time()
    for i in range(n):
        step((i // 4) % (SIZE * SIZE), i % 4)
    return n, time.process_time() - t0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--calls":
        n, secs = calls(int(sys.argv[2]))
        print(n, f"{secs:.6f}")
        sys.exit(0)
    runs, steps = (int(x) for x in (sys.argv[1:3] if len(sys.argv) > 2 else (1, 200000)))
    n, secs = run(runs, steps)
    print(n, f"{secs:.6f}")
