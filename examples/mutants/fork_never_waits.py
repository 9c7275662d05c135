"""Mutant: the parent never waits, so its child stays a zombie until the parent exits."""
import os
import time

pid = os.fork()
if pid == 0:
    print("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    os._exit(3)
print("parent pid=%d child=%d" % (os.getpid(), pid))
time.sleep(2)
