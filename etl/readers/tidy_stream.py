"""A large tidy CSV read by DuckDB's CSV reader as a stream, checked as etl.readers.tidy_csv does.

DuckDB parses the file (strictly: a row with another field count than the header stops it) and
keeps only the contract's columns; its distinct rows, each with the first row that holds it and
how many rows repeat it, go through the same checks as the in-memory reader
(tidy_csv.read_rows), so a file of two million rows is judged on its few thousand distinct ones.

This path is taken only when it gives what tidy_csv.read_small gives: for anything that needs a
message (a bad cell, a field count, a vintage note, two figures for one key), for a file that is
not UTF-8, holds blank lines or a line break inside a quoted field (row numbers would differ),
the caller reads the file with read_small, whose messages are the contract. The one difference
is on purpose: rows that repeat an earlier row exactly (same year, province, item and figures;
an export by commune) give their figures once, and an info line says how many repeated.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import duckdb

from etl.readers import tidy_csv
from etl.readers.base import ReadResult
from etl.text import nfc

MEMORY_LIMIT = "512MB"  # DuckDB spills the rest to a temporary folder
_CHUNK = 8 * 1024 * 1024


def _lines(path: Path) -> int:
    """Lines of the file (a last line without its newline counted), read a chunk at a time."""
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def read(path: Path, *, final: bool = False) -> ReadResult | None:
    """The file's datasets (repeated rows once), or None: read it with tidy_csv.read_small.

    final (a file too large for the in-memory reader, over tidy_csv.MAX_SMALL): never None;
    what needs a message is said here, each problem at the first row of the rows repeating it."""
    result = ReadResult()
    with open(path, "rb") as f:
        head = f.read(65536)
    try:
        first = head.decode("utf-8-sig").split("\n", 1)[0]
    except UnicodeDecodeError:
        if not final:
            return None  # a legacy encoding: the in-memory reader detects it
        result.problems.error(path, f"a tidy CSV over {_mb(tidy_csv.MAX_SMALL)} must be UTF-8",
                              cell="row 1", allowed="UTF-8 (with or without BOM)",
                              action="save the file again as 'CSV UTF-8'",
                              message_vi=f"tệp CSV gọn lớn hơn {_mb(tidy_csv.MAX_SMALL)} phải "
                                         "mã hóa UTF-8",
                              action_vi="lưu lại tệp dạng 'CSV UTF-8'")
        return result
    sep = tidy_csv.delimiter(first)
    fieldnames = [h.strip().lower() for h in first.rstrip("\r").split(sep)] if '"' not in first \
        else tidy_csv.header_of(path)
    if missing := tidy_csv.required_missing(fieldnames):
        if not final:
            return None
        tidy_csv.missing_error(result, path, fieldnames, missing)
        return result
    # the contract's columns, each at its last occurrence (as the in-memory reader's index)
    wanted = {name: i for i, name in enumerate(fieldnames)}
    keep = [n for n in ("year", *tidy_csv.PROVINCE_CODE_COLS, *tidy_csv.PROVINCE_NAME_COLS,
                        *tidy_csv.ITEM_COLS, *tidy_csv.VALUE_COLS, *tidy_csv.EXTRA) if n in wanted]
    columns = {f"c{i}": "VARCHAR" for i in range(len(fieldnames))}
    picked = ", ".join(f"c{wanted[n]}" for n in keep)
    tmp = tempfile.mkdtemp(prefix="papi-csv-")
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": tmp})
    try:
        con.execute(
            "CREATE TEMP TABLE t AS SELECT " + picked + " FROM read_csv(?, delim = ?, "  # noqa: S608
            "quote = '\"', escape = '\"', header = false, skip = 1, auto_detect = false, "
            "strict_mode = true, columns = ?)", [str(path), sep, columns])
        n_rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]  # count(*): one row
        numbered = _lines(path) == n_rows + 1
        if not numbered and not final:
            return None  # blank lines or multi-line fields: row numbers need the other reader
        distinct = con.execute(
            "SELECT *, min(rowid) AS first_row, count(*) AS n FROM t GROUP BY ALL "
            "ORDER BY first_row").fetchall()
    except (duckdb.Error, UnicodeDecodeError) as exc:
        if not final:
            return None  # a field count, an encoding, a quote: the in-memory reader names it
        _unreadable(result, path, exc)
        return result
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
    width = len(keep)
    rows = [[nfc(c) if c is not None else "" for c in r[:width]] for r in distinct]
    numbers = [r[width] + 2 for r in distinct]  # rowid 0 is the file's row 2
    tidy_csv.read_rows(path, result, keep, rows, numbers, sep)
    if result.problems.items and not final:
        return None  # messages name every row as the in-memory reader does: let it say them
    seen: set[tuple] = set()
    for ds in result.datasets:
        c = ds.cols
        for key in zip([ds.year] * len(c), c.province_code, c.item_code, c.measure, strict=True):
            if key in seen and not final:
                return None  # one key, two figures: reconciliation names every row
            seen.add(key)
    repeated = n_rows - len(distinct)
    if repeated:
        result.problems.info(path, f"{repeated:,} rows repeat an earlier row exactly (year, "
                             "province, item and figures); each figure is loaded once"
                             + ("; a problem is named at the first of the rows repeating it"
                                if result.problems.items else ""),
                             found=f"{n_rows:,} rows, {len(distinct):,} distinct",
                             message_vi=f"{repeated:,}".replace(",", ".") + " dòng lặp lại "
                                        "đúng một dòng trước (năm, tỉnh, chỉ tiêu và số liệu); "
                                        "mỗi số liệu chỉ nạp một lần")
    if not numbered:
        result.problems.warning(path, "row numbers in the messages count data rows only: the "
                                "file has blank lines or line breaks inside quoted fields",
                                message_vi="số dòng trong các thông báo chỉ đếm dòng dữ liệu: "
                                           "tệp có dòng trống hoặc xuống dòng trong ô có ngoặc "
                                           "kép")
    result.rows_read = n_rows
    return result


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def _unreadable(result: ReadResult, path: Path, exc: Exception) -> None:
    """DuckDB's parse error (a field count, an encoding, a quote) as an error naming its line."""
    text = str(exc)
    line = re.search(r"Line: (\d+)", text)
    original = re.search(r"Original Line: (.*)", text)
    what = next((s.strip() for s in text.splitlines()
                 if s.startswith(("Expected Number", "Invalid unicode", "Value with"))),
                text.splitlines()[0][:200])
    result.problems.error(path, f"the row cannot be read as CSV ({what})",
                          cell=f"row {line.group(1)}" if line else None,
                          found=original.group(1)[:300] if original else None,
                          allowed="as many fields as the header; UTF-8",
                          action="quote a value that holds the separator, add the missing or "
                                 "remove the extra fields, save the file as 'CSV UTF-8'",
                          message_vi=f"không đọc được dòng này dưới dạng CSV ({what})",
                          allowed_vi="đúng số trường như dòng tiêu đề; mã hóa UTF-8",
                          action_vi="đặt giá trị chứa dấu phân cách trong ngoặc kép, thêm trường "
                                    "thiếu hoặc bỏ trường thừa, lưu lại dạng 'CSV UTF-8'")
