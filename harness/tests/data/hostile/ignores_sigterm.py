"""Answers, and ignores SIGTERM (it must be killed with SIGKILL at the end)."""
import signal

import _echo

signal.signal(signal.SIGTERM, signal.SIG_IGN)
_echo.serve()
