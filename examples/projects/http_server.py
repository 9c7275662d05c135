"""HTTP server v2.0, as the course writes it (day10/http_server.py): IO multiplexing with
select, a class HTTPServer, port 8000, files from ./static.

    python3 examples/projects/http_server.py

Like the course's: one response per connection, then the server closes it (no keep-alive),
and no Content-Length (the close ends the body). Beyond the course's, what any correct
server must do: a request split over several packets is gathered until its empty line; a
binary file is read as bytes; a path that leaves ./static is refused; garbage gets a 400, a
request line or head too long a 414 or 431, other methods a 405; a client that leaves in the
middle of its response is dropped alone.
"""
import mimetypes
import os
from select import select
from socket import socket, SOL_SOCKET, SO_REUSEADDR, SHUT_WR
from urllib.parse import unquote

MAX_LINE = 8192           # the longest request line
MAX_HEAD = 16384          # the longest request head
CHUNK = 65536             # bytes sent per turn of the loop


class HTTPServer:
    def __init__(self, host='0.0.0.0', port=8000, dir='./static'):
        self.address = (host, port)
        self.dir = dir
        self.sockfd = socket()
        self.sockfd.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        self.sockfd.bind(self.address)
        self.rlist = [self.sockfd]
        self.wlist = []
        self.requests = {}    # connection -> bytes of its request so far
        self.answers = {}     # connection -> bytes of its response still to send
        self.closing = set()  # answered: read and dropped until the client closes

    def serve_forever(self):
        self.sockfd.listen(128)   # room for a browser's burst of connections
        print("Listen the port %d" % self.address[1], flush=True)
        while True:
            rs, ws, xs = select(self.rlist, self.wlist, [])
            for r in rs:
                if r is self.sockfd:
                    c, addr = r.accept()
                    # Non-blocking: a send takes what the socket has room for, so a client
                    # that does not read its long response holds up no one.
                    c.setblocking(False)
                    self.rlist.append(c)
                    self.requests[c] = b''
                else:
                    self.handle(r)
            for w in ws:
                self.send_answer(w)

    def drop(self, connfd):
        for where in (self.rlist, self.wlist):
            if connfd in where:
                where.remove(connfd)
        self.requests.pop(connfd, None)
        self.answers.pop(connfd, None)
        self.closing.discard(connfd)
        connfd.close()

    def handle(self, connfd):
        try:
            data = connfd.recv(4096)
        except BlockingIOError:
            return
        except OSError:          # the client reset the connection
            data = b''
        if not data:
            self.drop(connfd)
            return
        if connfd in self.closing:
            return               # what comes after the answer is dropped
        request = self.requests[connfd] + data
        self.requests[connfd] = request
        head, sep, _ = request.partition(b'\r\n\r\n')
        line = head.split(b'\r\n')[0]
        if len(line) > MAX_LINE:
            self.answer(connfd, '414 URI Too Long')
        elif len(head) > MAX_HEAD:
            self.answer(connfd, '431 Request Header Fields Too Large')
        elif sep:                # the whole head is here (it may have come in pieces)
            print(line.decode('latin-1'), flush=True)
            self.dispatch(connfd, line)

    def dispatch(self, connfd, line):
        parts = line.decode('latin-1').split(' ')
        if len(parts) != 3 or not parts[2].startswith('HTTP/1.') or not parts[1]:
            self.answer(connfd, '400 Bad Request')
            return
        method, info = parts[0], parts[1]
        if method not in ('GET', 'HEAD'):
            self.answer(connfd, '405 Method Not Allowed', extra='Allow: GET, HEAD\r\n')
            return
        filename = self.find(info)
        if filename is None:
            self.answer(connfd, '403 Forbidden')
            return
        try:
            with open(filename, 'rb') as fd:   # bytes: a picture is no text
                body = fd.read()
        except OSError:
            self.answer(connfd, '404 Not Found')
            return
        ctype = mimetypes.guess_type(filename)[0] or 'application/octet-stream'
        self.answer(connfd, '200 OK', ctype, body if method == 'GET' else b'')

    def find(self, info):
        """The file under the root a target names; None if it leaves the root."""
        path = unquote(info.split('?')[0])
        if path.endswith('/'):
            path += 'index.html'
        root = os.path.realpath(self.dir)
        filename = os.path.realpath(os.path.join(root, path.lstrip('/')))
        if not filename.startswith(root + os.sep):
            return None
        return filename

    def answer(self, connfd, status, ctype='text/html', body=None, extra=''):
        """Queues the response; select says when the socket takes it, a piece at a time."""
        # a memoryview: each send slices off what went without copying the rest
        self.answers[connfd] = memoryview(self.response(status, ctype, body, extra))
        self.closing.add(connfd)
        self.wlist.append(connfd)

    def response(self, status, ctype='text/html', body=None, extra=''):
        if body is None:
            body = ('<h1>%s</h1>' % status).encode()
        response = 'HTTP/1.1 %s\r\n' % status
        response += 'Content-Type: %s\r\n' % ctype
        response += extra
        response += 'Connection: close\r\n'
        response += '\r\n'
        return response.encode() + body

    def send_answer(self, connfd):
        if connfd not in self.answers:
            return               # dropped by handle() in this same turn
        try:
            n = connfd.send(self.answers[connfd][:CHUNK])
        except BlockingIOError:  # no room after all: select will say when
            return
        except OSError:          # the client left in the middle: drop it alone
            self.drop(connfd)
            return
        self.answers[connfd] = self.answers[connfd][n:]
        if not self.answers[connfd]:
            # Sent: close our side. Its socket stays in rlist until the client closes, so
            # that request bytes still unread do not make the kernel reset the connection
            # before the client has read the answer.
            self.wlist.remove(connfd)
            del self.answers[connfd]
            try:
                connfd.shutdown(SHUT_WR)
            except OSError:
                self.drop(connfd)


if __name__ == '__main__':
    HOST = '0.0.0.0'
    PORT = 8000
    DIR = './static'
    httpd = HTTPServer(HOST, PORT, DIR)
    httpd.serve_forever()
