"""Mutant: the wlist trap the course warns of. Every client stays in the write list, so
select() returns at once, forever: the server answers but burns a core."""
from socket import socket, SOL_SOCKET, SO_REUSEADDR
from select import select

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 8888))
s.listen(5)
rlist, wlist = [s], []
while True:
    rs, ws, _ = select(rlist, wlist, [])
    for r in rs:
        if r is s:
            c = r.accept()[0]
            rlist.append(c)
            wlist.append(c)
        else:
            data = r.recv(1024)
            if not data:
                rlist.remove(r)
                wlist.remove(r)
                r.close()
            else:
                r.send(data)
