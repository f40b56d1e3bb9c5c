"""Bounds on what reading one workbook may cost, checked by streaming its zip before any reader.

A .xlsx is a zip of XML parts: a 0.2 MB file can hold shared strings that expand to 200 MB, or
a sheet of millions of cells. Before calamine or openpyxl loads a workbook, its parts are
decompressed as a stream (never held whole) and measured: the shared strings' expanded size,
each part's expanded size, and the cells holding a value. Over a bound, the workbook is not
read: one error naming the file, the part and the bound. The real PAPI workbooks use a few
percent of each bound (the 2015–2023 workbook: 7 MB of XML, 84,000 cells).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from etl.problems import Problem

MAX_SHARED_STRINGS = 64 * 1024 * 1024  # expanded bytes of xl/sharedStrings.xml
MAX_PART = 256 * 1024 * 1024  # expanded bytes of any one XML part
MAX_CELLS = 2_000_000  # cells holding a value, all sheets together
_CHUNK = 1024 * 1024
KEEP_MAX = 64 * 1024 * 1024  # expanded worksheet XML kept for xml_scan, all sheets together
_VALUE_ENDS = (b"</v>", b":v>", b"</is>", b":is>")  # a value (any namespace prefix), inline text


class TooLarge(ValueError):
    """A workbook over one of the bounds; `.problem` names the file, the part and the bound."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def _stream(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, count: bool,
            chunks: list[bytes] | None = None, exact: bool = True) -> tuple[int, int]:
    """(expanded bytes up to limit + 1, values counted) of one part, read a chunk at a time;
    the chunks appended to `chunks` when given. Not `exact`: the '>' counted instead, a bound
    on the values (each value tag ends with its own '>') that one byte scan gives."""
    size = cells = 0
    tail = b""
    with z.open(info) as f:
        while size <= limit:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if chunks is not None:
                chunks.append(chunk)
            if count and not exact:
                cells += chunk.count(b">")
            elif count:
                joined = tail + chunk  # a closing tag split across two chunks is counted once
                cells += sum(joined.count(t) for t in _VALUE_ENDS)
                cells -= sum(tail.count(t) for t in _VALUE_ENDS)
                tail = chunk[-5:]
    return size, cells


class _NearBound(Exception):
    """The '>' of the sheets so far exceed MAX_CELLS: their values are counted exactly."""


def check(path: Path) -> None:
    """Raise TooLarge when the workbook at `path` is over a bound (zip errors pass through)."""
    check_keeping(path, keep=False)


def check_keeping(path: Path, keep: bool = True) -> dict[str, bytes]:
    """check(), handing back each worksheet part's expanded XML ({zip member: bytes}, up to
    KEEP_MAX in all) so that xml_scan does not decompress the sheets a second time. A workbook
    already checked (same path, time and size) is not streamed again: {} then."""
    key = (Path(path), *signature(path), MAX_SHARED_STRINGS, MAX_PART, MAX_CELLS)
    if key in _PASSED:
        return {}
    kept: dict[str, bytes] | None = {} if keep else None
    _check(*key, kept)
    if len(_PASSED) >= 256:  # one entry per file and build, as the lru_cache it replaces
        _PASSED.pop(next(iter(_PASSED)))
    _PASSED[key] = None
    return kept or {}


_PASSED: dict[tuple, None] = {}  # the workbooks within the bounds, by signature and bounds


def cache_clear() -> None:
    """Forget which workbooks passed (tests and benchmarks)."""
    _PASSED.clear()


def exceeded(path: Path) -> bool:
    """Whether the workbook is over a bound (False for what is not a readable zip): the result
    of the check the score reader made, reused by the plans step at no cost."""
    try:
        check(path)
    except TooLarge:
        return True
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    return False


def signature(path: Path) -> tuple[int, int]:
    """(modification time in ns, size): a file saved again reads as another file."""
    st = Path(path).stat()
    return st.st_mtime_ns, st.st_size


def _check(path: Path, _mtime: int, _size: int, max_strings: int, max_part: int,
           max_cells: int, kept: dict[str, bytes] | None = None) -> None:
    """Stream the parts once counting '>' (a bound on the values); only a workbook whose bound
    passes MAX_CELLS is streamed again counting its values exactly (the bound's decision)."""
    try:
        _walk(path, max_strings, max_part, max_cells, kept, exact=False)
    except _NearBound:
        if kept is not None:
            kept.clear()
        _walk(path, max_strings, max_part, max_cells, kept, exact=True)


def _walk(path: Path, max_strings: int, max_part: int, max_cells: int,
          kept: dict[str, bytes] | None, exact: bool) -> None:
    cells = held = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name = info.filename
            if not name.lower().endswith((".xml", ".rels")) and "sharedstrings" not in \
                    name.lower():
                continue  # media and binary parts are not parsed by the readers
            shared = name.lower().endswith("sharedstrings.xml")
            limit = min(max_strings, max_part) if shared else max_part
            sheet = name.startswith("xl/worksheets/")
            chunks: list[bytes] | None = [] if kept is not None and sheet else None
            size, found = _stream(z, info, limit, count=sheet, chunks=chunks, exact=exact)
            if size > limit:
                what = "shared strings" if shared else f"part {name}"
                what_vi = "bảng chuỗi dùng chung" if shared else f"phần {name}"
                raise TooLarge(_problem(
                    path, name, f"the workbook's {what} expand to more than {_mb(limit)}",
                    f"{what_vi} của sổ tính giãn ra hơn {_mb(limit)}", f"> {_mb(limit)}",
                    f"at most {_mb(limit)}"))
            cells += found
            if cells > max_cells and not exact:
                raise _NearBound
            if cells > max_cells:
                raise TooLarge(_problem(
                    path, name, f"the workbook holds more than {max_cells:,} cells with a value",
                    f"sổ tính có hơn {max_cells:,} ô có giá trị".replace(",", "."),
                    f"> {max_cells:,} cells", f"at most {max_cells:,} cells"))
            if kept is not None and chunks is not None and held + size <= KEEP_MAX:
                kept[name] = chunks[0] if len(chunks) == 1 else b"".join(chunks)
                held += size


def _problem(path: Path, part: str, message: str, message_vi: str, found: str,
             allowed: str) -> Problem:
    return Problem(str(path), message + "; the workbook is not read", cell=part, found=found,
                   allowed=allowed,
                   action="check that this is the right file; save the data as a tidy CSV "
                          "(see the README) if it really is this large",
                   message_vi=message_vi + "; không đọc sổ tính này",
                   allowed_vi=allowed.replace("at most", "tối đa").replace("cells", "ô"),
                   action_vi="kiểm tra có đúng tệp không; nếu dữ liệu thật sự lớn như vậy, lưu "
                             "thành CSV gọn (xem README)")
