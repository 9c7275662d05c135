"""Mutant of examples/process/fork.py. Bug: the "child" is a thread, which shares the
parent's memory, so its `a = 10000` is the parent's `a`. Symptom: `parent a=10000` where the
reference prints `parent a=1`; the `child pid=` is the parent's own PID, and the tree holds
one process (with two threads) instead of two. (`child=` is the thread's id.)"""
import os
import sys
import threading
import time


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


a = 1


def child():
    global a
    a = 10000
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    say("child a=%d" % a)
    time.sleep(0.2)


t = threading.Thread(target=child)
t.start()
say("parent pid=%d child=%d" % (os.getpid(), t.native_id))
t.join()
say("reaped %d status 0" % t.native_id)
say("parent a=%d" % a)
