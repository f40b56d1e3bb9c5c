"""Oracle: the tidy CSV reader as it was on main at b6657b6 (row by row), unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from charset_normalizer import from_bytes

from etl import ref
from etl.readers import vintage
from etl.readers.base import Dataset, Observation, ReadResult
from etl.readers.cells import parse_number
from etl.readers.vintage import Entry
from etl.text import nfc

PROVINCE_CODE_COLS = ("gso_code", "province_code", "ma_tinh", "code")
PROVINCE_NAME_COLS = ("province_vi", "province", "province_name", "ten_tinh", "province_en")
ITEM_COLS = ("item_code", "subdim_no")
VALUE_COLS = ("score", "value")
EXTRA = ("ci_low", "ci_high", "std_error")


def decode(data: bytes) -> str:
    for enc in ("utf-8-sig",):
        try:
            return nfc(data.decode(enc))
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=["cp1258", "cp1252", "utf_16", "latin_1"]).best()
    return nfc(str(best) if best is not None else data.decode("cp1258", errors="replace"))


def header_of(path: Path) -> list[str]:
    with open(path, "rb") as f:
        first = f.read(4096)
    line = decode(first).splitlines()[0] if first else ""
    return [h.strip().lower() for h in next(csv.reader([line]), [])]


def looks_like(path: Path) -> bool:
    """A CSV with a year column and at least two of province, item and value columns."""
    cols = set(header_of(path))
    groups = (ITEM_COLS, VALUE_COLS, PROVINCE_CODE_COLS + PROVINCE_NAME_COLS)
    return "year" in cols and sum(bool(cols & set(g)) for g in groups) >= 2


def read(path: Path) -> ReadResult:
    result = ReadResult()
    text = decode(path.read_bytes())
    # csv.reader rows as lists (DictReader's dict per row is the slow part): blank lines are
    # skipped and rows numbered as DictReader does; a duplicated column name means its last
    # occurrence, a short row's missing cells are None.
    reader = csv.reader(io.StringIO(text))
    fieldnames = [h.strip().lower() for h in next(reader, [])]
    lines = (r for r in reader if r)
    cols = set(fieldnames)
    missing = [g for g in (("year",), ITEM_COLS, VALUE_COLS, PROVINCE_CODE_COLS + PROVINCE_NAME_COLS)
               if not cols & set(g)]
    if missing:
        result.problems.error(path, "required column missing", cell="row 1",
                              found=", ".join(fieldnames),
                              allowed="columns " + "; ".join(" or ".join(g) for g in missing),
                              action="add the column (see the tidy CSV contract in the README)")
        return result
    index = {name: i for i, name in enumerate(fieldnames)}
    code_col = next((c for c in PROVINCE_CODE_COLS if c in cols), None)
    name_col = next((c for c in PROVINCE_NAME_COLS if c in cols), None)
    item_col = next(c for c in ITEM_COLS if c in cols)
    value_col = next(c for c in VALUE_COLS if c in cols)
    measures = [("value", value_col)] + [(m, m) for m in EXTRA if m in cols]
    wanted = [index[c] for _, c in measures]
    year_i, item_i = index["year"], index[item_col]
    code_i = index[code_col] if code_col else None
    name_i = index[name_col] if name_col else None
    known_items = {c for e in ref.eras() for c in e.items} | {i.item_code for i in ref.indicators()}
    items: dict[str, str | None] = {}  # raw item cell → item code (the same few repeat)
    by_year: dict[int, list[tuple[int, list, tuple, str]]] = {}
    entries: dict[int, dict[tuple, Entry]] = {}  # year → first entry of each (code, name)
    for n, row in enumerate(lines, start=2):
        width = len(row)
        year_text = (row[year_i] if year_i < width else "").strip()
        if not year_text.isdigit() or not 2006 <= int(year_text) <= 2100:
            result.problems.error(path, "year is not a survey year", cell=f"row {n}, column year",
                                  found=year_text, allowed="a year such as 2024")
            continue
        raw_item = row[item_i] if item_i < width else None
        if raw_item in items:
            item = items[raw_item]
        else:
            item = items[raw_item] = _item(raw_item, item_col)
        if item not in known_items:
            result.problems.error(path, "unknown PAPI item", cell=f"row {n}, column {item_col}",
                                  found=raw_item, allowed="TOTAL, D1…D8, D1.1 … (or 1.1 …)")
            continue
        code_text = (row[code_i] if code_i is not None and code_i < width else "").strip()
        name = (row[name_i] if name_i is not None and name_i < width else "").strip()
        key = (code_text or None, name or None)
        year = int(year_text)
        seen = entries.setdefault(year, {})
        if key not in seen:
            seen[key] = Entry(key, key[0], key[1], f"row {n}")
        by_year.setdefault(year, []).append((n, row, key, item))
    for year in sorted(by_year):
        decision = vintage.decide(list(entries[year].values()), year)
        vintage.report(decision, result.problems, path)
        ds = Dataset(path, None, year, "tidy_csv", vintage=decision.vintage)
        codes = decision.codes
        for n, row, key, item in by_year[year]:
            if (code := codes.get(key)) is not None:
                _add(ds, result, path, row, n, code, item, measures, wanted)
        result.datasets.append(ds)  # with errors the file is refused; its values still checked
    return result


def _item(raw: str | None, col: str) -> str | None:
    raw = (raw or "").strip()
    if col == "subdim_no":
        return f"D{raw}" if raw.replace(".", "").isdigit() and "." in raw else None
    return raw.upper() or None


def _add(ds: Dataset, result: ReadResult, path: Path, row: list, n: int, code: str, item: str,
         measures: list[tuple[str, str]], wanted: list[int]) -> None:
    width = len(row)
    for (measure, col), i in zip(measures, wanted, strict=True):
        parsed = parse_number(row[i] if i < width else None)
        if parsed.status == "invalid":
            result.problems.error(path, "text in a number cell", cell=f"row {n}, column {col}",
                                  found=parsed.raw, allowed="a number, or empty if not published")
            continue
        if measure != "value" and parsed.status != "published":
            continue
        ds.observations.append(Observation(ds.year, code, item, measure, parsed.value,
                                           parsed.status, f"row {n}, column {col}", parsed.raw))
