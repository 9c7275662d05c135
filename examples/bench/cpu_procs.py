"""CPU-bound work split over processes (the course's GIL experiment, claim gil.cpu-bound).

    python3 cpu_procs.py WORKERS ITERATIONS

The same work as cpu_threads.py, split over WORKERS processes (multiprocessing.Process):
each has its own interpreter and its own GIL, so on several cores they finish sooner.
"""
import sys
from multiprocessing import Process


def count(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1000003
    return x


def main():
    workers, iterations = int(sys.argv[1]), int(sys.argv[2])
    procs = [Process(target=count, args=(iterations // workers,)) for _ in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        sys.exit(1)


if __name__ == "__main__":
    main()
