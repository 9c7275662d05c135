"""The semaphore (信号量) of the course's IPC list, with multiprocessing.Semaphore(K): at
most K of the N processes are inside at once. `--value K` (2), `--procs N` (5).
Same output as `conform ref semaphore` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process, Semaphore, Value


def say(line):
    # One write per line: the processes share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv[:-1] else default


def worker(sem, inside, most):
    with sem:
        with inside.get_lock():
            inside.value += 1
            n = inside.value
        with most.get_lock():
            most.value = max(most.value, n)
        say("enter pid=%d inside=%d" % (os.getpid(), n))
        time.sleep(0.2)
        with inside.get_lock():
            inside.value -= 1
            n = inside.value
        say("leave pid=%d inside=%d" % (os.getpid(), n))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    k, n = arg("--value", 2), arg("--procs", 5)
    sem, inside, most = Semaphore(k), Value("i", 0), Value("i", 0)
    say("semaphore value=%d procs=%d" % (k, n))
    procs = []
    for _ in range(n):
        p = Process(target=worker, args=(sem, inside, most))
        p.start()
        say("parent pid=%d child=%d" % (os.getpid(), p.pid))
        procs.append(p)
    for p in procs:
        p.join()
        say("reaped %d status %d" % (p.pid, p.exitcode))
    say("max inside=%d" % most.value)
