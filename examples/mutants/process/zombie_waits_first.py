"""BUG: the parent waits for the child at once, then sleeps: the zombie it means to show is
reaped before anyone can look at it. Symptom: no zombie ever appears in the tree, and the
parent prints `child C state=gone` after its sleep instead of `child C state=Z` (the
`reaped C status 3` line comes first, right after the fork)."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.rfind(")") + 1:].split()[0]


sleep_ms = int(sys.argv[sys.argv.index("--sleep-ms") + 1]) if "--sleep-ms" in sys.argv[:-1] else 800

pid = os.fork()
if pid == 0:
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    os._exit(3)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    p, status = os.waitpid(pid, 0)  # BUG: the wait belongs after the sleep and the look
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    time.sleep(sleep_ms / 1000)
    say("child %d state=%s" % (pid, state(pid) or "gone"))
    if state(pid) is None:
        say("child %d gone" % pid)
