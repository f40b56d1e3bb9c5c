"""2025 has plans of both geographies: the same department number of old Yên Bái (15, before
01/07/2025) and of new Lào Cai (15, after) are two plans of two provinces, never one superseding
the other; each keeps its province, its vintage and its reports."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from etl.plans.parse import parse_plan
from etl.plans.template import COL, FIRST_ROW, REPORT_SHEET, write_template
from etl.steps.warehouse import build
from tests.warehouse_query import q

FIX = Path(__file__).parent / "fixtures" / "plans" / "general_all8.txt"


def _plan(folder: Path, name: str, province: str, issued: str) -> Path:
    """The fixture department plan (Sở Nội vụ, 12/KH-SNV) as issued by `province` for 2025."""
    text = FIX.read_text(encoding="utf-8")
    text = (text.replace("UBND TỈNH HÀ GIANG", f"UBND TỈNH {province.upper()}")
                .replace("Hà Giang, ngày 05 tháng 3 năm 2023", f"{province}, ngày {issued}")
                .replace("tỉnh Hà Giang", f"tỉnh {province}").replace("2023", "2025"))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_same_number_in_both_halves_of_2025_is_two_plans(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    old = _plan(inp, "yen_bai.txt", "Yên Bái", "14 tháng 02 năm 2025")
    new = _plan(inp, "lao_cai.txt", "Lào Cai", "15 tháng 9 năm 2025")
    assert (parse_plan(old).plan_id, parse_plan(new).plan_id) == (
        "15-2025-SNV-12-V63", "15-2025-SNV-12")
    report = write_template(parse_plan(old), tmp_path / "in" / "bao_cao_yen_bai.xlsx")
    wb = load_workbook(report)
    ws = wb[REPORT_SHEET]
    for key, value in {"period": "6 tháng", "status": "Hoàn thành đúng hạn",
                       "percent_done": 100, "reported_on": "20/06/2025"}.items():
        ws[f"{COL[key]}{FIRST_ROW}"] = value
    wb.save(report)

    db = build([inp], tmp_path / "w.duckdb", progress=False)
    assert q(db, "SELECT plan_id, vintage, province_code, province_name, issued_on::VARCHAR "
                 "FROM mart.plan ORDER BY vintage") == [
        ("15-2025-SNV-12", "34", "15", "Lào Cai", "2025-09-15"),
        ("15-2025-SNV-12-V63", "63", "15", "Yên Bái", "2025-02-14")]
    assert q(db, "SELECT regexp_extract(path, '[^/]+$'), status FROM meta.source_file "
                 "ORDER BY 1") == [("bao_cao_yen_bai.xlsx", "loaded"), ("lao_cai.txt", "loaded"),
                                   ("yen_bai.txt", "loaded")]
    n = q(db, "SELECT count(*) FROM mart.action WHERE plan_id = ?", ["15-2025-SNV-12"])[0][0]
    assert n > 0 and q(db, "SELECT count(*) FROM mart.action WHERE plan_id = ?",
                       ["15-2025-SNV-12-V63"])[0][0] == n
    # the report of old Yên Bái's plan stays with it, not with Lào Cai's
    assert q(db, "SELECT a.plan_id, s.status_code FROM mart.action_status s JOIN mart.action a "
                 "USING (action_id)") == [("15-2025-SNV-12-V63", "done_on_time")]
