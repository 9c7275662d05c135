"""The course's fork server (基于fork的多进程网络并发模型): a child process per client.

    python3 examples/servers/fork_server.py [PORT [REPLY]]

As in the course, SIGCHLD is ignored, so the kernel reaps each child as it ends and none
stays a zombie.
"""
import os
import signal
import sys
from socket import socket, SOL_SOCKET, SO_REUSEADDR

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
REPLY = sys.argv[2].encode() if len(sys.argv) > 2 else None
ADDR = ('0.0.0.0', PORT)


def handle(c):
    while True:
        try:
            data = c.recv(1024)
            if not data:
                break
            c.send(REPLY or data)
        except OSError:          # the client reset the connection
            break
    c.close()


s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # children are reaped by the kernel
print("listening on port", PORT, flush=True)

while True:
    c, addr = s.accept()
    print("connect from", addr, flush=True)
    pid = os.fork()
    if pid == 0:
        s.close()                # the child only serves its client
        try:
            handle(c)
        finally:
            os._exit(0)          # never back into the parent's loop
    c.close()                    # the parent only accepts
