"""What a bench run or a test starts (servers, browsers) is stopped on any exit, by process id.

- `install()`: SIGTERM and SIGHUP (what `timeout`, CI time limits and a closed terminal send)
  raise KeyboardInterrupt in the main thread, so every `finally` and context manager runs (the
  servers' and browsers' own shutdown, pytest's fixture teardown); at exit, whatever this
  process started and is still running (its descendants, read from /proc) is stopped.
- `die_with_parent`: a `preexec_fn` for Popen: the child gets SIGTERM when its parent dies, even
  by SIGKILL, which no handler sees.
- `stop(pids)`: SIGTERM, a grace period, then SIGKILL, each by its process id (never by name).

No project import: used by bench/ (on its own path) and by the tests (as bench.processes).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import time
from collections.abc import Iterable

PR_SET_PDEATHSIG = 1
_installed = False


def die_with_parent() -> None:
    """Popen preexec_fn (Linux): SIGTERM to the child when the process that started it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _parents() -> dict[int, int]:
    """{pid: parent pid} of every live (not zombie) process, from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # after the command name, which may hold ')'
        if fields and fields[0] != b"Z":
            out[int(entry)] = int(fields[1])
    return out


def descendants(pid: int | None = None) -> list[int]:
    """The live processes below `pid` (default: this process), children first."""
    root = os.getpid() if pid is None else pid
    parents = _parents()
    found: list[int] = []
    frontier = [root]
    while frontier:
        kids = [p for p, pp in parents.items() if pp in frontier and p not in found]
        found += kids
        frontier = kids
    return found


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie is not: it has exited)."""
    return pid in _parents()


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def stop(pids: Iterable[int], grace: float = 10.0) -> list[int]:
    """SIGTERM each pid, wait up to `grace` s, SIGKILL what is left; the pids that were alive."""
    pids = [p for p in dict.fromkeys(pids) if p != os.getpid() and alive(p)]
    for p in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(p, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for p in pids:
            _reap(p)
        if not any(alive(p) for p in pids):
            return pids
        time.sleep(0.1)
    for p in pids:
        if alive(p):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(p, signal.SIGKILL)
            _reap(p)
    return pids


def stop_descendants(grace: float = 10.0) -> list[int]:
    """Stop every process this one started (directly or through a library) still running."""
    return stop(descendants(), grace)


def _interrupt(signum: int, _frame) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second signal of the same kind ends it at once
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def install() -> None:
    """SIGTERM/SIGHUP → KeyboardInterrupt (cleanup runs); descendants stopped at exit. Idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    atexit.register(stop_descendants, 5.0)
