"""Readers on small files written in each of the publisher's layouts, with exact values."""

from __future__ import annotations

import openpyxl
import pytest

from etl.readers import tidy_csv, workbook
from etl.readers.cells import parse_number
from etl.readers.labels import classify
from tests.factories import columns_workbook
from tests.factories import tidy_csv as write_tidy


@pytest.mark.parametrize(("cell", "value", "status"), [
    (5.25, 5.25, "published"), ("5,25", 5.25, "published"), (" 7 ", 7.0, "published"),
    (None, None, "not_published"), ("KCDL", None, "not_published"), ("", None, "not_published"),
    ("abc", None, "invalid"), (True, None, "invalid"),
])
def test_parse_number(cell, value, status):
    parsed = parse_number(cell)
    assert (parsed.value, parsed.status) == (value, status)


@pytest.mark.parametrize(("label", "kind", "code", "measure"), [
    ("Chỉ số PAPI tổng hợp (không có trọng số) - điểm tối đa trong khoảng tin cậy 95%", "total", "TOTAL", "ci_high"),
    ("Chỉ số PAPI tổng hợp (có trọng số)", "total", "TOTAL_W", "value"),
    ("Un-weighted2015PAPI", "total", "TOTAL", "value"),
    ("Chỉ số nội dung 8: Quản trị điện tử*", "dimension", "D8", "value"),
    ("  1: Tham gia của người dân ở cấp cơ sở ", "dimension", "D1", "value"),
    ("5.3: Thủ tục liên quan đến giấy chứng nhận quyền sử dụng đất", "subdimension", "D5.3", "value"),
    ("Ghi chú: Các tỉnh có ô dữ liệu trống", "note", None, "value"),
    ("Copyright @CECODES", "note", None, "value"),
])
def test_classify_labels(label, kind, code, measure):
    got = classify(label)
    assert (got.kind, got.item_code, got.measure) == (kind, code, measure)


def test_columns_layout_reads_codes_ci_and_withheld(tmp_path):
    path = columns_workbook(tmp_path / "papi2023.xlsx", 2023, {
        "Chỉ số PAPI tổng hợp (không có trọng số)": [43.96, "KCDL", 41.5],
        "Chỉ số PAPI tổng hợp (không có trọng số) - điểm tối thiểu trong khoảng tin cậy 95%": [43.7, None, 41.3],
        "Chỉ số nội dung 1: Tham gia của người dân ở cấp cơ sở": [5.4, None, 4.7],
        "1.1: Tri thức công dân": [1.32, None, 0.93],
        "Hiểu biết về chính sách hiện hành (%)": [0.745, None, 0.48],
    }, two_labels=True, extra_rows=[["Copyright @CECODES", "Bản quyền", None, None, None, None]])
    result = workbook.read(path)
    assert result.problems.errors == []
    assert result.skipped_sheets == [("2023_Process", "no PAPI scores in a known layout (not a data sheet)")]
    [ds] = result.datasets
    got = {(o.province_code, o.item_code, o.measure): (o.value, o.status, o.cell) for o in ds.observations}
    assert got[("01", "TOTAL", "value")] == (43.96, "published", "D3")
    assert got[("02", "TOTAL", "value")] == (None, "not_published", "E3")
    assert got[("04", "TOTAL", "ci_low")] == (41.3, "published", "F4")
    assert got[("01", "D1.1", "value")] == (1.32, "published", "D6")
    assert got[("04", "D1.1.01", "value")] == (0.48, "published", "F7")


def test_columns_layout_text_in_number_cell_names_the_cell(tmp_path):
    path = columns_workbook(tmp_path / "bad.xlsx", 2022, {
        "Chỉ số nội dung 1: Tham gia của người dân ở cấp cơ sở": [5.4, "năm phẩy hai", 4.7],
        "1.1: Tri thức công dân": [1.32, 1.1, 0.93],
    })
    [err] = workbook.read(path).problems.errors
    assert (err.sheet, err.cell, err.found, err.message) == ("2022", "D3", "năm phẩy hai", "text in a number cell")


def test_rows_layout_with_unnumbered_names_positions_subdimensions(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2016_PAPI"
    dims = [("Participation at Local Levels", 4), ("Transparency", 3), ("Vertical Accountability", 3),
            ("Control of Corruption", 4), ("Public Administrative Procedures", 4),
            ("Public Service Delivery", 4)]
    header = ["tinhid", "tentinh_eng", "tentinh_vie"]
    for name, n in dims:
        header += [name] + [f"{name} part {k}" for k in range(1, n + 1)]
    ws.append(header + ["Un-weighted2015PAPI"])
    ws.append(["tinhid", "tentinh_eng", "tentinh_vie"] + ["nhãn"] * (len(header) - 3) + ["Chỉ số PAPI"])
    values = []
    for _, n in dims:
        values += [5.0] + [round(5.0 / n, 4)] * n
    ws.append([1, "Ha Noi", "Hà Nội"] + values + [30.0])
    ws.append([24, "Bac Giang", "Bắc Giang"] + [0] * len(values) + [0])
    ws.append([999, "Highest", "Điểm cao nhất"] + values + [30.0])
    path = tmp_path / "PAPI_2016.xlsx"
    wb.save(path)
    result = workbook.read(path)
    assert result.problems.errors == []
    [ds] = result.datasets
    got = {(o.province_code, o.item_code): (o.value, o.cell) for o in ds.observations}
    assert got[("01", "D3.2")] == (round(5.0 / 3, 4), "O3")
    assert got[("01", "TOTAL")] == (30.0, "AF3")
    assert got[("24", "D1")] == (0.0, "D4")  # 0 becomes "not published" in validation
    assert {p for p, _ in got} == {"01", "24"}


def test_tidy_csv_in_windows_1258_and_names_only(tmp_path):
    # a decimal comma here ("1,5") is an error since issue 21: test_tidy_csv_fields.py
    path = write_tidy(tmp_path / "legacy.csv", [(2024, "", "Hà Nội", "1.1", 1.426),
                                                (2024, "", "Thừa Thiên Huế", "1.2", "1.5")],
                      encoding="cp1258")
    result = tidy_csv.read(path)
    assert result.problems.errors == []
    got = {(o.province_code, o.item_code): o.value for ds in result.datasets for o in ds.observations}
    assert got == {("01", "D1.1"): 1.426, ("46", "D1.2"): 1.5}


def test_tidy_csv_missing_column_is_an_error_naming_it(tmp_path):
    path = tmp_path / "no_score.csv"
    path.write_text("year,gso_code,subdim_no\n2024,01,1.1\n", encoding="utf-8")
    [err] = tidy_csv.read(path).problems.errors
    assert err.message == "required column missing" and "score or value" in err.allowed
