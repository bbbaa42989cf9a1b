#!/usr/bin/env python3
"""Drives `mull repl` through a pseudo-terminal, as a person at a terminal would, and checks
what Ctrl-C does there.

    tools/repl_pty.py MULL_BINARY

Checks, each with a time limit that leaves room for a loaded machine:
  1. the banner and the prompt appear;
  2. Ctrl-C during a long `train` returns to the prompt within a few seconds with one
     `interrupted after ...` diagnostic (not a list of every episode), and the training is kept;
  3. the session still evaluates (`print(1 + 1)` prints 2, the agent's counters are there);
  4. Ctrl-C at the prompt gives a fresh prompt and does not end the session;
  5. Ctrl-D ends it with status 0.
Exits 0 when all hold; otherwise prints what was seen and exits 1. Uses only the standard
library (`os.forkpty`), so it runs wherever Python 3 does.
"""
import os
import re
import select
import sys
import tempfile
import time

PROMPT = b"mull> "


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    mull = sys.argv[1]
    work = tempfile.mkdtemp(prefix="mull-pty-")
    script = os.path.join(work, "maze.mull")
    with open(script, "w") as f:
        f.write('env maze = GridWorld { layout: """\nS..\n..G\n""" }\n'
                'agent q = DynaQ { env: maze, planning_steps: 5 }\n')
    pid, fd = os.forkpty()
    if pid == 0:
        os.environ["HOME"] = work  # the session's history file goes here
        os.environ["TERM"] = "xterm"
        os.execv(mull, [mull, "repl", script])

    seen = []

    def read_until(pattern, limit):
        """Reads until `pattern` (bytes regex) matches what arrived, or `limit` seconds pass."""
        out = b""
        end = time.time() + limit
        while time.time() < end:
            if re.search(pattern, out):
                break
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
        seen.append(out)
        return out

    def fail(why):
        print("FAILED: " + why)
        for i, chunk in enumerate(seen):
            print("--- output %d (%d bytes) ---" % (i, len(chunk)))
            print(chunk[:3000].decode("utf-8", "replace"))
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        return 1

    def prompt_at_end(out):
        return out.rstrip(b" ").endswith(b"mull>") or out.endswith(PROMPT)

    out = read_until(re.escape(PROMPT), 20)
    if PROMPT not in out:
        return fail("no prompt")

    os.write(fd, b"q.train(episodes: 1000000000)\r")
    read_until(b"\\r\\n", 5)  # the echoed entry
    time.sleep(1.5)
    started = time.time()
    os.write(fd, b"\x03")
    out = read_until(re.escape(PROMPT), 10)
    waited = time.time() - started
    if not prompt_at_end(out):
        return fail("no prompt after Ctrl-C in train")
    if waited > 5:
        return fail("Ctrl-C took %.1f s to return to the prompt" % waited)
    if b"interrupted after" not in out:
        return fail("no `interrupted after` account")
    if len(out) > 2000:
        return fail("%d bytes printed after Ctrl-C" % len(out))

    os.write(fd, b"print(1 + 1)\r")
    out = read_until(b"\\r2\\r\\n", 10)
    if b"\r2\r\n" not in out:
        return fail("the session did not evaluate after the interrupt")
    read_until(re.escape(PROMPT), 5)
    os.write(fd, b"q.episodes > 0\r")
    out = read_until(b"true|false", 10)
    if b"true" not in out:
        return fail("the interrupted training was not kept")
    read_until(re.escape(PROMPT), 5)

    os.write(fd, b"\x03")
    out = read_until(re.escape(PROMPT), 5)
    if PROMPT not in out:
        return fail("no fresh prompt after Ctrl-C at the prompt")
    time.sleep(0.3)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        return fail("Ctrl-C at the prompt ended the session")

    os.write(fd, b"\x04")
    end = time.time() + 10
    while time.time() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        read_until(b"$^", 0.1)
    if not done:
        return fail("Ctrl-D did not end the session")
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return fail("the session ended with status %r" % status)
    print("ok: Ctrl-C in train returned in %.2f s; the session went on; Ctrl-D ended it" % waited)
    return 0


if __name__ == "__main__":
    sys.exit(main())
