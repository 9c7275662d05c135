"""Mutant of examples/process/pool.py. Bug: no pool at all: a new Process for every task,
started in batches of the "pool size" and joined batch by batch. Symptom: the
`task=I worker=W` lines name M different workers, more than the pool's size, most not in
`pool pids=...` (only the first batch's); processes are born and die all along. The results
are right."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process, Queue


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv[:-1] else default


def square(i, results):
    time.sleep(0.1)
    say("task=%d worker=%d" % (i, os.getpid()))
    results.put((i, i * i))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    workers, tasks = arg("--workers", os.cpu_count()), arg("--tasks", 8)
    say("pool size=%d" % workers)
    results = Queue()
    values = {}
    for start in range(0, tasks, workers):
        batch = [Process(target=square, args=(i, results)) for i in range(start, min(start + workers, tasks))]
        for p in batch:
            p.start()
        if start == 0:
            say("pool pids=%s" % ",".join(str(p.pid) for p in batch))
        for _ in batch:
            i, v = results.get()
            values[i] = v
        for p in batch:
            p.join()
    say("pool joined")
    for i in range(tasks):
        say("result task=%d value=%d" % (i, values[i]))
