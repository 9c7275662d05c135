"""Mutant: an echo server that reads every message and never answers."""
from socket import socket, SOL_SOCKET, SO_REUSEADDR
from select import select

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 8888))
s.listen(5)
rlist = [s]
while True:
    rs, _, _ = select(rlist, [], [])
    for r in rs:
        if r is s:
            rlist.append(r.accept()[0])
        elif not r.recv(1024):
            rlist.remove(r)
            r.close()
