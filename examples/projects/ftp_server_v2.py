"""The 2020 course's file server, protocol v2: a thread per client (a Thread subclass).

    python3 examples/projects/ftp_server_v2.py

Hard-coded as the course's: 0.0.0.0:8888 and the library /home/tarena/FTP/.

    LIST       -> OK, the names joined by "\n", "##" (FAIL when there are none)
    RETR name  -> OK, the bytes, "##" as its own send (FAIL)
    STOR name  -> OK (FAIL if it exists), then the client sends the bytes and "##"
    EXIT       -> the thread ends; nothing is sent back

Like ftp_server.py it joins names to the folder unchecked and writes uploads in place.
"""
from socket import *
from threading import Thread
import os
import sys
import time

HOST = '0.0.0.0'
PORT = 8888
ADDR = (HOST, PORT)
FTP = '/home/tarena/FTP/'   # the library


class FTPServer(Thread):
    def __init__(self, connfd):
        super().__init__()
        self.connfd = connfd

    def do_list(self):
        files = [f for f in os.listdir(FTP)
                 if f[0] != '.' and os.path.isfile(FTP + f)]
        if not files:
            self.connfd.send(b'FAIL')
            return
        self.connfd.send(b'OK')
        time.sleep(0.1)
        self.connfd.send('\n'.join(files).encode())
        time.sleep(0.1)
        self.connfd.send(b'##')

    def do_retr(self, filename):
        try:
            f = open(FTP + filename, 'rb')
        except Exception:
            self.connfd.send(b'FAIL')
            return
        self.connfd.send(b'OK')
        time.sleep(0.1)
        while True:
            data = f.read(1024)
            if not data:
                time.sleep(0.1)
                self.connfd.send(b'##')
                break
            self.connfd.send(data)
        f.close()

    def do_stor(self, filename):
        if os.path.exists(FTP + filename):
            self.connfd.send(b'FAIL')
            return
        self.connfd.send(b'OK')
        f = open(FTP + filename, 'wb')
        while True:
            data = self.connfd.recv(1024)
            if data == b'##' or not data:
                break
            f.write(data)
        f.close()

    def run(self):
        while True:
            data = self.connfd.recv(1024).decode()
            tmp = data.split(' ', 1)
            if not data or tmp[0] == 'EXIT':
                self.connfd.close()
                return
            elif tmp[0] == 'LIST':
                self.do_list()
            elif tmp[0] == 'RETR':
                self.do_retr(tmp[1])
            elif tmp[0] == 'STOR':
                self.do_stor(tmp[1])


def main():
    sock = socket()
    sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    sock.bind(ADDR)
    sock.listen(5)
    print('Listen the port 8888...')
    while True:
        try:
            connfd, addr = sock.accept()
            print('Connect from', addr)
        except KeyboardInterrupt:
            sys.exit('服务结束')
        t = FTPServer(connfd)
        t.daemon = True
        t.start()


if __name__ == '__main__':
    main()
