"""BUG: the course's `connfd.send(response)` with no try: a client that leaves in the middle
of a long response makes the next send raise BrokenPipeError (or ConnectionResetError) in
the select loop, and the server is gone for everyone. Otherwise the course-style server of
examples/projects/http_server.py.

    python3 examples/mutants/projects/http_server_broken_pipe.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'projects'))
from http_server import HTTPServer, CHUNK, SHUT_WR  # noqa: E402


class BrokenPipe(HTTPServer):
    def send_answer(self, connfd):
        n = connfd.send(self.answers[connfd][:CHUNK])   # BUG: a client that left kills us
        self.answers[connfd] = self.answers[connfd][n:]
        if not self.answers[connfd]:
            self.wlist.remove(connfd)
            del self.answers[connfd]
            connfd.shutdown(SHUT_WR)


if __name__ == '__main__':
    BrokenPipe().serve_forever()
