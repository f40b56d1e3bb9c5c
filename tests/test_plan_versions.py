"""Plan versions decided by content and dates, never by file name (issue 20): a conflicting
text of the same number and date, 'thay thế Kế hoạch số …', reports made on the replaced plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.plans.parse import parse_plan
from etl.plans.template import write_template
from etl.steps.plan_step import run
from tests.test_plan_step import fill, new_ctx

FIX = Path(__file__).parent / "fixtures" / "plans"
QN = FIX / "qn_van_xuoi_ngoac.txt"
OLD_ID, NEW_ID = "22-2026-UBND-18", "22-2026-UBND-25"
OLD_TASK = "- Niêm yết giá đất tại bộ phận một cửa cấp xã"
NEW_TASK = "- Niêm yết bảng giá đất năm 2026 tại bộ phận một cửa cấp xã"
H1 = "6 tháng đầu năm"


def _text() -> str:
    return QN.read_text(encoding="utf-8")


def replacing_plan() -> str:
    """Kế hoạch 25 of 15/3/2026 replacing Kế hoạch 18: one task rewritten."""
    text = _text().replace("Số: 18/KH-UBND", "Số: 25/KH-UBND").replace(
        "ngày 20 tháng 01 năm 2026", "ngày 15 tháng 3 năm 2026")
    text = text.replace("Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
                        "Ủy ban nhân dân tỉnh ban hành Kế hoạch này thay thế Kế hoạch số "
                        "18/KH-UBND ngày 20/01/2026 như sau:")
    return text.replace("niêm yết giá đất tại bộ phận một cửa cấp xã",
                        "niêm yết bảng giá đất năm 2026 tại bộ phận một cửa cấp xã")


def _q(ctx, sql: str) -> list[tuple]:
    return ctx.con.execute(sql).fetchall()


@pytest.mark.parametrize("names", [("a.txt", "b.txt"), ("b.txt", "a.txt")])
def test_same_number_and_date_with_another_text_is_an_error_naming_both(
        tmp_path: Path, names: tuple[str, str]) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / names[0]).write_text(_text(), encoding="utf-8")
    (inp / names[1]).write_text(_text().replace("khởi nghiệp sáng tạo", "chuyển đổi số"),
                                encoding="utf-8")
    ctx = new_ctx([inp])
    run(ctx)
    errors = [p for p in ctx.problems.errors if "cùng ngày nhưng nội dung khác" in p.message]
    assert len(errors) == 1 and "a.txt" in errors[0].message and "b.txt" in errors[0].message
    assert _q(ctx, "SELECT count(*) FROM mart.plan") == [(0,)]  # no file name picks a winner


@pytest.mark.parametrize("names", [("ke_hoach_moi.txt", "ke_hoach_cu.txt"),
                                   ("a_cu.txt", "z_moi.txt")])
def test_replacing_plan_supersedes_and_old_reports_keep_matching(
        tmp_path: Path, names: tuple[str, str]) -> None:
    new_name, old_name = names
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / old_name).write_text(_text(), encoding="utf-8")
    (inp / new_name).write_text(replacing_plan(), encoding="utf-8")
    old = parse_plan(inp / old_name)
    assert parse_plan(inp / new_name).replaces == "18/KH-UBND"
    assert parse_plan(inp / new_name).parent_number is None
    tpl = write_template(old, tmp_path / "mau.xlsx")
    ok = [H1, "Đang thực hiện trong hạn", 50, None, None, "15/07/2026"]
    fill(tpl, inp / "bao_cao_h1.xlsx", {8: ok, 14: ok})  # A01 unchanged, A07 rewritten
    ctx = new_ctx([inp])
    run(ctx)
    assert _q(ctx, "SELECT plan_id FROM mart.plan") == [(NEW_ID,)]
    assert _q(ctx, "SELECT plan_id, is_current, regexp_extract(superseded_by_file, '[^/]+$') "
              "FROM mart.plan_version ORDER BY issued_on") == [
        (OLD_ID, False, new_name), (NEW_ID, True, None)]
    assert _q(ctx, "SELECT action_id, matched_by FROM mart.action_status ORDER BY row_number") == [
        (f"{NEW_ID}-A01", "text"), (f"{NEW_ID}-A07", "text")]
    warned = {p.cell: p.message for p in ctx.problems.warnings
              if p.file.endswith("bao_cao_h1.xlsx")}
    assert "nhiệm vụ đã được sửa" in warned["A14"] and "đã được sửa" not in warned["A8"]
    assert not ctx.problems.errors
