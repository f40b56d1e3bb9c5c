"""Table exports: .xlsx header block and values, UTF-8-BOM CSV, formula injection neutralised."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.export.tables import TableMeta, neutralise, to_csv_bytes, to_xlsx_bytes

EVIL = ["=1+2", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=x", "\r=y", "=HYPERLINK(\"http://x\")"]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Tỉnh/thành phố": ["Hà Nội", "Thừa Thiên Huế", *EVIL],
        "Điểm": [45.12, 41.5, -1.25, 0.0, None, 3, 4, 5, 6],
        "Hạng": [1, 2, 3, 4, 5, 6, 7, 8, 9],
    })


@pytest.mark.parametrize("text", EVIL)
def test_neutralise_prefixes_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Hà Nội", "", "a=b", 5, -3.2, None])
def test_neutralise_leaves_safe_values(value: object) -> None:
    assert neutralise(value) == value


def _sheet(df: pd.DataFrame, meta: TableMeta):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df, meta)))
    return wb.active


def test_xlsx_header_block(frame: pd.DataFrame) -> None:
    meta = TableMeta("Điểm PAPI 2024", province="Hà Nội", year=2024, generated=date(2025, 3, 7))
    ws = _sheet(frame, meta)
    assert ws["A1"].value == "Điểm PAPI 2024"
    assert (ws["A2"].value, ws["B2"].value) == ("Tỉnh/thành phố", "Hà Nội")
    assert (ws["A3"].value, ws["B3"].value) == ("Năm", 2024)
    assert (ws["A4"].value, ws["B4"].value) == ("Ngày xuất", "07/03/2025")
    assert ws["A5"].value.startswith("Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP")
    assert "2024" in ws["A5"].value


def test_xlsx_values_and_no_formulas(frame: pd.DataFrame) -> None:
    ws = _sheet(frame, TableMeta("T", lang="en"))
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Tỉnh/thành phố")
    body = rows[start + 1:]
    assert body[0] == ("Hà Nội", 45.12, 1)
    assert isinstance(body[2][1], float) and body[2][1] == -1.25
    assert body[4][1] is None  # missing stays empty, never 0
    assert [r[0] for r in body[2:]] == ["'" + e for e in EVIL]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"


def test_xlsx_english_labels(frame: pd.DataFrame) -> None:
    ws = _sheet(frame, TableMeta("T", province="Ha Noi", year=2023, lang="en"))
    assert ws["A2"].value == "Province" and ws["A5"].value.startswith("Source: PAPI")


def test_csv_bom_and_neutralised(frame: pd.DataFrame) -> None:
    raw = to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Tỉnh/thành phố", "Điểm", "Hạng"]
    assert rows[1] == ["Hà Nội", "45.12", "1"]
    assert [r[0] for r in rows[3:]] == ["'" + e for e in EVIL]
    assert all(not r[0].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows[1:])
    assert rows[3][1] == "-1.25"  # numbers stay numbers


def test_meta_from_dict() -> None:
    m = TableMeta.of({"province": "Huế", "year": 2022, "unknown": 1}, default_title="bảng")
    assert (m.title, m.province, m.year) == ("bảng", "Huế", 2022)


def test_xlsx_numbers_are_numbers_with_a_format() -> None:
    df = pd.DataFrame({"Tỉnh": ["Hà Nội", "Huế"], "Điểm": ["47,82", "1.234,5"],
                       "Tỷ lệ": ["85,6%", "–"], "Thay đổi": [-0.31, 0.44], "Mã": ["01", "46"],
                       "Ngày": [date(2025, 7, 1), None]})
    ws = _sheet(df, TableMeta("T", demo=True))
    rows = list(ws.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == "Tỉnh")
    first, second = rows[start + 1], rows[start + 2]
    assert (first[1].value, first[1].number_format) == (47.82, "#,##0.00")
    assert (second[1].value, second[1].number_format) == (1234.5, "#,##0.0")
    assert first[2].value == pytest.approx(0.856) and first[2].number_format == "0.0%"
    assert second[2].value == "–"
    assert (first[3].value, first[3].number_format) == (-0.31, "#,##0.00")
    assert first[4].value == "01" and first[4].data_type == "s"  # codes stay text
    assert first[5].number_format == "dd/mm/yyyy"
    assert any(r[0].value == "Dữ liệu minh họa / Illustrative data" for r in rows[:start])


def test_xlsx_no_demo_line_for_real_data() -> None:
    ws = _sheet(pd.DataFrame({"a": [1]}), TableMeta("T", demo=False))
    assert all(c.value != "Dữ liệu minh họa / Illustrative data" for c in ws["A"])
