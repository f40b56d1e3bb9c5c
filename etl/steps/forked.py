"""Work a build hands to a forked child process (Linux), done on a second core meanwhile.

`with ahead(fn, *args) as job: … value = job.get()`: the child runs fn(*args) and sends its result
back pickled; get() waits for it. When there is no child (not Linux, PAPI_ETL_FORK=0) or it
failed in any way (an exception, a signal, a result that does not unpickle), get() runs fn(*args)
in this process: values, problems and raised errors are always those of a build without it.

The child never touches DuckDB, never prints and ends with os._exit (no exit handler, no flush of
anything the parent holds). fn must only read: what it changes stays in the child. Python's
threads do not share the interpreter lock with a process, so this is how the build's pure-Python
work (reading a tidy CSV, reconciling sources) runs beside the parent's (reading workbooks,
writing DuckDB tables). Leaving the `with` without get() ends the child.
"""

from __future__ import annotations

import atexit
import gc
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
SWITCH = "PAPI_ETL_FORK"  # "0": every job in this process (the same results, one core)


def available() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and os.environ.get(SWITCH, "1") != "0"


class Job(Generic[T]):
    """fn(*args), done by a forked child when there is one."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...], fork: bool):
        self.fn, self.args, self.fork = fn, args, fork
        self.pid: int | None = None
        self.fd: int | None = None

    def __enter__(self) -> Job[T]:
        if self.fork and available():
            self._fork()
        return self

    def __exit__(self, *exc: object) -> None:
        self._end()

    def _fork(self) -> None:
        try:
            read, write = os.pipe()
        except OSError:  # no file descriptor left: the work is done here
            return
        try:
            with warnings.catch_warnings():  # 3.12+ warns about forking a process with
                warnings.simplefilter("ignore", DeprecationWarning)  # threads: the child uses
                pid = os.fork()  # none of theirs
        except OSError:  # no memory or process left for a child: the work is done here
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child
            code = 1
            try:
                gc.disable()  # short-lived: a collection would touch (and copy) every shared page
                os.close(read)
                data = pickle.dumps(self.fn(*self.args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def get(self) -> T:
        """The child's result, or fn(*args) computed here."""
        done, value = self._collect()
        return value if done else self.fn(*self.args)

    def collected(self) -> tuple[bool, T | None]:
        """(True, the child's result), or (False, None) when there was none: nothing is
        computed here (for a caller with its own way of doing the work)."""
        return self._collect()

    def _collect(self) -> tuple[bool, Any]:
        if self.pid is None or self.fd is None:
            return False, None
        fd, self.fd = self.fd, None
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        pid, self.pid = self.pid, None
        # its end is not waited for (≈ 5 ms of unmapping a copy of this process): a result
        # cut short does not unpickle, so the bytes say whether the child finished its work
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            _UNREAPED.append(pid)
        if status != 0 or not data:
            return False, None
        try:
            return True, pickle.loads(data)  # noqa: S301 - our own child's bytes, via a pipe
        except Exception:  # noqa: BLE001 - any failure: the work is done here instead
            return False, None

    def _end(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None


_UNREAPED: list[int] = []  # children whose result was read, ending by themselves


def reap(wait: bool = False) -> None:
    """Reap the children whose result was read (no zombie left): those that have ended, or,
    with `wait`, all (at exit, and before each new child)."""
    for pid in list(_UNREAPED):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # reaped already
            done = pid
        if done:
            _UNREAPED.remove(pid)


atexit.register(reap, True)


def ahead(fn: Callable[..., T], *args: Any, fork: bool = True) -> Job[T]:
    """A job to enter with `with`: fn(*args), started in a child as the block begins (`fork`
    False: done by get(), here; for work too small to be worth a process)."""
    reap()
    return Job(fn, args, fork)
