"""Takes memory 16 MiB at a time before it listens (bounded at 2 GiB, in case nothing
contains it: the test then fails rather than the machine)."""
import _echo

hog = []
for _ in range(128):
    hog.append(bytearray(16 << 20))
_echo.serve()
