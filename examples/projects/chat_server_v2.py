"""The course's group chat room server, protocol v2 (2020): word commands, a thread for
the admin.

    python3 examples/projects/chat_server_v2.py

UDP on 0.0.0.0:8888, hard-coded. Requests: `LOGIN name` (-> `OK` or `FAIL`), `CHAT name
text`, `EXIT name` (the others are told; nothing goes back to the quitter). A thread reads
the admin's announcements from stdin and sends each to the server as
`CHAT 管理员消息 text`; at the end of that input the thread ends and the room goes on.
"""
from socket import socket, AF_INET, SOCK_DGRAM
from threading import Thread

HOST = '0.0.0.0'
PORT = 8888
ADDR = (HOST, PORT)


class ChatServer:
    def __init__(self):
        self.sock = socket(AF_INET, SOCK_DGRAM)
        self.sock.bind(ADDR)
        self.user = {}

    def login(self, name, address):
        if name in self.user or '管理员' in name:
            self.sock.sendto(b"FAIL", address)
            return
        self.sock.sendto(b"OK", address)
        msg = "欢迎 %s 进入聊天室" % name
        for addr in self.user.values():
            self.sock.sendto(msg.encode(), addr)
        self.user[name] = address

    def chat(self, name, content):
        msg = "%s : %s" % (name, content)
        for i in self.user:
            if i != name:
                self.sock.sendto(msg.encode(), self.user[i])

    def exit(self, name):
        if name not in self.user:
            return
        del self.user[name]
        msg = "%s 退出聊天室" % name
        for addr in self.user.values():
            self.sock.sendto(msg.encode(), addr)

    def admin(self):
        while True:
            try:
                content = input()
            except EOFError:
                return           # no more announcements; the room goes on
            msg = "CHAT 管理员消息 " + content
            self.sock.sendto(msg.encode(), ('127.0.0.1', PORT))

    def serve_forever(self):
        Thread(target=self.admin, daemon=True).start()
        while True:
            data, addr = self.sock.recvfrom(1024)
            request = data.decode().split(" ", 2)
            if request[0] == "LOGIN" and len(request) > 1:
                self.login(request[1], addr)
            elif request[0] == "CHAT" and len(request) > 2:
                self.chat(request[1], request[2])
            elif request[0] == "EXIT" and len(request) > 1:
                self.exit(request[1])


if __name__ == '__main__':
    ChatServer().serve_forever()
