"""Dumps the exact transition tables P of Gymnasium's toy-text environments as JSON.

Run with the gymnasium package installed:  python3 generate_toytext.py
Writes toytext.json next to this script.  Each table is P[s][a] = [[p, next, reward, terminated], ...]
in Gymnasium's own outcome order; probabilities are written with repr(), so they round-trip exactly.
"""
import json
import os

import gymnasium as gym
import numpy as np


def table(env):
    P = env.unwrapped.P
    n_s = env.observation_space.n
    n_a = env.action_space.n
    return [
        [
            [[float(p), int(s2), float(r), bool(t)] for (p, s2, r, t) in P[s][a]]
            for a in range(n_a)
        ]
        for s in range(n_s)
    ]


def initial(env):
    d = np.asarray(env.unwrapped.initial_state_distrib, dtype=float)
    return [[int(s), float(d[s])] for s in np.flatnonzero(d)]


def entry(env_id, **kwargs):
    env = gym.make(env_id, **kwargs)
    out = {
        "id": env_id,
        "kwargs": kwargs,
        "states": int(env.observation_space.n),
        "actions": int(env.action_space.n),
        "max_episode_steps": env.spec.max_episode_steps,
        "initial": initial(env),
        "P": table(env),
    }
    if env_id.startswith("CliffWalking"):
        # Gymnasium's text rendering, for a few agent positions.
        renders = {}
        for s in (0, 13, 36, 47):
            env.unwrapped.s = s
            env.unwrapped.render_mode = "ansi"
            renders[str(s)] = env.unwrapped.render()
        out["ansi"] = renders
    env.close()
    return out


cases = [
    ("FrozenLake4x4Slippery", "FrozenLake-v1", {"map_name": "4x4", "is_slippery": True}),
    ("FrozenLake4x4", "FrozenLake-v1", {"map_name": "4x4", "is_slippery": False}),
    ("FrozenLake8x8Slippery", "FrozenLake8x8-v1", {"is_slippery": True}),
    ("FrozenLake8x8", "FrozenLake8x8-v1", {"is_slippery": False}),
    ("FrozenLakeCustom", "FrozenLake-v1",
     {"desc": ["SFFH", "FHFF", "FFSF", "HFFG", "FFHF"], "is_slippery": True,
      "success_rate": 0.7, "reward_schedule": (5, -2, -0.5)}),
    ("CliffWalking", "CliffWalking-v1", {}),
    ("CliffWalkingSlippery", "CliffWalking-v1", {"is_slippery": True}),
    ("Taxi", "Taxi-v4", {}),
    ("TaxiRainy", "Taxi-v4", {"is_rainy": True}),
    ("TaxiRainy06", "Taxi-v4", {"is_rainy": True, "rainy_probability": 0.6}),
]

data = {
    "generator": "generate_toytext.py",
    "gymnasium_version": gym.__version__,
    "numpy_version": np.__version__,
    "envs": {name: entry(env_id, **kw) for name, env_id, kw in cases},
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "toytext.json")
with open(path, "w") as f:
    json.dump(data, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
