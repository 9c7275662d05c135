"""Signals (信号) from the course's IPC list (named signal_0.py: a signal.py here would hide
the standard module): the parent installs a SIGUSR1 handler and forks; the child sends
SIGUSR1 to the parent, whose handler prints while the parent waits.
Same output as `conform ref signal` (docs/process-programs.md)."""
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


signal.signal(signal.SIGUSR1, handler)
pid = os.fork()
if pid == 0:
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
