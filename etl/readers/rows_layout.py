"""Sheets with provinces in rows and items in columns (PAPI 2011–2017 layouts)."""

from __future__ import annotations

import functools
import operator
from typing import cast

from etl import ref
from etl.readers import vintage
from etl.readers.base import Dataset
from etl.readers.cells import cell_ref, column_letters, invalid_message, number_row, parse_number
from etl.readers.labels import classify
from etl.readers.provinces import IGNORED_CODES
from etl.text import label_key

Rows = list[tuple]


@functools.cache
def _dimension_names() -> dict[str, str]:
    """{label key of any era's Vietnamese or English dimension name: code}, first era first."""
    names: dict[str, str] = {}
    for era in ref.eras():
        for code, item in era.items.items():
            if item.level == "dimension":
                names.setdefault(label_key(item.name_vi), code)
                names.setdefault(label_key(item.name_en), code)
    return names


def _item_by_name(label: object, year: int) -> str | None:
    """Dimension code for an unnumbered dimension name (any era's Vietnamese or English name)."""
    return _dimension_by_label(str(label))


@functools.lru_cache(maxsize=4096)  # header labels repeat in every sheet and pass
def _dimension_by_label(label: str) -> str | None:
    return _dimension_names().get(label_key(label))


def header_map(rows: Rows, year: int) -> tuple[int, dict[int, str]] | None:
    """(last header row, column → item code) for the first rows that name PAPI items.

    Numbered labels ("1.1: …") give the code directly. Unnumbered ones (the 2011–2016 workbook)
    are matched as dimensions by name, and the columns after a dimension are its sub-dimensions
    in official order: the position is the official number, whatever the era's names.
    """
    for h in range(min(4, len(rows))):
        mapping: dict[int, str] = {}
        current_dim, k = None, 0
        for col, label in enumerate(rows[h]):
            kind = classify(label)
            if (kind.kind in ("dimension", "subdimension", "total") and kind.measure == "value"
                    and kind.item_code):  # classify() gives these kinds a code
                mapping[col] = kind.item_code
                if kind.kind == "dimension":
                    current_dim, k = kind.item_code, 0
                continue
            dim = _item_by_name(label, year) if label else None
            if dim:
                mapping[col], current_dim, k = dim, dim, 0
            elif current_dim and label and isinstance(label, str) and classify(label).kind == "other":
                k += 1
                mapping[col] = f"{current_dim}.{k}"
        if sum(1 for c in mapping.values() if c.count(".") == 0 and c.startswith("D")) >= 5:
            last = h
            # A second header row of labels in another language follows directly.
            half = len(mapping) // 2
            while last + 1 < len(rows) and sum(isinstance(c, str) for c in rows[last + 1]) > half:
                last += 1
            return last, mapping
    return None


def looks_like(rows: Rows, year: int) -> bool:
    return header_map(rows, year) is not None


def read(rows: Rows, file, sheet: str, year: int, problems) -> Dataset:
    ds = Dataset(file, sheet, year, "provinces_in_rows")
    found = header_map(rows, year)
    if found is None:  # workbook.read() calls read() only for sheets that looks_like() accepted
        raise ValueError(f"{file}, sheet {sheet}: no row names the PAPI items")
    last_header, mapping = found
    label_cols = [c for c in range(min(mapping)) if c < len(rows[0])]
    era = ref.era_for(year)
    entries = _row_entries(rows, last_header, label_cols, file, sheet, problems)
    decision = vintage.decide(entries, year)
    vintage.report(decision, problems, file, sheet)
    ds.vintage = decision.vintage  # with errors the file is refused; its cells are still checked
    seen: dict[str, int] = {}
    letters = {col: column_letters(col) for col in mapping}  # cell_ref's letters, once a sheet
    obs = ds.cols
    # the columns of this year's items: after the first province, a row of numbers in them all
    # is taken at once (the first row says which columns are not loaded, in column order)
    loaded = [(col, item) for col, item in mapping.items() if not era or item in era.items]
    width = max((col for col, _ in loaded), default=0) + 1
    pick = operator.itemgetter(*[col for col, _ in loaded]) if len(loaded) > 1 else None
    items = [item for _, item in loaded]
    published, no_raw = ["published"] * len(loaded), [None] * len(loaded)
    for entry in entries:
        if entry.key not in decision.codes:
            continue
        i = cast(int, entry.key)  # _row_entries() keys each entry by its row number
        code, row = decision.codes[i], rows[i]
        if code in seen:
            problems.error(file, f"province {code} appears twice (rows {seen[code] + 1} and {i + 1})",
                           sheet=sheet, cell=cell_ref(i, 0), found=entry.name or entry.code,
                           action="remove the duplicate row",
                           message_vi=f"tỉnh {code} xuất hiện hai lần (dòng {seen[code] + 1} và "
                                      f"{i + 1})",
                           action_vi="xóa dòng trùng")
            continue
        seen[code] = i
        line = str(i + 1)
        if (len(seen) > 1 and pick is not None and len(row) >= width
                and (numbers := number_row(list(pick(row)))) is not None):
            values, statuses, raws = numbers
            k = len(values)
            obs.province_code += [code] * k
            obs.item_code += items
            obs.measure += ["value"] * k
            obs.value += values
            obs.status += published if statuses is None else statuses
            obs.cell += [letters[col] + line for col, _ in loaded]
            obs.raw += no_raw if raws is None else raws
            continue
        for col, item in mapping.items():
            if era and item not in era.items:
                if len(seen) == 1:
                    problems.warning(file, f"column {item} is not a PAPI item in {year}; not loaded",
                                     sheet=sheet, cell=cell_ref(last_header, col),
                                     found=str(rows[last_header][col]),
                                     message_vi=f"cột {item} không phải chỉ tiêu PAPI năm {year}; "
                                                "không nạp")
                continue
            cell = row[col] if col < len(row) else None
            if type(cell) is float and cell - cell == 0:  # a number: parse_number's first case
                obs.append(code, item, "value", cell, "published", letters[col] + line, None)
                continue
            parsed = parse_number(cell)
            if parsed.status == "invalid":
                problems.error(file, sheet=sheet, cell=cell_ref(i, col), found=parsed.raw,
                               **invalid_message(parsed))
                continue
            obs.append(code, item, "value", parsed.value, parsed.status, letters[col] + line,
                       parsed.raw)
    return ds


def _row_entries(rows: Rows, last_header: int, label_cols: list[int], file, sheet,
                 problems) -> list[vintage.Entry]:
    """Each data row's province as given: its code cell and its (first recognised) name cell."""
    entries = []
    for i in range(last_header + 1, len(rows)):
        row = rows[i]
        cells = [row[c] if c < len(row) else None for c in label_cols]
        texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
        if not texts or any(t in IGNORED_CODES for t in texts):
            continue
        code = next((t for t in texts if ref.normalise_code(t)), None)
        names = [t for t in texts if t != code]
        name = next((t for t in names if vintage.match_any(t)), names[0] if names else None)
        if code is None and any(classify(t).kind == "note" for t in names):
            continue
        if code is None and name is None:
            problems.error(file, "no province in this row", sheet=sheet, cell=cell_ref(i, 0),
                           found=" | ".join(texts), allowed="a GSO code or a province name",
                           message_vi="dòng này không có tỉnh nào",
                           allowed_vi="một mã tỉnh (GSO) hoặc một tên tỉnh")
            continue
        entries.append(vintage.Entry(i, code, name, cell_ref(i, 0)))
    return entries
