"""Answers every message with random bytes."""
import os

import _echo

_echo.serve(answer=lambda data: os.urandom(64))
