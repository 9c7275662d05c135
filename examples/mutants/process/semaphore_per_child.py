"""BUG: each child makes its own Semaphore(K) in the worker, so no two processes share one
and nobody ever waits. Symptom: all N children are inside at once: `enter pid=C inside=I`
with I up to N (5), and `max inside=5` where the reference's is 2."""
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


def worker(k, inside, most):
    sem = Semaphore(k)  # BUG: a new semaphore per process: it must be made once, before the fork
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
    inside, most = Value("i", 0), Value("i", 0)
    say("semaphore value=%d procs=%d" % (k, n))
    procs = []
    for _ in range(n):
        p = Process(target=worker, args=(k, inside, most))
        p.start()
        say("parent pid=%d child=%d" % (os.getpid(), p.pid))
        procs.append(p)
    for p in procs:
        p.join()
        say("reaped %d status %d" % (p.pid, p.exitcode))
    say("max inside=%d" % most.value)
