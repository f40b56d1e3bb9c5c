"""Read a tidy CSV of PAPI scores (one row per year × province × item): the documented contract.

Separator: the one of comma, semicolon and tab that splits the header into the contract's
columns (a ';' or tab file is what Excel saves under Vietnamese regional settings). Every row has
the header's field count (else an error naming the row: a value never parses by dropping a
field). Decimal separator: the file's (decimal_separator), never guessed cell by cell. Files of
LARGE bytes or more are tried with DuckDB first (etl.readers.tidy_stream).
Required columns (names case-insensitive): `year`; a province as
`gso_code` / `province_code` (GSO code) or `province` / `province_vi` (name); an item as
`item_code` (TOTAL, D1, D1.1, …) or `subdim_no` (1.1 → D1.1); the value as `score` / `value`.
Optional: `ci_low`, `ci_high`, `std_error`. Encoding: UTF-8 (with or without BOM);
Windows-1258 and other legacy encodings are detected. Empty or KCDL cells mean "not published".

Provinces: by the 63 (until 30/06/2025) or by the 34 (from 01/07/2025); each year of the file is
one vintage, decided from its codes and names (see etl.readers.vintage), never by default.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import cast

from etl import ref
from etl.readers import vintage
from etl.readers.base import Dataset, ReadResult
from etl.readers.cells import parse_number
from etl.readers.vintage import Entry
from etl.text import nfc

PROVINCE_CODE_COLS = ("gso_code", "province_code", "ma_tinh", "code")
PROVINCE_NAME_COLS = ("province_vi", "province", "province_name", "ten_tinh", "province_en")
ITEM_COLS = ("item_code", "subdim_no")
VALUE_COLS = ("score", "value")
EXTRA = ("ci_low", "ci_high", "std_error")
_GROUPS = (("year",), ITEM_COLS, VALUE_COLS, PROVINCE_CODE_COLS + PROVINCE_NAME_COLS)


def decode(data: bytes) -> str:
    for enc in ("utf-8-sig",):
        try:
            return nfc(data.decode(enc))
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # only for a file that is not UTF-8

    best = from_bytes(data, cp_isolation=["cp1258", "cp1252", "utf_16", "latin_1"]).best()
    return nfc(str(best) if best is not None else data.decode("cp1258", errors="replace"))


def delimiter(header: str) -> str:
    """The file's separator, from its header line: of ',', ';' and a tab, the one that splits
    the header into the most contract columns (a comma inside one column name of a ';' file does
    not make it a comma file); ',' as the contract says when none does better. A ';' or tab file
    is what Excel under Vietnamese regional settings saves (with decimal commas)."""
    def known(sep: str) -> int:
        cols = {h.strip().lower() for h in next(csv.reader([header], delimiter=sep), [])}
        return sum(bool(cols & set(g)) for g in _GROUPS)

    scores = {sep: known(sep) for sep in (",", ";", "\t")}
    best = max(scores.values())
    if best == 0:  # no contract column at all: the rule before (',' unless the header has none)
        if "," in header:
            return ","
        return max((";", "\t"), key=header.count) if (";" in header or "\t" in header) else ","
    return next(sep for sep in (",", ";", "\t") if scores[sep] == best)


def header_of(path: Path) -> list[str]:
    with open(path, "rb") as f:
        first = f.read(4096)
    line = decode(first).splitlines()[0] if first else ""
    return [h.strip().lower() for h in next(csv.reader([line], delimiter=delimiter(line)), [])]


def looks_like(path: Path) -> bool:
    """A CSV with a year column and at least two of province, item and value columns."""
    cols = set(header_of(path))
    return "year" in cols and sum(bool(cols & set(g)) for g in _GROUPS[1:]) >= 2


LARGE = 16 * 1024 * 1024  # bytes: a file this large is first tried with DuckDB (tidy_stream)
# bytes: the in-memory reader's bound (it needs ~17× the file in memory); a larger file is
# judged by DuckDB alone, a problem named at the first of the rows repeating it
MAX_SMALL = 128 * 1024 * 1024


def read(path: Path) -> ReadResult:
    """The file's datasets and problems. A large file is read by DuckDB as a stream when it is
    clean (etl.readers.tidy_stream); any doubt, and every small file, goes to read_small, up to
    its bound MAX_SMALL."""
    size = path.stat().st_size
    if size >= LARGE or size > MAX_SMALL:
        from etl.readers import tidy_stream

        fast = tidy_stream.read(path, final=size > MAX_SMALL)
        if fast is not None:
            return fast
    return read_small(path)


def missing_error(result: ReadResult, path: Path, fieldnames: list[str],
                  missing: list[tuple[str, ...]]) -> None:
    result.problems.error(path, "required column missing", cell="row 1",
                          found=", ".join(fieldnames),
                          allowed="columns " + "; ".join(" or ".join(g) for g in missing),
                          action="add the column (see the tidy CSV contract in the README)",
                          message_vi="thiếu cột bắt buộc",
                          allowed_vi="các cột " + "; ".join(" hoặc ".join(g) for g in missing),
                          action_vi="thêm cột đó (xem quy ước CSV gọn trong README)")


def required_missing(fieldnames: list[str]) -> list[tuple[str, ...]]:
    """The required column groups none of whose names is in the header."""
    cols = set(fieldnames)
    return [g for g in (("year",), ITEM_COLS, VALUE_COLS, PROVINCE_CODE_COLS + PROVINCE_NAME_COLS)
            if not cols & set(g)]


def read_small(path: Path) -> ReadResult:
    """The whole file decoded and parsed in memory (the reader's oracle: every check, in file
    order)."""
    result = ReadResult()
    text = decode(path.read_bytes())
    # csv.reader rows as lists (DictReader's dict per row is the slow part): blank lines are
    # skipped and rows numbered as DictReader does; a duplicated column name means its last
    # occurrence, a short row's missing cells are None. Checked column by column: the same few
    # years, items and provinces repeat, so each distinct cell is judged once.
    first_line = text.split("\n", 1)[0]
    sep = delimiter(first_line)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    fieldnames = [h.strip().lower() for h in next(reader, [])]
    rows = [r for r in reader if r]
    missing = required_missing(fieldnames)
    if missing:
        missing_error(result, path, fieldnames, missing)
        return result
    rows, numbers = _whole_rows(rows, len(fieldnames), sep, path, result)
    read_rows(path, result, fieldnames, rows, numbers, sep)
    return result


def read_rows(path: Path, result: ReadResult, fieldnames: list[str], rows: list[list[str]],
              numbers: list[int], sep: str) -> None:
    """Check and read rows as wide as the header (numbers: each one's row in the file) into
    `result`, column by column: the same few years, items and provinces repeat, so each distinct
    cell is judged once."""
    cols = set(fieldnames)
    index = {name: i for i, name in enumerate(fieldnames)}
    code_col = next((c for c in PROVINCE_CODE_COLS if c in cols), None)
    name_col = next((c for c in PROVINCE_NAME_COLS if c in cols), None)
    item_col = next(c for c in ITEM_COLS if c in cols)
    value_col = next(c for c in VALUE_COLS if c in cols)
    measures = [("value", value_col)] + [(m, m) for m in EXTRA if m in cols]
    column = _columns(rows)
    years = [(t or "").strip() for t in column(index["year"])]
    raw_items = column(index[item_col])
    codes_text = [(t or "").strip() for t in column(index[code_col] if code_col else None)]
    names = [(t or "").strip() for t in column(index[name_col] if name_col else None)]
    known_items = {c for e in ref.eras() for c in e.items} | {i.item_code for i in ref.indicators()}
    survey_year = {t: int(t) if t.isdigit() and 2006 <= int(t) <= 2100 else None
                   for t in dict.fromkeys(years)}
    items = {raw: _item(raw, item_col) for raw in dict.fromkeys(raw_items)}
    by_year: dict[int, list[int]] = {}  # year → its rows (0-based, in file order)
    entries: dict[int, dict[tuple, Entry]] = {}  # year → first entry of each (code, name)
    keys = [(c or None, m or None) for c, m in zip(codes_text, names, strict=True)]
    item_of = [items[raw] for raw in raw_items]
    for i, (year_text, item) in enumerate(zip(years, item_of, strict=True)):
        year = survey_year[year_text]
        if year is None:
            result.problems.error(path, "year is not a survey year",
                                  cell=f"row {numbers[i]}, column year", found=year_text,
                                  allowed="a year such as 2024",
                                  message_vi="không phải năm khảo sát",
                                  allowed_vi="một năm, ví dụ 2024")
            continue
        if item not in known_items:
            result.problems.error(path, "unknown PAPI item", cell=f"row {numbers[i]}, column {item_col}",
                                  found=raw_items[i], allowed="TOTAL, D1…D8, D1.1 … (or 1.1 …)",
                                  message_vi="mã chỉ tiêu PAPI không tồn tại",
                                  allowed_vi="TOTAL, D1…D8, D1.1 … (hoặc 1.1 …)")
            continue
        key = keys[i]
        seen = entries.setdefault(year, {})
        if key not in seen:
            seen[key] = Entry(key, key[0], key[1], f"row {numbers[i]}")
        by_year.setdefault(year, []).append(i)
    cells = [column(index[col]) for _, col in measures]
    decimal = decimal_separator(sep, cells)
    for year in sorted(by_year):
        decision = vintage.decide(list(entries[year].values()), year)
        vintage.report(decision, result.problems, path)
        ds = Dataset(path, None, year, "tidy_csv", vintage=decision.vintage)
        codes = decision.codes
        mine = [(i, code) for i in by_year[year] if (code := codes.get(keys[i])) is not None]
        _add(ds, result, path, mine, item_of, measures, cells, numbers, decimal)
        result.datasets.append(ds)  # with errors the file is refused; its values still checked


def _columns(rows: list[list[str]]):
    """column(i): the i-th cell of every row, None where a row is shorter (all None for None)."""
    widths = set(map(len, rows))
    full = list(zip(*rows, strict=True)) if len(widths) == 1 else None

    def column(i: int | None) -> list[str | None]:
        if i is None:
            return [None] * len(rows)
        if full is not None and i < len(full):
            return list(full[i])
        return [r[i] if i < len(r) else None for r in rows]

    return column


def _item(raw: str | None, col: str) -> str | None:
    raw = (raw or "").strip()
    if col == "subdim_no":
        return f"D{raw}" if raw.replace(".", "").isdigit() and "." in raw else None
    return raw.upper() or None


_PLAIN = {".": re.compile(r"[0-9]+\.[0-9]+|[0-9]+"),  # what parse_number reads as float(text)
          ",": re.compile(r"[0-9]+,[0-9]+|[0-9]+")}
_SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab"}
_SEPARATOR_NAMES_VI = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "dấu tab"}


def _whole_rows(rows: list[list[str]], width: int, sep: str, path: Path,
                result: ReadResult) -> tuple[list[list[str]], list[int]]:
    """The rows with as many fields as the header, and their row numbers (blank lines not
    counted, the header is row 1); every other row is an error naming it, and is not read: a
    value never parses by dropping or inventing a field (an unquoted decimal comma in a comma
    file splits the value in two)."""
    kept, numbers = [], []
    for n, row in enumerate(rows, start=2):
        if len(row) == width:
            kept.append(row)
            numbers.append(n)
            continue
        result.problems.error(
            path, f"the row has {len(row)} fields, the header {width}", cell=f"row {n}",
            found=" | ".join(row[width - 1:] if len(row) > width else row),
            allowed=f"{width} fields separated by {_SEPARATOR_NAMES[sep]}, as in the header",
            action="quote a value that holds the separator (\"1,5\") or write decimals with a "
                   "point; add the missing or remove the extra fields",
            message_vi=f"dòng có {len(row)} trường, dòng tiêu đề có {width}",
            allowed_vi=f"{width} trường phân cách bằng {_SEPARATOR_NAMES_VI[sep]}, như dòng "
                       "tiêu đề",
            action_vi="đặt giá trị chứa dấu phân cách trong ngoặc kép (\"1,5\") hoặc viết số "
                      "thập phân bằng dấu chấm; thêm trường thiếu hoặc bỏ trường thừa")
    return kept, numbers


def decimal_separator(sep: str, cells: list[list[str | None]]) -> str:
    """The file's decimal separator, decided once for the whole file by its dialect: '.' in a
    comma-separated file (the contract); in a ';' or tab file (Excel under Vietnamese regional
    settings) ',' when any number cell is written with a comma, else '.'."""
    if sep == ",":
        return "."
    pattern = re.compile(r"\s*[+-]?\d*,\d+\s*")
    return "," if any(v and "," in v and pattern.fullmatch(v) for col in cells for v in col) \
        else "."


def _wrong_separator(path: Path, result: ReadResult, cell: str, raw: str, decimal: str) -> None:
    if decimal == ".":
        texts = {"message": "decimal comma in a file whose decimals are written with a point",
                 "message_vi": "dấu phẩy thập phân trong tệp viết số thập phân bằng dấu chấm",
                 "allowed": "a number with a decimal point, e.g. 1.427016",
                 "allowed_vi": "một số có dấu chấm thập phân, ví dụ 1.427016"}
    else:
        texts = {"message": "decimal point in a file whose decimals are written with a comma",
                 "message_vi": "dấu chấm thập phân trong tệp viết số thập phân bằng dấu phẩy",
                 "allowed": "a number with a decimal comma, e.g. 1,427016",
                 "allowed_vi": "một số có dấu phẩy thập phân, ví dụ 1,427016"}
    result.problems.error(path, cell=cell, found=raw, **texts,
                          action="write every number of the file with the same decimal separator",
                          action_vi="viết mọi số trong tệp với cùng một dấu thập phân")


def _add(ds: Dataset, result: ReadResult, path: Path, rows: list[tuple[int, str]],
         item_of: list[str | None], measures: list[tuple[str, str]],
         cells: list[list[str | None]], numbers: list[int], decimal: str) -> None:
    """The observations of a year's rows (0-based, with their province code), row by row and
    measure by measure in file order; a cell that is not a number, or written with the other
    decimal separator than the file's, is an error. A plain decimal is read here as
    parse_number reads it (float of the text, the text as raw)."""
    obs, plain = ds.cols, _PLAIN[decimal].fullmatch
    wrong = "," if decimal == "." else "."
    labelled = [(measure, col, f", column {col}", column)
                for (measure, col), column in zip(measures, cells, strict=True)]
    if len(labelled) == 1:  # one measure: a year whose every cell is a plain decimal at once
        measure, _, at, column = labelled[0]
        raws = cast(list[str], [column[i] for i, _ in rows])  # None is looked for first
        if None not in raws and all(map(plain, raws)):
            obs.province_code += [code for _, code in rows]
            obs.item_code += [cast(str, item_of[i]) for i, _ in rows]
            obs.measure += [measure] * len(rows)
            obs.value += [float(raw) for raw in raws] if decimal == "." else \
                [float(raw.replace(",", ".")) for raw in raws]
            obs.status += ["published"] * len(rows)
            obs.cell += [f"row {numbers[i]}{at}" for i, _ in rows]
            obs.raw += raws
            return
    for i, code in rows:
        item = cast(str, item_of[i])  # `rows` holds only the rows whose item is a known code
        for measure, col, at, column in labelled:
            raw = column[i]
            if raw is not None and plain(raw):
                obs.append(code, item, measure, float(raw.replace(",", ".")), "published",
                           f"row {numbers[i]}{at}", raw)
                continue
            parsed = parse_number(raw)
            if parsed.status == "invalid":
                result.problems.error(path, "text in a number cell",
                                      cell=f"row {numbers[i]}, column {col}", found=parsed.raw,
                                      allowed="a number, or empty if not published",
                                      message_vi="ô số lại chứa chữ",
                                      allowed_vi="một số, hoặc để trống nếu không công bố")
                continue
            if parsed.status == "published" and wrong in parsed.raw:
                _wrong_separator(path, result, f"row {numbers[i]}, column {col}", parsed.raw,
                                 decimal)
                continue
            if measure != "value" and parsed.status != "published":
                continue
            obs.append(code, item, measure, parsed.value, parsed.status, f"row {numbers[i]}{at}",
                       parsed.raw)
