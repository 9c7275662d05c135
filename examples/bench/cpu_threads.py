"""CPU-bound work split over threads (the course's GIL experiment, claim gil.cpu-bound).

    python3 cpu_threads.py WORKERS ITERATIONS

Counts ITERATIONS steps of pure-Python arithmetic, split evenly over WORKERS threads. Under
CPython's GIL only one thread runs Python code at a time, so more threads do not finish
sooner (compare cpu_procs.py). Time it with `conform bench procs --cmd`.
"""
import sys
import threading


def count(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1000003
    return x


def main():
    workers, iterations = int(sys.argv[1]), int(sys.argv[2])
    threads = [threading.Thread(target=count, args=(iterations // workers,))
               for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
