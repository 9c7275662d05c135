"""Answers, and fills its working directory with files, each under the file size limit
(bounded at 2 GiB, in case nothing stops it)."""
import threading

import _echo


def fill():
    block = b"\0" * (1 << 20)
    for i in range(2048):
        with open(f"fill-{i}.bin", "wb") as f:
            for _ in range(16):
                f.write(block)


threading.Thread(target=fill, daemon=True).start()
_echo.serve()
