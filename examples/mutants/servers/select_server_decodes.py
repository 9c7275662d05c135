"""Mutant: the course's select server, printing each message as text: `data.decode()`
raises UnicodeDecodeError on bytes that are not UTF-8 (a picture, a binary file, random
bytes), and the one loop of a select server dies, for every client.

    python3 examples/mutants/servers/select_server_decodes.py [PORT [REPLY]]
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
            if r in wlist:           # owed an answer: give it before closing
                wlist.remove(r)
                try:
                    r.sendall(answers.pop(r))
                except OSError:
                    pass
            r.close()
            continue
        print("received", data.decode(), flush=True)   # BUG: not every message is text
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
