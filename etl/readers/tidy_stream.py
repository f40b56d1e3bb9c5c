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


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read(path: Path) -> ReadResult | None:
    """The file's datasets (repeated rows once), or None: read it with tidy_csv.read_small."""
    with open(path, "rb") as f:
        head = f.read(65536)
    try:
        first = head.decode("utf-8-sig").split("\n", 1)[0]
    except UnicodeDecodeError:
        return None  # a legacy encoding: the in-memory reader detects it
    sep = tidy_csv.delimiter(first)
    fieldnames = [h.strip().lower() for h in first.rstrip("\r").split(sep)] if '"' not in first \
        else tidy_csv.header_of(path)
    if tidy_csv.required_missing(fieldnames):
        return None
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
        n_rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        if _lines(path) != n_rows + 1:
            return None  # blank lines or multi-line fields: row numbers need the other reader
        distinct = con.execute(
            "SELECT *, min(rowid) AS first_row, count(*) AS n FROM t GROUP BY ALL "
            "ORDER BY first_row").fetchall()
    except (duckdb.Error, UnicodeDecodeError):
        return None  # a field count, an encoding, a quote: the in-memory reader names it
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
    width = len(keep)
    rows = [[nfc(c) if c is not None else "" for c in r[:width]] for r in distinct]
    numbers = [r[width] + 2 for r in distinct]  # rowid 0 is the file's row 2
    result = ReadResult()
    tidy_csv.read_rows(path, result, keep, rows, numbers, sep)
    if result.problems.items:
        return None  # messages name every row as the in-memory reader does: let it say them
    seen: set[tuple] = set()
    for ds in result.datasets:
        for o in ds.observations:
            key = (o.year, o.province_code, o.item_code, o.measure)
            if key in seen:
                return None  # one key, two figures: reconciliation names every row
            seen.add(key)
    repeated = n_rows - len(distinct)
    if repeated:
        result.problems.info(path, f"{repeated:,} rows repeat an earlier row exactly (year, "
                             "province, item and figures); each figure is loaded once",
                             found=f"{n_rows:,} rows, {len(distinct):,} distinct",
                             message_vi=f"{repeated:,}".replace(",", ".") + " dòng lặp lại "
                                        "đúng một dòng trước (năm, tỉnh, chỉ tiêu và số liệu); "
                                        "mỗi số liệu chỉ nạp một lần")
    result.rows_read = n_rows
    return result
