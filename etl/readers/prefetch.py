"""Workbooks opened ahead in a thread: bounds checked and sheets parsed while `papi etl` loads.

Checking a workbook's bounds is mostly decompressing its zip, and parsing its sheets is
calamine's Rust code: both release the GIL. `papi etl` starts this thread before it imports
numpy and DuckDB, so on a second core the workbooks are ready when the build reaches them
(about 0.07 s of a build on the real files). The reader takes each result once
(workbook.read); anything it raised is raised there, at the point where the reader would have
raised it, so messages and refusals are the same as reading without it. A file changed since
(another time or size) is read again. At most AHEAD workbooks are held before being taken.

Where the build may fork (etl.steps.forked: Linux, PAPI_ETL_FORK not "0") the whole of
workbook.read runs ahead instead, in a child process started before numpy and DuckDB load:
calamine's parsing and the Python that turns cells into observations both leave the build's
path (−21 ms of a whole `papi etl` on the real files, 15 alternating runs; reading the tidy CSV
there too gained nothing: three processes on two cores). The child hands back each workbook's
ReadResult with the file's signature; a child that fails in any way, or a file changed since,
is read here, so values, problems and errors are those of reading here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from python_calamine import CalamineWorkbook, SheetTypeEnum

from etl.readers import bounds

if TYPE_CHECKING:
    from etl.readers.base import ReadResult

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
AHEAD = 2


@dataclass
class Opened:
    """One workbook read ahead: the bounds check's kept XML and calamine's raw sheets, or what
    each step raised."""

    signature: tuple[int, int]
    kept: dict[str, bytes] | None = None
    kept_error: BaseException | None = None
    sheets: dict[str, list[list]] | None = None
    sheets_error: BaseException | None = None

    def checked(self) -> dict[str, bytes]:
        if self.kept_error is not None:
            raise self.kept_error
        return self.kept or {}

    def raw_sheets(self) -> dict[str, list[list]]:
        if self.sheets_error is not None:
            raise self.sheets_error
        return self.sheets or {}


class _Ahead:
    def __init__(self, paths: list[Path]):
        self.order = list(paths)
        self.pending = set(self.order)  # not yet taken by the reader
        self.started: set[Path] = set()
        self.done: dict[Path, Opened] = {}
        self.finished = False
        self.cond = threading.Condition()

    def run(self) -> None:
        try:
            for path in self.order:
                with self.cond:
                    self.cond.wait_for(lambda: len(self.done) < AHEAD)
                    if path not in self.pending:  # the reader reached it first
                        continue
                    self.started.add(path)
                opened = open_workbook(path)
                with self.cond:
                    self.done[path] = opened
                    self.cond.notify_all()
        finally:
            with self.cond:
                self.finished = True
                self.cond.notify_all()

    def take(self, path: Path) -> Opened | None:
        """The workbook once read ahead (waiting while it is being read), or None when it was
        not, or not yet, started (then it never is: the reader reads it itself)."""
        with self.cond:
            if path not in self.pending:
                return None
            self.pending.discard(path)
            if path not in self.started:
                return None
            self.cond.wait_for(lambda: path in self.done or self.finished)
            opened = self.done.pop(path, None)
            self.cond.notify_all()
            return opened


class _Forked:
    """Every workbook read whole (workbook.read) by one forked child, in order."""

    def __init__(self, workbooks: list[Path]):
        from etl.steps import forked

        self.pending = set(workbooks)
        self.results: dict[Path, tuple[tuple[int, int], ReadResult]] | None = None
        self.job = forked.ahead(_read_all, workbooks)
        self.job.__enter__()

    def take(self, path: Path) -> ReadResult | None:
        """The workbook's ReadResult (waiting for the child), or None: read it here."""
        if path not in self.pending:
            return None
        self.pending.discard(path)
        if self.results is None:
            done, value = self.job.collected()
            self.results = value if done and value is not None else {}
        signature, result = self.results.pop(path, (None, None))
        if result is None or signature != bounds.signature(path):
            return None
        return result

    def end(self) -> None:
        self.job.__exit__(None, None, None)


def _read_all(paths: list[Path]) -> dict[Path, tuple[tuple[int, int], Any]]:
    """In the child: each workbook's signature, then workbook.read of it (one whose signature
    cannot be taken is left to the parent, which reports it)."""
    global _current, _forked
    _current = _forked = None  # this process reads for itself
    from etl.readers import workbook

    out = {}
    for path in paths:
        try:
            signature = bounds.signature(path)
        except OSError:
            continue
        out[path] = (signature, workbook.read(path))
    return out


_current: _Ahead | None = None
_forked: _Forked | None = None


def start(paths: list[Path]) -> None:
    """Read the workbooks among `paths` ahead, in their order: whole, in a forked child where
    the build may fork, else their sheets in a daemon thread."""
    global _current, _forked
    from etl.steps import forked

    workbooks = [Path(p) for p in paths if Path(p).suffix.lower() in WORKBOOK_SUFFIXES]
    if not workbooks:
        return
    if forked.available():
        _forked = _Forked(workbooks)
        return
    _current = _Ahead(workbooks)
    threading.Thread(target=_current.run, name="papi-workbooks-ahead", daemon=True).start()


def discard() -> None:
    """Forget what was read ahead (a read-ahead serves one build: the command that started it
    ends it); the thread stops after the workbook it is reading, if any; the child is ended."""
    global _current, _forked
    ahead, _current = _current, None
    if ahead is not None:
        with ahead.cond:
            ahead.pending.clear()
            ahead.done.clear()
            ahead.cond.notify_all()
    child, _forked = _forked, None
    if child is not None:
        child.end()


def read_whole(path: Path) -> ReadResult | None:
    """The workbook's ReadResult read ahead by the child (waiting for it), or None: read it
    here."""
    child = _forked
    return child.take(Path(path)) if child is not None else None


def take(path: Path) -> Opened | None:
    """The workbook read ahead (waiting for it if need be), or None: read it now."""
    ahead = _current
    if ahead is None:
        return None
    opened = ahead.take(Path(path))
    if opened is None or opened.signature != bounds.signature(path):
        return None
    return opened


def open_workbook(path: Path) -> Opened:
    """What workbook.read does first, in its order: the bounds, then calamine's raw sheets
    (only for a workbook within the bounds)."""
    try:
        opened = Opened(bounds.signature(path))
    except OSError as exc:
        return Opened((0, -1), kept_error=exc)
    try:
        opened.kept = bounds.check_keeping(path)
    except BaseException as exc:  # noqa: BLE001 - raised again by the reader, in its place
        opened.kept_error = exc
        return opened
    try:
        opened.sheets = raw_sheets(path)
    except BaseException as exc:  # noqa: BLE001 - as above
        opened.sheets_error = exc
    return opened


def raw_sheets(path: Path) -> dict[str, list[list]]:
    """Every worksheet's cell values as calamine gives them, from A1."""
    wb = CalamineWorkbook.from_path(str(path))
    try:
        return {meta.name: wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                for meta in wb.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet}
    finally:
        wb.close()
