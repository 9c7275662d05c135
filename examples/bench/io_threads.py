"""Blocking, high-latency IO split over threads (claim gil.io-bound).

    python3 io_threads.py WORKERS WAITS [WAIT_MS]

WAITS blocking reads, each on a UDP socket nobody writes to, that wait WAIT_MS (default 10)
for their timeout, split over WORKERS threads. A thread blocked in IO gives up the GIL, so
the waits overlap: more threads finish sooner even under the GIL.
"""
import socket
import sys
import threading


def wait(n, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(seconds)
    for _ in range(n):
        try:
            s.recv(1)
        except socket.timeout:
            pass
    s.close()


def main():
    workers, waits = int(sys.argv[1]), int(sys.argv[2])
    seconds = (int(sys.argv[3]) if len(sys.argv) > 3 else 10) / 1000
    threads = [threading.Thread(target=wait, args=(waits // workers, seconds))
               for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
