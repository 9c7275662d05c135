"""The course's epoll server (IO多路复用): like the poll server, with epoll and EPOLL flags.

    python3 examples/servers/epoll_server.py [PORT [REPLY]]
"""
import sys
from select import epoll, EPOLLIN, EPOLLERR, EPOLLHUP
from socket import socket, SOL_SOCKET, SO_REUSEADDR

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
REPLY = sys.argv[2].encode() if len(sys.argv) > 2 else None
ADDR = ('0.0.0.0', PORT)

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
print("listening on port", PORT, flush=True)

ep = epoll()
ep.register(s, EPOLLIN | EPOLLERR)
fdmap = {s.fileno(): s}          # fileno -> socket

while True:
    for fd, event in ep.poll():
        if fd == s.fileno():
            c, addr = s.accept()
            print("connect from", addr, flush=True)
            ep.register(c, EPOLLIN | EPOLLHUP)
            fdmap[c.fileno()] = c
        elif event & (EPOLLIN | EPOLLHUP | EPOLLERR):
            c = fdmap[fd]
            try:
                data = c.recv(1024)
                if data:
                    c.send(REPLY or data)
            except OSError:      # the client reset the connection
                data = b''
            if not data:
                ep.unregister(fd)        # before close: a closed fd cannot be unregistered
                del fdmap[fd]
                c.close()
