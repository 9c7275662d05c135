"""BUG: the SIGUSR1 handler is installed in the child's branch, after the fork, by the
process that sends the signal, not the one that receives it; the parent keeps SIGUSR1's
default action, which terminates it. Symptom: `child kill pid=P sig=SIGUSR1`, then no
`handler` line and no `reaped` line: the parent (the program's own process) is killed by
SIGUSR1, and the child is left an orphan for its last 100 ms."""
import os
import signal
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def handler(sig, frame):
    # os.write, not say(): the handler may run while say() is in the middle of its write.
    os.write(1, ("handler pid=%d got %s\n" % (os.getpid(), signal.Signals(sig).name)).encode())


pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGUSR1, handler)  # BUG: belongs before the fork, for the parent
    parent = os.getppid()
    say("child pid=%d ppid=%d" % (os.getpid(), parent))
    say("child kill pid=%d sig=SIGUSR1" % parent)
    os.kill(parent, signal.SIGUSR1)
    time.sleep(0.1)
    os._exit(0)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    p, status = os.waitpid(pid, 0)  # interrupted by the signal, resumed after the handler
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
