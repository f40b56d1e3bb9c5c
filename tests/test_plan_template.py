"""Reporting template: layout, validations, protection and the marker the ETL recognises."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from etl.plans.parse import parse_plan
from etl.plans.report import report_meta
from etl.plans.template import write_template

FIX = Path(__file__).parent / "fixtures" / "plans"
STATUSES = ["Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
            "Quá hạn chưa hoàn thành"]


@pytest.fixture
def book(tmp_path: Path):
    plan = parse_plan(FIX / "general_all8.txt")
    out = write_template(plan, tmp_path / "report.xlsx")
    return plan, out, load_workbook(out)


def test_sheets_and_header_block(book) -> None:
    plan, _, wb = book
    assert wb.sheetnames == ["Hướng dẫn", "Báo cáo", "_papi_meta"]
    assert wb["_papi_meta"].sheet_state == "hidden"
    ws = wb["Báo cáo"]
    assert (ws["B2"].value, ws["B3"].value, ws["B4"].value, ws["B5"].value) == (
        "12/KH-SNV", "Sở Nội vụ", 2023, "02-2023-SNV-12")
    guide = [c.value for c in wb["Hướng dẫn"]["A"] if c.value]
    assert guide[0] == "HƯỚNG DẪN ĐIỀN BÁO CÁO" and guide[1] == "HOW TO FILL IN THIS REPORT"
    assert any("15/07/2024" in g for g in guide)


def test_one_prefilled_row_per_action(book) -> None:
    plan, _, wb = book
    ws = wb["Báo cáo"]
    assert ws["G7"].value == "Hạn hoàn thành\nDue date"
    assert ws["H7"].value.startswith("Kỳ báo cáo") and ws["I7"].value.startswith("Tình trạng")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=8, max_col=13)]
    assert len([r for r in rows if r[0]]) == 12
    assert rows[0][:6] == ["02-2023-SNV-12-A01", "GENERAL",
                           "Nhiệm vụ chung (không thuộc lĩnh vực PAPI)",
                           "Quán triệt Kế hoạch đến toàn thể công chức, viên chức của Sở.",
                           "Văn phòng Sở", None]
    assert rows[2][1:3] == ["D1", "Tham gia của người dân ở cấp cơ sở"]
    assert rows[2][5] == "Văn phòng Sở; Thanh tra Sở"
    assert rows[11][0] == "02-2023-SNV-12-A12" and rows[11][7:] == [None] * 6
    assert [r[6] for r in rows[:12]] == [None] * 12  # this plan states no deadline


def test_validations(book) -> None:
    _, _, wb = book
    dvs = {str(dv.sqref): dv for dv in wb["Báo cáo"].data_validations.dataValidation}
    assert dvs["I8:I19"].type == "list"
    assert dvs["I8:I19"].formula1.strip('"').split(",") == STATUSES
    assert dvs["H8:H19"].formula1.strip('"').split(",") == ["6 tháng đầu năm", "Cả năm"]
    pct = dvs["J8:J19"]
    assert (pct.type, pct.operator, pct.formula1, pct.formula2) == ("whole", "between", "0", "100")
    assert dvs["M8:M19"].type == "date"
    assert wb["Báo cáo"]["M8"].number_format == "dd/mm/yyyy"


def test_protection_freeze_widths(book) -> None:
    _, _, wb = book
    ws = wb["Báo cáo"]
    assert ws.protection.sheet is True and not ws.protection.password
    assert all(ws[f"{c}8"].protection.locked for c in "ABCDEFG")
    assert not any(ws[f"{c}8"].protection.locked for c in "HIJKLM")
    assert ws["B2"].protection.locked and ws["H7"].protection.locked
    assert ws.freeze_panes == "D8"
    assert ws.column_dimensions["D"].width == 60
    assert ws["D8"].alignment.wrap_text


def test_marker_and_year_override(book, tmp_path: Path) -> None:
    plan, out, wb = book
    assert "PAPI_PLAN_ID" in wb.defined_names
    meta = report_meta(out)
    assert meta["marker"] == "papi-plan-report" and meta["plan_id"] == "02-2023-SNV-12"
    assert meta["year"] == 2023 and meta["n_actions"] == 12
    other = write_template(plan, tmp_path / "y.xlsx", year=2024)
    assert report_meta(other)["year"] == 2024
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    assert report_meta(plain) is None
    (tmp_path / "junk.xlsx").write_bytes(b"junk")
    assert report_meta(tmp_path / "junk.xlsx") is None


def test_due_column_prefilled_locked_and_fingerprints_in_meta(tmp_path: Path) -> None:
    from datetime import datetime

    plan = parse_plan(FIX / "tinh_noi_dung_abc.txt")
    out = write_template(plan, tmp_path / "mau.xlsx")
    ws = load_workbook(out)["Báo cáo"]
    dues = [ws[f"G{r}"].value for r in range(8, 17)]
    assert dues == [datetime(2026, 6, 30), datetime(2026, 6, 30), datetime(2026, 9, 30),
                    datetime(2026, 10, 31), datetime(2026, 12, 31), "Thường xuyên",
                    datetime(2026, 12, 15), datetime(2026, 12, 31), datetime(2026, 11, 30)]
    assert ws["G8"].number_format == "dd/mm/yyyy" and ws["G8"].protection.locked
    meta = report_meta(out)
    assert meta["format_version"] == 2 and meta["plan_issued_on"] == "2025-08-18"
    assert meta["fingerprints"] == {plan.action_id(a): a.fingerprint for a in plan.actions}
    assert len(set(meta["fingerprints"].values())) == 9
