"""The course's zombie (僵尸进程): the child exits at once, the parent waits only after
0.8 s (`--sleep-ms N`), so the child is a zombie (state Z) meanwhile.
Same output as `conform ref zombie` (docs/process-programs.md)."""
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
    time.sleep(sleep_ms / 1000)  # not waiting yet: the child is a zombie meanwhile
    say("child %d state=%s" % (pid, state(pid) or "gone"))
    p, status = os.waitpid(pid, 0)
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    if state(pid) is None:
        say("child %d gone" % pid)
