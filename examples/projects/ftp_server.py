"""The course's file server (ftp 文件服务器, day9/ftp), protocol v1: a process per client.

    python3 examples/projects/ftp_server.py

As in the course, the address 0.0.0.0:8888 and the library folder /home/tarena/FTP/ are
hard-coded (the scenarios of scenarios/files map that folder onto one of their own), and
SIGCHLD is ignored so that the kernel reaps each child as it ends.

    L          -> OK, then the names joined by "\n" (文件库为空 when there are none)
    G name     -> OK, the bytes, "##" as its own send (文件不存在)
    P name     -> OK (该文件已存在), then the client sends the bytes and "##"
    Q          -> the child ends

Faithful to the course, so with its two weaknesses: a name is joined to the folder
unchecked (`G ../../etc/passwd` reads outside the library, `P ../x` writes outside it), and
an upload is written straight into its name (a reader sees half a file; a client that
leaves midway leaves one behind). The suite registers it as caught for those.
"""
from socket import *
import os
import signal
import sys
import time

HOST = '0.0.0.0'
PORT = 8888
ADDR = (HOST, PORT)
FTP = '/home/tarena/FTP/'   # the library


class FtpServer:
    def __init__(self, connfd):
        self.connfd = connfd

    def do_list(self):
        file_list = os.listdir(FTP)
        if not file_list:
            self.connfd.send('文件库为空'.encode())
            return
        else:
            self.connfd.send(b'OK')
            time.sleep(0.1)      # 防止粘包: the status and the names are two recv()s
        files = ''
        for file in file_list:
            # no hidden files, no folders
            if file[0] != '.' and os.path.isfile(FTP + file):
                files += file + '\n'
        self.connfd.send(files.encode())

    def do_get(self, filename):
        try:
            fd = open(FTP + filename, 'rb')
        except IOError:
            self.connfd.send('文件不存在'.encode())
            return
        else:
            self.connfd.send(b'OK')
            time.sleep(0.1)
        while True:
            data = fd.read(1024)
            if not data:
                time.sleep(0.1)
                self.connfd.send(b'##')
                break
            self.connfd.send(data)
        fd.close()

    def do_put(self, filename):
        if os.path.exists(FTP + filename):
            self.connfd.send('该文件已存在'.encode())
            return
        self.connfd.send(b'OK')
        fd = open(FTP + filename, 'wb')
        while True:
            data = self.connfd.recv(1024)
            if data == b'##' or not data:
                break
            fd.write(data)
        fd.close()


def handle(connfd):
    ftp = FtpServer(connfd)
    while True:
        data = connfd.recv(1024).decode()
        if not data or data[0] == 'Q':
            connfd.close()
            return
        elif data[0] == 'L':
            ftp.do_list()
        elif data[0] == 'G':
            filename = data.split(' ')[-1]
            ftp.do_get(filename)
        elif data[0] == 'P':
            filename = data.split(' ')[-1]
            ftp.do_put(filename)


def main():
    sockfd = socket()
    sockfd.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    sockfd.bind(ADDR)
    sockfd.listen(5)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # 处理僵尸进程
    print('Listen the port 8888...')
    while True:
        try:
            connfd, addr = sockfd.accept()
        except KeyboardInterrupt:
            sys.exit('退出服务器')
        except Exception as e:
            print(e)
            continue
        print('连接的客户端:', addr)
        pid = os.fork()
        if pid == 0:
            sockfd.close()
            handle(connfd)
            os._exit(0)
        else:
            connfd.close()


if __name__ == '__main__':
    main()
