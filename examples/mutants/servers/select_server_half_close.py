"""BUG: when a client's read says end of file, the server drops it at once, with the answer
still queued for it: a client that sends its message and half-closes (shutdown(SHUT_WR))
right after has its data and its end of file read before select reports it writable.
Symptom: that client gets no answer, only end of file; clients that wait for their answer
before closing are served as by the reference.

    python3 examples/mutants/servers/select_server_half_close.py [PORT [REPLY]]
"""
import sys
from select import select
from socket import socket, SOL_SOCKET, SO_REUSEADDR

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
REPLY = sys.argv[2].encode() if len(sys.argv) > 2 else None
ADDR = ('0.0.0.0', PORT)

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
print("listening on port", PORT, flush=True)

rlist = [s]
wlist = []
answers = {}                     # socket -> bytes still to send

while True:
    rs, ws, xs = select(rlist, wlist, [])
    for r in rs:
        if r is s:
            c, addr = r.accept()
            print("connect from", addr, flush=True)
            rlist.append(c)
            continue
        try:
            data = r.recv(1024)
        except OSError:          # the client reset the connection
            data = b''
        if not data:
            rlist.remove(r)
            if r in wlist:
                wlist.remove(r)
                del answers[r]   # BUG: the answer still owed is thrown away, not sent first
            r.close()
            continue
        answers[r] = answers.get(r, b'') + (REPLY or data)
        if r not in wlist:
            wlist.append(r)
    for w in ws:
        if w not in wlist:       # closed above
            continue
        try:
            n = w.send(answers[w])
        except OSError:
            n = len(answers[w])  # gone: its read will say so
        answers[w] = answers[w][n:]
        if not answers[w]:
            wlist.remove(w)
            del answers[w]
