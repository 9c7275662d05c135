"""A student's hand-written queue with a lost wakeup, checked through the same adapter:
put appends under the lock but forgets to notify, so a getter already waiting sleeps on.
conform catches it (queue.get-blocks-until-put: never-returned).

    conform run scenarios/sync --adapter 'python3 examples/adapters/broken_queue.py'"""
import collections
import os
import queue
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))


class MyQueue:
    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self.items = collections.deque()
        self.cond = threading.Condition()

    def put(self, item, block=True, timeout=None):
        with self.cond:
            if self.maxsize > 0 and len(self.items) >= self.maxsize:
                if not block or not self.cond.wait_for(
                        lambda: len(self.items) < self.maxsize, timeout):
                    raise queue.Full
            self.items.append(item)
            # BUG: self.cond.notify_all() forgotten: a waiting get never wakes

    def get(self, block=True, timeout=None):
        with self.cond:
            if not self.items:
                if not block or not self.cond.wait_for(lambda: self.items, timeout):
                    raise queue.Empty
            item = self.items.popleft()
            self.cond.notify_all()
            return item

    def qsize(self):
        with self.cond:
            return len(self.items)

    def empty(self):
        return self.qsize() == 0

    def full(self):
        return self.maxsize > 0 and self.qsize() >= self.maxsize


import stdlib  # noqa: E402  (the adapter, serving this queue instead of queue.Queue)


def build(contract, maxsize):
    return MyQueue(maxsize) if contract == "queue" else stdlib.build(contract, maxsize)


if __name__ == "__main__":
    stdlib.main(build)
