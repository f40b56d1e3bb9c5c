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
                     extra_rows: list[list] | None = None) -> Path:
    """A 2019+ style sheet: provinces in columns with a code row and a name row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = str(year)
    labels = (lambda vi, en: [en, vi]) if two_labels else (lambda vi, en: [vi])
    ws.append(labels("Mã tỉnh", "Mã tỉnh") + ["Thang điểm"] + [int(c) for c in PROVINCES])
    ws.append(labels("Tỉnh/Thành phố trực thuộc trung ương", "Province") + [None]
              + [ref.province_name(c) for c in PROVINCES])
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
