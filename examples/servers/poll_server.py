"""The course's poll server (IO多路复用): one process, one thread.

    python3 examples/servers/poll_server.py [PORT [REPLY]]
"""
import sys
from select import poll, POLLIN, POLLERR, POLLHUP
from socket import socket, SOL_SOCKET, SO_REUSEADDR

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
REPLY = sys.argv[2].encode() if len(sys.argv) > 2 else None
ADDR = ('0.0.0.0', PORT)

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
print("listening on port", PORT, flush=True)

p = poll()
p.register(s, POLLIN | POLLERR)
fdmap = {s.fileno(): s}          # fileno -> socket

while True:
    for fd, event in p.poll():
        if fd == s.fileno():
            c, addr = s.accept()
            print("connect from", addr, flush=True)
            p.register(c, POLLIN | POLLHUP)
            fdmap[c.fileno()] = c
        elif event & (POLLIN | POLLHUP | POLLERR):
            c = fdmap[fd]
            try:
                data = c.recv(1024)
                if data:
                    c.send(REPLY or data)
            except OSError:      # the client reset the connection
                data = b''
            if not data:
                p.unregister(fd)         # forget it, or poll reports it forever
                del fdmap[fd]
                c.close()
