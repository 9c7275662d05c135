"""Mutant: the parent never waits, so its child stays a zombie until the parent exits."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe, and print() writes the text and
    # the newline separately, so their lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


pid = os.fork()
if pid == 0:
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    os._exit(3)
say("parent pid=%d child=%d" % (os.getpid(), pid))
time.sleep(2)
