"""The echo server every hostile program is, besides its misbehaviour: one thread per
client, on $PORT (any port is free in the program's own network namespace)."""
import os
import socket
import threading


def serve(answer=lambda data: data, on_message=lambda n: None):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(os.environ.get("PORT", "8888"))))
    s.listen(16)
    count = [0]

    def client(c):
        while True:
            data = c.recv(1024)
            if not data:
                break
            count[0] += 1
            on_message(count[0])
            c.sendall(answer(data))
        c.close()

    while True:
        c, _ = s.accept()
        threading.Thread(target=client, args=(c,), daemon=True).start()
