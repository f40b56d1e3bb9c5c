"""Sheets with provinces in columns and measures in rows (PAPI 2018 onward, and regrouped by 34)."""

from __future__ import annotations

import operator
from typing import cast

from etl import ref
from etl.readers.base import Dataset
from etl.readers.cells import cell_ref, invalid_message, number_row, parse_number
from etl.readers.indicators import IndicatorMatcher
from etl.readers.labels import classify
from etl.readers.provinces import HEADER_DEPTH, ProvinceColumns

Rows = list[tuple]
LAYOUT = "provinces_in_columns"
# The publisher's file regrouped by the 34 new provinces (scores still of the old provinces):
# its blank cells are gaps of the regrouping, and it ranks below every original source.
REGROUPED = "provinces_in_columns_34"


def label_columns(rows: Rows) -> list[int]:
    """Columns holding measure labels: those where many rows classify as PAPI items."""
    scores = []
    for col in range(min(4, max(len(r) for r in rows))):
        hits = sum(
            1 for r in rows if col < len(r) and classify(r[col]).kind in ("dimension", "subdimension")
        )
        scores.append((hits, col))
    best = max(scores)[0]
    return [c for h, c in scores if h >= max(2, best // 2)]


def looks_like(rows: Rows) -> bool:
    return bool(rows) and bool(label_columns(rows))


def read(rows: Rows, file, sheet: str, year: int, problems) -> Dataset:
    ds = Dataset(file, sheet, year, LAYOUT)
    lab_cols = label_columns(rows)
    # Prefer the Vietnamese label column (the one whose sub-dimension labels carry numbers).
    main = max(lab_cols, key=lambda c: sum(classify(r[c]).kind == "subdimension" for r in rows))
    first_data_col = max(lab_cols) + 1
    # A scale column ("Thang điểm") sits between labels and provinces.
    header = [r for r in rows[:HEADER_DEPTH]]
    if any(isinstance(r[first_data_col], str) and "thang" in r[first_data_col].lower()
           for r in header if first_data_col < len(r)):
        first_data_col += 1
    provinces = ProvinceColumns.find(rows, first_data_col, file, sheet, problems, year)
    if provinces is None:
        return ds
    ds.vintage = provinces.vintage
    if provinces.regrouped:
        ds.layout = REGROUPED
    indicators = IndicatorMatcher(file, sheet, year, problems)
    columns = [(col, code, cell_ref(0, col)[:-1]) for col, code in provinces.columns.items()]
    codes = [code for _, code, _ in columns]
    width = max(provinces.columns) + 1
    pick = operator.itemgetter(*provinces.columns) if len(columns) > 1 else None
    blanks = not provinces.regrouped  # a blank of the regrouping is not loaded
    published, no_raw = ["published"] * len(columns), [None] * len(columns)
    obs = ds.cols
    current_sub: str | None = None
    for i, row in enumerate(rows):
        if i in provinces.header_rows:
            continue
        label = row[main] if main < len(row) else None
        kind = classify(label)
        if kind.kind in ("note", "header") or label is None or not str(label).strip():
            continue
        if kind.kind == "subdimension":
            current_sub = kind.item_code
        elif kind.kind in ("dimension", "total"):
            current_sub = None
        if kind.kind != "other":  # classify() gives a code to every kind but note, header, other
            item, measure = cast(str, kind.item_code), kind.measure
        else:
            if current_sub is None:
                problems.warning(file, "row label not recognised; row not loaded", sheet=sheet,
                                 cell=cell_ref(i, main), found=str(label),
                                 action="check the label against the PAPI item list",
                                 message_vi="không nhận ra tên dòng; dòng không được nạp",
                                 action_vi="đối chiếu tên dòng với danh mục chỉ tiêu PAPI")
                continue
            item, measure = indicators.code(current_sub, str(label), cell_ref(i, main)), "value"
        n = len(row)
        line = str(i + 1)
        numbers = number_row(list(pick(row)), blanks) if pick and n >= width else None
        if numbers is not None:
            values, statuses, raws = numbers
            k = len(values)  # the common row: a number in every province's cell
            obs.province_code += codes
            obs.item_code += [item] * k
            obs.measure += [measure] * k
            obs.value += values
            obs.status += published if statuses is None else statuses
            obs.cell += [letters + line for _, _, letters in columns]
            obs.raw += no_raw if raws is None else raws
            continue
        for col, code, letters in columns:
            cell = row[col] if col < n else None
            if type(cell) is float and cell - cell == 0:  # a number: parse_number's first case
                obs.append(code, item, measure, cell, "published", letters + line, None)
                continue
            parsed = parse_number(cell)
            if parsed.status == "invalid":
                problems.error(file, sheet=sheet, cell=cell_ref(i, col), found=parsed.raw,
                               **invalid_message(parsed))
                continue
            if provinces.regrouped and parsed.status == "not_published" and not parsed.raw:
                continue  # blank because of the regrouping: says nothing about publication
            obs.append(code, item, measure, parsed.value, parsed.status, letters + line,
                       parsed.raw)
    return ds


def era_items(year: int) -> set[str]:
    era = ref.era_for(year)
    return set(era.items) if era else set()
