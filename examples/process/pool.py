"""The course's day7/pool.py: Pool(N) forks N workers once; each runs many tasks in turn;
apply_async queues a task; close() then join(). Without --workers, Pool() sizes itself by
the CPU count. `--workers N`, `--tasks M` (default 8).
Same output as `conform ref pool` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Pool


def say(line):
    # One write per line: the workers and the parent share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv[:-1] else default


def square(i):
    say("task=%d worker=%d" % (i, os.getpid()))
    time.sleep(0.1)
    return i * i


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    workers = arg("--workers", None)
    tasks = arg("--tasks", 8)
    say("pool size=%d" % (workers or os.cpu_count()))
    pool = Pool(workers)  # Pool(None): one worker per CPU
    say("pool pids=%s" % ",".join(str(p.pid) for p in pool._pool))
    results = [pool.apply_async(square, (i,)) for i in range(tasks)]
    pool.close()
    pool.join()
    say("pool joined")
    for i, r in enumerate(results):
        say("result task=%d value=%d" % (i, r.get()))
