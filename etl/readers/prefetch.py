"""Workbooks opened ahead in a thread: bounds checked and sheets parsed while `papi etl` loads.

Checking a workbook's bounds is mostly decompressing its zip, and parsing its sheets is
calamine's Rust code: both release the GIL. `papi etl` starts this thread before it imports
numpy and DuckDB, so on a second core the workbooks are ready when the build reaches them
(about 0.07 s of a build on the real files). The reader takes each result once
(workbook.read); anything it raised is raised there, at the point where the reader would have
raised it, so messages and refusals are the same as reading without it. A file changed since
(another time or size) is read again. At most AHEAD workbooks are held before being taken.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetTypeEnum

from etl.readers import bounds

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


_current: _Ahead | None = None


def start(paths: list[Path]) -> None:
    """Read the workbooks among `paths` ahead, in their order, in a daemon thread."""
    global _current
    workbooks = [Path(p) for p in paths if Path(p).suffix.lower() in WORKBOOK_SUFFIXES]
    if not workbooks:
        return
    _current = _Ahead(workbooks)
    threading.Thread(target=_current.run, name="papi-workbooks-ahead", daemon=True).start()


def discard() -> None:
    """Forget what was read ahead (a read-ahead serves one build: the command that started it
    ends it); the thread stops after the workbook it is reading, if any."""
    global _current
    ahead, _current = _current, None
    if ahead is not None:
        with ahead.cond:
            ahead.pending.clear()
            ahead.done.clear()
            ahead.cond.notify_all()


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
