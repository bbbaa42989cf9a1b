#!/usr/bin/env python3
"""Large and deep inputs for Mull, each run under a memory cap and a timeout.

    tools/limits.py [MULL_BINARY] [--memory-gb N] [--timeout S]

Every case must end with exit status 0 or 1 (a result or a located diagnostic): never a signal,
a Swift trap, the timeout or the memory cap. Prints one line per case: status, seconds, peak
resident memory and the first line of what Mull printed on standard error.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = [a for a in sys.argv[1:]]
def option(name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return type(default)(value)
    return default
MEMORY_GB = option("--memory-gb", 4)
TIMEOUT = option("--timeout", 60.0)
MULL = args[0] if args else os.path.join(ROOT, ".build", "debug", "mull")

MAX = 9223372036854775807
def nested(depth):
    return "print(" + "[" * depth + "1" + "]" * depth + ")\n"

CASES = {
    "match with 100,001 alternatives": "print(match 1 { " + " | ".join(["2"] * 100000 + ["1"]) + " => 1 })\n",
    "comprehension with 10,000 clauses": "print(len([1 " + " ".join(f"for a{i} in [0]" for i in range(10000)) + "]))\n",
    "brackets nested 100,000 deep": nested(100000),
    "recursion without end": "fn f(n) { f(n + 1) }\nprint(f(0))\n",
    "a default argument calling itself": "fn f(x = f()) { x }\nprint(f())\n",
    "string doubled by recursion": 'fn d(s, n) { if n == 0 { s } else { d(s + s, n - 1) } }\nprint(len(d("ab", 60)))\n',
    "list repeated to the largest integer": f"print(len([0] * {MAX}))\n",
    "range listed to the largest integer": f"print(len(list(0..<{MAX})))\n",
    "200,000 top-level lets": "".join(f"let v{i} = {i}\n" for i in range(200000)) + "print(v199999)\n",
    "a tree of a million lists of 10,000 (the total memory limit)": "fn tree(d) { if d == 0 { [0] * 10000 } else { [tree(d - 1), tree(d - 1)] } }\nprint(len(tree(20)))\n",
    "a chain of 20,000 closures": "let f0 = fn(x) { x }\n" + "".join(f"let f{i} = fn(x) {{ f{i - 1}(x) }}\n" for i in range(1, 20000)) + "print(f19999(1))\n",
    "a sweep of the largest sample count": 'env maze = GridWorld { layout: "S.G" }\nagent q = QLearning { env: maze }\n'
        f"sweep s {{ agent: q, vary alpha: uniform(0.1, 0.5), samples: {MAX}, seeds: 1, episodes: 1 }}\nrun s\n",
    "a planner of 10 million sequences of 10,000 steps": "env p = Pendulum {}\nagent c = CEM { env: p, horizon: 10000, population: 10000000 }\n"
        "sweep s { agent: c, seeds: 1, episodes: 1 }\nrun s\n",
    "an ensemble of 100 members of 100,000 units": "env c = CartPoleContinuous {}\nmodel e = Ensemble { members: 100, elites: 5, hidden: [100000, 100000] }\n"
        "agent p = CEM { env: c, model: e }\nsweep s { agent: p, seeds: 1, episodes: 1 }\nrun s\n",
}

def limit():
    cap = MEMORY_GB << 30
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

def main():
    failed = 0
    with tempfile.TemporaryDirectory(prefix="mull-limits-") as tmp:
        for name, text in CASES.items():
            path = os.path.join(tmp, "case.mull")
            with open(path, "w") as f:
                f.write(text)
            start = time.perf_counter()
            try:
                p = subprocess.run([MULL, "run", "--out", os.path.join(tmp, "out"), path], capture_output=True, text=True,
                                   timeout=TIMEOUT, preexec_fn=limit, errors="replace")
                status, stderr = p.returncode, p.stderr
            except subprocess.TimeoutExpired:
                status, stderr = "timeout", ""
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            ok = status in (0, 1)
            failed += not ok
            first = next((l for l in stderr.splitlines() if l.strip()), "")
            print(f"{'ok  ' if ok else 'FAIL'} {name}: status {status}, {seconds:.1f} s, peak so far {peak:.0f} MB; {first[:150]}")
    print(f"{len(CASES) - failed} of {len(CASES)} cases ended in a result or a diagnostic")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
