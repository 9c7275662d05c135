"""BUG: the child is made with os.fork, not multiprocessing.Process, and keeps the parent's
standard input: it reads the line the user typed for the parent. Symptom: `child read hello`,
then `parent read EOF`."""
import os
import sys
import time


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def read_line():
    line = sys.stdin.readline()
    return line.rstrip("\n") if line else "EOF"


time.sleep(0.3)
pid = os.fork()  # BUG: a bare fork shares stdin; Process.start() would give /dev/null
if pid == 0:
    say("child read %s" % read_line())
    os._exit(0)
os.waitpid(pid, 0)
say("parent read %s" % read_line())
