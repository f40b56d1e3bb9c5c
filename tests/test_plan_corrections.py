"""Corrections that last (issue 20): the review sheet a person fills, the reference CSV, applied
at every build by plan id and action fingerprint, marked in the marts, stale rows reported."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl.plans import corrections
from etl.plans.cli import main
from etl.plans.parse import parse_plan
from etl.plans.review import HEADER_ROW, LAYOUT, SHEET
from etl.steps.plan_step import run
from tests.test_plan_step import new_ctx

FIX = Path(__file__).parent / "fixtures" / "plans"
NA = FIX / "na_so_tu_phap_han_sai.txt"
COL = {k: i for i, (k, *_) in enumerate(LAYOUT, start=1)}
NEW_TASK = "Cập nhật cơ sở dữ liệu hộ tịch điện tử dùng chung của tỉnh"


@pytest.fixture
def no_ref(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty reference corrections file (the repository's own stays untouched)."""
    path = tmp_path / "plan_corrections.csv"
    path.write_text(",".join(corrections.COLUMNS) + "\n", encoding="utf-8")
    monkeypatch.setattr(corrections, "CSV_PATH", path)
    return path


def _sheet(tmp_path: Path, capsys) -> Path:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(NA, inbox / NA.name)
    out = inbox / "na.hieu_chinh.xlsx"
    assert main(["plan", "review", str(inbox / NA.name), "--out", str(out)]) == 0
    assert "4 cần xem lại" in capsys.readouterr().out
    return out


def test_review_sheet_is_vietnamese_doubtful_rows_first(tmp_path: Path, capsys) -> None:
    ws = load_workbook(_sheet(tmp_path, capsys))[SHEET]
    heads = [ws.cell(HEADER_ROW, j).value for j in range(1, len(LAYOUT) + 1)]
    assert heads[:5] == ["Mã kế hoạch", "Mã nhận dạng (không sửa)", "STT", "Nhiệm vụ",
                         "Nghi vấn của máy đọc"]
    seqs = [ws.cell(r, COL["seq"]).value for r in range(HEADER_ROW + 1, HEADER_ROW + 7)]
    doubts = [ws.cell(r, COL["doubts"]).value for r in range(HEADER_ROW + 1, HEADER_ROW + 7)]
    assert seqs == [1, 2, 3, 4, 5, 6]  # the four doubtful ones are 1-4 in this plan
    assert all(doubts[:4]) and not any(doubts[4:])
    assert ws.cell(HEADER_ROW + 1, COL["deadline"]).value == "31/2/2025"


def _fill(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(r, COL["seq"]).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)
            if ws.cell(r, COL["seq"]).value}
    ws.cell(rows[1], COL["deadline"], "28/02/2025")  # the impossible 31/2 corrected
    ws.cell(rows[3], COL["lead_units"], "Văn phòng Sở; Phòng Hành chính tư pháp")
    ws.cell(rows[6], COL["kind"], "không phải nhiệm vụ")
    blank = max(rows.values()) + 1
    for key, value in [("text", NEW_TASK), ("dimension", "Quản trị điện tử"),
                       ("lead_units", "Phòng Hành chính tư pháp"), ("deadline", "Quý III/2025"),
                       ("kind", "nhiệm vụ bổ sung")]:
        ws.cell(blank, COL[key], value)
    wb.save(path)


def _actions(ctx) -> dict[int, tuple]:
    rows = ctx.con.execute("SELECT seq, dimension_code, text, lead_units, due_on, is_corrected, "
                           "doubts FROM mart.action ORDER BY seq").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_filled_sheet_corrects_the_next_build_and_every_build_after(
        tmp_path: Path, capsys, no_ref: Path) -> None:
    sheet = _sheet(tmp_path, capsys)
    _fill(sheet)
    for _ in range(2):  # the plan loaded again: the corrections are kept
        ctx = new_ctx([tmp_path / "in"])
        run(ctx)
        got = _actions(ctx)
        assert sorted(got) == [1, 2, 3, 4, 5, 7]  # 6 is no action; ids of the others unchanged
        assert got[1][3:5] == (date(2025, 2, 28), True) and got[1][5] == []
        assert got[3][2] == ["Văn phòng Sở", "Phòng Hành chính tư pháp"] and got[3][4]
        assert got[3][5] == ["hạn không hợp lệ: Tháng 13/2025"]  # the unsettled doubt stays
        assert got[7] == ("D8", NEW_TASK, ["Phòng Hành chính tư pháp"], date(2025, 9, 30), True,
                          [])
        assert got[2][4] is False and got[2][5] == ["hạn không hợp lệ: Quý V/2025"]
        rec = next(f for f in ctx.files if f.kind == "plan")
        assert "3 cần xem lại" in rec.message and "3 đã hiệu chỉnh" in rec.message
        # pre-filled values left as they were are no corrections and no problems
        assert not [p for p in ctx.problems.items if "không còn khớp" in p.message
                    or "không đọc được" in p.message]


def test_reference_csv_applies_and_stale_rows_are_reported(tmp_path: Path, no_ref: Path) -> None:
    plan = parse_plan(NA)
    a4 = plan.actions[3]
    no_ref.write_text(
        ",".join(corrections.COLUMNS) + "\n"
        f"{plan.plan_id},{a4.fingerprint},,,,,15/05/2025,,hạn đúng theo công văn 12/STP\n"
        f"{plan.plan_id},0123456789ab,Nhiệm vụ đã bị xóa khỏi kế hoạch,D2,,,,,\n",
        encoding="utf-8")
    ctx = new_ctx([NA])
    run(ctx)
    got = _actions(ctx)
    assert got[4][3:5] == (date(2025, 5, 15), True)
    stale = [p for p in ctx.problems.items if "không còn khớp" in p.message]
    assert len(stale) == 1 and stale[0].cell == "dòng 3" and stale[0].file == str(no_ref)


