"""The course's day7/myProcess.py: a Process subclass; __init__ adds an attribute and calls
the parent's, run() calls the subclass's own steps; start() runs run() in the child.
Same output as `conform ref process-subclass` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class MyProcess(Process):
    def __init__(self, value):
        self.value = value
        super().__init__()

    def f1(self):
        say("run step=1")

    def f2(self):
        say("run step=2")

    def run(self):
        say("run pid=%d ppid=%d value=%d" % (os.getpid(), os.getppid(), self.value))
        self.f1()
        self.f2()
        time.sleep(0.2)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    say("parent pid=%d" % os.getpid())
    p = MyProcess(2)
    p.start()
    say("started name=%s pid=%d" % (p.name, p.pid))
    p.join()
    say("joined pid=%d exitcode=%d" % (p.pid, p.exitcode))
