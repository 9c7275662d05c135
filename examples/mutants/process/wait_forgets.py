"""Mutant of examples/process/wait.py. Bug: the parent never calls wait(); it sleeps 1 s and
exits. Symptom: no `reaped C status 3` line; the child is a zombie from its exit (about
0.3 s in) until the parent exits (about 1 s in)."""
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
    time.sleep(1)  # the forgotten os.wait() belonged here