def test_unreadable_correction_value_keeps_the_parsed_one(tmp_path: Path, no_ref: Path) -> None:
    plan = parse_plan(NA)
    no_ref.write_text(",".join(corrections.COLUMNS) + "\n"
                      f"{plan.plan_id},{plan.actions[4].fingerprint},,D9,,,30/2/2025,,\n",
                      encoding="utf-8")
    ctx = new_ctx([NA])
    run(ctx)
    assert _actions(ctx)[5][0] == "D4" and _actions(ctx)[5][3] == date(2025, 12, 31)
    bad = [p for p in ctx.problems.items if "không đọc được" in p.message]
    assert sorted(p.found for p in bad) == ["30/2/2025", "D9"]


def test_method_page_lists_the_doubtful_actions(tmp_path: Path, monkeypatch, no_ref) -> None:
    from streamlit.testing.v1 import AppTest

    from etl.demo import SEED, write_demo_inputs
    from etl.steps.warehouse import build

    inp = tmp_path / "in"
    write_demo_inputs(inp, SEED)  # scores and plans of the demo, and one doubtful plan
    shutil.copy(NA, inp / NA.name)
    db = build([inp], tmp_path / "papi.duckdb", progress=False, keep_going=True)
    monkeypatch.setenv("PAPI_DB", str(db))
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60).run()
    at.switch_page("app_pages/method.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Nhiệm vụ cần xem lại (kết quả đọc kế hoạch)" in [h.value for h in at.subheader]
    table = next(d.value for d in at.dataframe if "Nghi vấn" in d.value.columns)
    table = table[table["Kế hoạch"] == parse_plan(NA).plan_id]
    assert list(table["STT"]) == [1, 2, 3, 4]
    assert "hạn trước ngày ban hành kế hoạch: 15/01/2025" in list(table["Nghi vấn"])
    assert list(table["Hạn hoàn thành"])[3] == "15/01/2025"


def test_unknown_unit_shown_then_corrected_in_marts_and_tracker(
        tmp_path: Path, capsys, no_ref: Path) -> None:
    from etl.steps.warehouse import build

    inp = tmp_path / "in"
    inp.mkdir()
    plan_file = inp / "qn.txt"
    plan_file.write_text((FIX / "qn_van_xuoi_ngoac.txt").read_text(encoding="utf-8").replace(
        "cơ quan phối hợp: Hội Liên hiệp Phụ nữ tỉnh", "cơ quan phối hợp: Tổ công nghệ số cộng "
        "đồng"), encoding="utf-8")
    assert main(["plan", "parse", str(plan_file)]) == 0
    assert "đơn vị chưa có trong danh mục: Tổ công nghệ số cộng đồng" in capsys.readouterr().out
    plan = parse_plan(plan_file)
    a = next(x for x in plan.actions if x.coordinating_units == ["Tổ công nghệ số cộng đồng"])
    no_ref.write_text(",".join(corrections.COLUMNS) + "\n" + f"{plan.plan_id},{a.fingerprint},,,,"
                      "Tổ Công nghệ số cộng đồng tỉnh; Hội Liên hiệp Phụ nữ tỉnh,,,\n",
                      encoding="utf-8")
    db = build([inp], tmp_path / "papi.duckdb", progress=False)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    aid = plan.action_id(a)
    assert con.execute("SELECT coordinating_units, is_corrected, doubts FROM mart.action WHERE "
                       "action_id = ?", [aid]).fetchall() == [
        (["Tổ Công nghệ số cộng đồng tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"], True, [])]
    assert con.execute("SELECT DISTINCT coordinating_units FROM mart.action_report WHERE "
                       "action_id = ?", [aid]).fetchall() == [
        (["Tổ Công nghệ số cộng đồng tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"],)]


def test_bare_office_of_a_department_is_one_unit_on_the_scorecard(tmp_path: Path,
                                                                   no_ref: Path) -> None:
    """'Văn phòng' and 'Văn phòng Sở' in one Sở's plan are one unit (names as written kept)."""
    path = tmp_path / "na.txt"
    path.write_text(NA.read_text(encoding="utf-8").replace(
        "ngành tư pháp; Văn phòng Sở chủ trì", "ngành tư pháp; Văn phòng chủ trì"),
        encoding="utf-8")
    ctx = new_ctx([path])
    run(ctx)
    rows = ctx.con.execute("SELECT unit, n_actions, unit_names FROM mart.unit_progress "
                           "WHERE unit LIKE 'Văn phòng%'").fetchall()
    assert rows == [("Văn phòng Sở", 2, ["Văn phòng", "Văn phòng Sở"])]


def test_corrections_of_a_plan_not_loaded_are_one_warning(tmp_path: Path, no_ref: Path) -> None:
    plan = parse_plan(NA)
    no_ref.write_text(",".join(corrections.COLUMNS) + "\n" + "".join(
        f"{plan.plan_id},{a.fingerprint},,D1,,,,,\n" for a in plan.actions), encoding="utf-8")
    ctx = new_ctx([FIX / "qn_van_xuoi_ngoac.txt"])  # another plan only
    run(ctx)
    stale = [p for p in ctx.problems.items if "không còn khớp" in p.message]
    assert len(stale) == 1 and stale[0].message.startswith(f"6 dòng hiệu chỉnh cho kế hoạch "
                                                           f"{plan.plan_id} chưa được nạp")
