"""BUG: the course's `connfd.send(response)`: the whole response is sent at once, blocking,
with no try. A client that leaves in the middle of a long response makes it raise
ConnectionResetError (or BrokenPipeError) in the select loop, and the server is gone for
everyone (and while a client reads slowly, everyone waits). Otherwise the course-style server
of examples/projects/http_server.py.

    python3 examples/mutants/projects/http_server_broken_pipe.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'projects'))
from http_server import HTTPServer, SHUT_WR  # noqa: E402


class BrokenPipe(HTTPServer):
    def answer(self, connfd, *args, **kwargs):
        connfd.setblocking(True)                          # as the course's sockets are
        connfd.sendall(self.response(*args, **kwargs))   # BUG: a client that left kills us
        connfd.shutdown(SHUT_WR)
        self.closing.add(connfd)


if __name__ == '__main__':
    BrokenPipe().serve_forever()
