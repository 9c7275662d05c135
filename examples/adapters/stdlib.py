"""A conform adapter (docs/adapter.md) around Python's own primitives: queue.Queue,
threading.Event, threading.Lock and threading.Thread. conform sends one JSON object a line on
stdin; every actor's operations run on a thread of their own, so a blocking get holds up only
its actor; each answer goes back on stdout with the request's id.

    conform run scenarios/sync scenarios/threads --adapter 'python3 examples/adapters/stdlib.py'

Copy it and replace `build` with your own class to check it."""
import json
import queue
import sys
import threading
import time

out = threading.Lock()  # one answer a line, whole


def answer(request, **fields):
    fields["id"] = request["id"]
    with out:
        sys.stdout.write(json.dumps(fields) + "\n")
        sys.stdout.flush()


def build(contract, maxsize):
    """The subject to check: replace these with your own classes."""
    if contract == "queue":
        return queue.Queue(maxsize)
    if contract == "event":
        return threading.Event()
    if contract == "lock":
        return threading.Lock()
    if contract == "thread":
        return {}  # threads started by name
    raise ValueError("unknown contract " + contract)


def timeout_of(r):
    return r.get("timeout")  # seconds, or None: as long as it takes


def run(subject, r):
    """One operation: its value, or raises Failed with the contract's error."""
    op = r["op"]
    if op == "put":
        try:
            subject.put(r["item"], r["block"], timeout_of(r))
        except queue.Full:
            raise Failed("full")
        except getattr(queue, "ShutDown", ()):
            raise Failed("closed")
        return None
    if op == "get":
        try:
            return subject.get(r["block"], timeout_of(r))
        except queue.Empty:
            raise Failed("empty")
        except getattr(queue, "ShutDown", ()):
            raise Failed("closed")
    if op in ("qsize", "empty", "full"):
        return getattr(subject, op)()
    if op == "close":
        if not hasattr(subject, "shutdown"):  # Python 3.13 added Queue.shutdown
            raise Failed("unsupported: close")
        subject.shutdown()
        return None
    if op in ("set", "clear", "is_set"):
        return getattr(subject, op)()
    if op == "set_clear":
        subject.set()
        subject.clear()
        return None
    if op == "wait":
        return subject.wait(timeout_of(r))
    if op == "acquire":
        if not r["block"]:
            return subject.acquire(False)
        t = timeout_of(r)
        return subject.acquire(True, -1 if t is None else t)
    if op == "release":
        try:
            subject.release()
        except RuntimeError:
            raise Failed("not-locked")
        return None
    if op == "locked":
        return subject.locked()
    if op == "with":
        try:
            with subject:
                time.sleep(r["hold"])
                if r["raise"]:
                    raise Raised()
        except Raised:
            raise Failed("raised")
        return None
    if op == "start":
        t = threading.Thread(name=r["thread"], target=time.sleep, args=(r["runs_for"] or 0,))
        subject[r["thread"]] = t
        t.start()
        return None
    if op in ("is_alive", "join", "name", "ident"):
        t = subject.get(r["thread"])
        if t is None:
            raise Failed("no-such-thread")
        if op == "join":
            t.join(timeout_of(r))
            return not t.is_alive()
        return {"is_alive": t.is_alive, "name": lambda: t.name, "ident": lambda: t.ident}[op]()
    raise Failed("unsupported: " + op)


class Failed(Exception):
    pass


class Raised(Exception):
    pass


def actor_loop(inbox, holder):
    while True:
        r = inbox.get()
        try:
            answer(r, value=run(holder["subject"], r))
        except Failed as e:
            answer(r, error=str(e))


def main(build=build):
    """Serves conform's requests until stdin ends; `build(contract, maxsize)` makes the
    subject."""
    holder, inboxes = {}, {}
    for line in sys.stdin:
        r = json.loads(line)
        if "new" in r:
            holder["subject"] = build(r["new"], r.get("maxsize", 0))
            answer(r, ok=True)
            continue
        actor = r.get("actor", "main")
        if actor not in inboxes:
            inboxes[actor] = queue.Queue()
            threading.Thread(target=actor_loop, args=(inboxes[actor], holder), daemon=True).start()
        inboxes[actor].put(r)


if __name__ == "__main__":
    main()
