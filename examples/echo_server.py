"""A course-style select echo server (IO multiplexing, one process, one thread).

Like the course's programs it hard-codes its address, 0.0.0.0:8888; conform runs it in a
network namespace of its own, so two copies can run at once.

    conform run scenarios/servers --target 'python3 examples/echo_server.py'
"""
from socket import socket, SOL_SOCKET, SO_REUSEADDR
from select import select

ADDR = ('0.0.0.0', 8888)

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
print("listening on", ADDR)

rlist = [s]
while True:
    rs, ws, xs = select(rlist, [], [])
    for r in rs:
        if r is s:
            c, addr = r.accept()
            print("connect from", addr)
            rlist.append(c)
        else:
            try:
                data = r.recv(1024)
            except ConnectionResetError:
                data = b''
            if not data:
                rlist.remove(r)
                r.close()
                continue
            try:
                r.send(data)
            except OSError:          # the client went away (reset) meanwhile
                rlist.remove(r)
                r.close()
