"""Shared memory (共享内存) from the course's IPC list, with multiprocessing.Value and Array:
made before the child starts, they are the same memory in both processes, so what the child
writes the parent reads. Same output as `conform ref shm` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
from multiprocessing import Array, Process, Value


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def show(value, array):
    return "value=%d array=%s" % (value.value, ",".join(str(x) for x in array[:]))


def child(value, array):
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    value.value = 42
    for i in range(3):
        array[i] = i + 1
    say("child wrote %s" % show(value, array))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    value = Value("i", 0)
    array = Array("i", 3)
    say("before %s" % show(value, array))
    p = Process(target=child, args=(value, array))
    p.start()
    say("parent pid=%d child=%d" % (os.getpid(), p.pid))
    p.join()
    say("reaped %d status %d" % (p.pid, p.exitcode))
    say("parent read %s" % show(value, array))
