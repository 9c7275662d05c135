"""Mutant of examples/process/wait.py. Bug: the parent prints the low bits of the raw wait
status (status & 0x7f, the signal that killed the child: 0 for a normal exit) instead of
os.WEXITSTATUS(status). Symptom: `reaped C status 0` where the child exited with 3; no
zombie lasts."""
import os
import sys
import time


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


pid = os.fork()
if pid == 0:
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    time.sleep(0.3)
    os._exit(3)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    p, status = os.wait()
    say("reaped %d status %d" % (p, status & 0x7F))  # should be os.WEXITSTATUS(status)
    time.sleep(0.3)
