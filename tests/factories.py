"""Small PAPI input files written from code, in the publisher's layouts, for tests."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import openpyxl

from etl import ref

PROVINCES = ["01", "02", "04"]


def columns_workbook(path: Path, year: int, values: dict[str, list], *, two_labels: bool = False,
                     extra_rows: list[list] | None = None, provinces: list[str] = PROVINCES,
                     vintage: str = "63", codes: bool = True) -> Path:
    """A 2019+ style sheet: provinces (of `vintage`) in columns with a code row and a name row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = str(year)
    labels = (lambda vi, en: [en, vi]) if two_labels else (lambda vi, en: [vi])
    if codes:
        ws.append(labels("Mã tỉnh", "Mã tỉnh") + ["Thang điểm"] + [int(c) for c in provinces])
    ws.append(labels("Tỉnh/Thành phố trực thuộc trung ương", "Province")
              + [None if codes else "Thang điểm"] + [ref.province_name(c, vintage) for c in provinces])
    for label, row in values.items():
        ws.append(labels(label, label) + ["scale"] + list(row))
    for row in extra_rows or []:
        ws.append(row)
    notes = wb.create_sheet(f"{year}_Process")
    notes.append(["RANGE", "[file]", year, "$C$2:$BM$152"])
    wb.save(path)
    return path


def tidy_csv(path: Path, rows: list[tuple], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["year", "gso_code", "province_vi", "subdim_no", "score"])
    w.writerows(rows)
    text = buf.getvalue()
    if encoding == "cp1258":  # Windows-1258 stores most tone marks as combining characters
        text = "".join(_cp1258_char(c) for c in text)
    path.write_bytes(text.encode(encoding))
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258_char(char: str) -> str:
    try:
        char.encode("cp1258")
        return char
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        return base + "".join(c for c in parts if c in _TONES)


def full_tidy_rows(year: int, value_of=lambda prov, sub: 1.0) -> list[tuple]:
    """Every sub-dimension of the year's era for every one of the 63 provinces."""
    era = ref.era_for(year)
    return [(year, code, ref.province_name(code), sub[1:], value_of(code, sub))
            for code in ref.province_codes() for sub in era.subdimensions()]


# ---- the publisher's 2024 file regrouped by the 34 new provinces ---------------------------

def tidy_values(shared: Path, year: int) -> dict[str, dict[str, float]]:
    """{old code: {sub-dimension code: score}} of one year of the real tidy file."""
    out: dict[str, dict[str, float]] = {}
    with open(shared / "papi" / "tidy" / "papi_subdimension_scores_long.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if int(r["year"]) == year and r["score"].strip():
                out.setdefault(r["gso_code"].zfill(2), {})[f"D{r['subdim_no']}"] = float(r["score"])
    return out


def with_sums(year: int, subs: dict[str, float]) -> dict[str, float]:
    """Sub-dimensions plus their dimension and total sums, added in the order the ETL adds them."""
    era = ref.era_for(year)
    out = dict(subs)
    dims = []
    for dim in era.dimensions():
        parts = [subs.get(s) for s in era.subdimensions(dim)]
        if None in parts:
            return out
        out[dim] = sum(parts)
        dims.append(out[dim])
    out["TOTAL"] = sum(dims)
    return out


def _labels(year: int, code: str) -> tuple[str, str]:
    if code == "TOTAL":
        return "Unweighted PAPI score", "Chỉ số PAPI tổng hợp (không có trọng số)"
    item = ref.era_for(year).items[code]
    if item.level == "dimension":
        return f"Dimension {item.number}: {item.name_en}", f"Chỉ số nội dung {item.number}: {item.name_vi}"
    return f"{item.number}: {item.name_en}", f"{item.number}: {item.name_vi}"


def regrouped_workbook(path: Path, values: dict[int, dict[str, dict[str, object]]]) -> Path:
    """The publisher's '…_34_TinhThanh.xlsx' style: one sheet per year, provinces in columns
    grouped under their NEW province (new code and name on the group's first column, like merged
    cells), an empty separator column between groups, then the old provinces' code and name rows;
    EN label, VI label and scale columns. `values[year][old code][item]`: a number, a marker, or
    nothing (an old province absent from the dict, or an item absent, is a blank cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    groups = [(new, ref.predecessors(new)) for new in ref.province_codes(ref.NEW)]
    for year, by_prov in values.items():
        ws = wb.create_sheet(str(year))
        head = [[f"PAPI {year} - Provincial indicators by the 34 provinces / Bảng chỉ tiêu cấp tỉnh "
                 "theo 34 tỉnh, thành phố"], ["Sắp xếp theo Nghị quyết 202/2025/QH15 (từ 01/07/2025)"],
                ["New province code", "Mã tỉnh mới", None], ["New province", "Tỉnh/thành phố mới", None],
                ["Province code", "Mã tỉnh", "Scale / Thang điểm"], ["Province", "Tỉnh/Thành phố", None]]
        columns: list[str | None] = []
        for k, (new, olds) in enumerate(groups):
            if k:
                columns.append(None)
                for row in head[2:]:
                    row.append(None)
            for n, old in enumerate(olds):
                columns.append(old)
                head[2].append(int(new) if n == 0 else None)
                head[3].append(ref.province_name(new, ref.NEW) if n == 0 else None)
                head[4].append(int(old))
                head[5].append(ref.province_name(old, ref.OLD))
        for row in head:
            ws.append(row)
        era = ref.era_for(year)
        items = ["TOTAL"] + [c for d in era.dimensions() for c in [d, *era.subdimensions(d)]]
        for item in items:
            en, vi = _labels(year, item)
            scale = era.items[item]
            ws.append([en, vi, f"{scale.scale_min:g}-{scale.scale_max:g}"]
                      + [None if old is None else by_prov.get(old, {}).get(item) for old in columns])
        ws.append(["Note: scores are those of the 63 provinces before 01/07/2025",
                   "Ghi chú: điểm số là của 63 tỉnh trước 01/07/2025"])
    wb.save(path)
    return path


def rows_workbook(path: Path, year: int, provinces: list[tuple[object, str]],
                  value_of=lambda i, item: 1.0) -> Path:
    """A 2015–2017 style sheet: provinces in rows (code and/or name), numbered dimension and
    sub-dimension columns of the year's era. `provinces`: (code or None, name) per row."""
    era = ref.era_for(year)
    items = [c for d in era.dimensions() for c in [d, *era.subdimensions(d)]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = str(year)
    labels = [f"Chỉ số nội dung {c[1:]}: {era.items[c].name_vi}" if "." not in c
              else f"{c[1:]}: {era.items[c].name_vi}" for c in items]
    ws.append(["Mã tỉnh", "Tỉnh/Thành phố", *labels])
    for i, (code, name) in enumerate(provinces):
        ws.append([code, name, *(value_of(i, item) for item in items)])
    wb.save(path)
    return path
