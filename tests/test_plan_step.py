"""Plan build step: plans + filled reports → marts, history, latest wins, row-level errors."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from etl.plans.demo import write_demo_inputs
from etl.plans.parse import parse_plan
from etl.plans.template import write_template
from etl.steps.context import BuildContext
from etl.steps.plan_step import run

FIX = Path(__file__).parent / "fixtures" / "plans"
H1, FY = "6 tháng đầu năm", "Cả năm"
PLAN_ID = "02-2023-SNV-12"
_PROGRESS = ("n_actions n_done_on_time n_done_late n_in_progress n_overdue n_not_reported "
             "completion_rate last_reported_on n_overdue_unreported n_due_soon as_of")
SCHEMA = {
    "plan": "plan_id number issued_on year vintage province_code province_name agency "
            "parent_number parent_issued_on signer source_file is_demo agency_current title "
            "is_amendment n_versions ocr_confidence deadline_on",
    "plan_version": "plan_id number issued_on is_amendment source_file text_fingerprint "
                    "n_actions is_current superseded_by_file",
    "plan_target": "plan_id seq dimension_code text",
    "action": "action_id plan_id seq dimension_code text lead_units coordinating_units due_on "
              "due_text is_ongoing fingerprint product lead_units_current doubts is_corrected",
    "action_status": "action_id year period status_code percent_done result notes reported_on "
                     "source_file sheet row_number loaded_seq is_latest reported_status_code "
                     "status_warning matched_by",
    "dimension_progress": f"province_code year vintage dimension_code {_PROGRESS}",
    "unit_progress": f"province_code year vintage unit {_PROGRESS} unit_names",
}


def new_ctx(inputs: list[Path], **kw) -> BuildContext:
    con = duckdb.connect()
    for s in ("raw", "staging", "mart", "ref", "meta"):
        con.execute(f"CREATE SCHEMA {s}")
    con.execute("CREATE TABLE ref.province (vintage VARCHAR, code VARCHAR, name_vi VARCHAR)")
    con.execute("INSERT INTO ref.province VALUES ('63', '02', 'Hà Giang'), ('63', '20', "
                "'Lạng Sơn')")
    return BuildContext(con, inputs, progress=False, **kw)


def fill(template: Path, out: Path, rows: dict[int, list]) -> Path:
    """rows: excel row → [period, status, percent, result, notes, date] (H…M); 'A' overrides."""
    wb = load_workbook(template)
    ws = wb["Báo cáo"]
    for r, values in rows.items():
        if isinstance(values, dict):
            ws[f"A{r}"] = values["A"]
            values = values["cells"]
        for col, v in zip("HIJKLM", values, strict=True):
            ws[f"{col}{r}"] = v
    wb.save(out)
    return out


@pytest.fixture
def built(tmp_path: Path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    shutil.copy(FIX / "not_a_plan.txt", inp / "bien_ban.txt")
    shutil.copy(FIX / "broken_plan.txt", inp / "hong.txt")
    Workbook().save(inp / "scores.xlsx")
    tpl = write_template(parse_plan(FIX / "general_all8.txt"), tmp_path / "tpl.xlsx")
    d715, nfd = datetime(2023, 7, 15), unicodedata.normalize("NFD", "Quá hạn chưa hoàn thành")
    fill(tpl, inp / "bc_h1.xlsx", {
        8: [H1, "Hoàn thành đúng hạn", 100, "Đã quán triệt", None, d715],
        9: [H1, "đang thực hiện trong hạn", 50, None, None, "15/07/2023"],
        10: ["6 THÁNG ĐẦU NĂM", nfd, "20%", None, None, "15/07/2023"],
        11: [H1, "Hoàn thành quá hạn", 100, None, "trễ 1 tuần", d715],
        12: [H1, "Xong rồi", 100, None, None, d715],
        13: [H1, "Hoàn thành đúng hạn", 100, None, None, "31/02/2023"],
        14: [H1, "Đang thực hiện trong hạn", 140, None, None, d715],
        15: [None, "Đang thực hiện trong hạn", 10, None, None, d715],
        16: {"A": f"{PLAN_ID}-A99", "cells": [H1, "Hoàn thành đúng hạn", 100, None, None, d715]},
    })
    fill(tpl, inp / "bc_fy.xlsx", {
        8: [FY, "Hoàn thành đúng hạn", 100, None, None, date(2023, 12, 20)],
        9: [FY, "Hoàn thành quá hạn", 100, None, None, date(2023, 12, 20)]})
    fill(tpl, inp / "bc_h1_bosung.xlsx", {
        9: [H1, "Hoàn thành đúng hạn", 100, None, None, "01/08/2023"]})
    fill(tpl, inp / "bc_h1_z.xlsx", {  # same date as bc_h1, disagrees: neither wins (issue 21)
        10: [H1, "Đang thực hiện trong hạn", 60, None, None, d715]})
    other = write_template(parse_plan(FIX / "fewer_no_units.txt"), tmp_path / "other.xlsx")
    fill(other, inp / "bc_khac.xlsx", {8: [H1, "Hoàn thành đúng hạn", 100, None, None, d715]})
    ctx = new_ctx([inp])
    run(ctx)
    return ctx


def q(ctx: BuildContext, sql: str) -> list[tuple]:
    return ctx.con.execute(sql).fetchall()


def test_plan_and_actions(built: BuildContext) -> None:
    assert q(built, "SELECT plan_id, number, issued_on, year, province_code, province_name, "
             "agency, parent_number, parent_issued_on, signer, is_demo FROM mart.plan") == [
        (PLAN_ID, "12/KH-SNV", date(2023, 3, 5), 2023, "02", "Hà Giang", "Sở Nội vụ",
         "45/KH-UBND", date(2023, 2, 20), "Nguyễn Văn Thử", False)]
    rows = q(built, "SELECT action_id, seq, dimension_code, lead_units, coordinating_units "
             "FROM mart.action ORDER BY seq")
    assert len(rows) == 12
    assert rows[2] == (f"{PLAN_ID}-A03", 3, "D1", ["Phòng Xây dựng chính quyền và Công tác "
                       "thanh niên"], ["Văn phòng Sở", "Thanh tra Sở"])


def test_history_and_latest(built: BuildContext) -> None:
    rows = q(built, "SELECT right(action_id, 3), period, status_code, percent_done, "
             "reported_on, regexp_extract(source_file, '[^/]+$'), row_number, loaded_seq, "
             "is_latest FROM mart.action_status ORDER BY loaded_seq")
    d715, d1220 = date(2023, 7, 15), date(2023, 12, 20)
    assert rows == [
        ("A01", "FY", "done_on_time", 100, d1220, "bc_fy.xlsx", 8, 1, True),
        ("A02", "FY", "done_late", 100, d1220, "bc_fy.xlsx", 9, 2, True),
        ("A01", "H1", "done_on_time", 100, d715, "bc_h1.xlsx", 8, 3, True),
        ("A02", "H1", "in_progress", 50, d715, "bc_h1.xlsx", 9, 4, False),
        ("A03", "H1", "overdue", 20, d715, "bc_h1.xlsx", 10, 5, False),
        ("A04", "H1", "done_late", 100, d715, "bc_h1.xlsx", 11, 6, True),
        ("A02", "H1", "done_on_time", 100, date(2023, 8, 1), "bc_h1_bosung.xlsx", 9, 7, True),
        ("A03", "H1", "in_progress", 60, d715, "bc_h1_z.xlsx", 10, 8, False),
    ]
    conflicts = [p for p in built.problems.errors if "báo cáo khác nhau" in p.message]
    assert len(conflicts) == 2
    assert conflicts[0].file.endswith("bc_h1_bosung.xlsx") and "A02" in conflicts[0].message
    assert "bc_h1.xlsx › Báo cáo dòng 9" in conflicts[0].message
    assert conflicts[1].file.endswith("bc_h1_z.xlsx") and "cùng ngày" in conflicts[1].message


def test_dimension_progress(built: BuildContext) -> None:
    rows = q(built, "SELECT dimension_code, n_actions, n_done_on_time, n_done_late, "
             "n_in_progress, n_overdue, n_not_reported, completion_rate, last_reported_on "
             "FROM mart.dimension_progress WHERE province_code = '02' AND year = 2023 "
             "ORDER BY dimension_code")
    assert rows == [
        ("D1", 1, 0, 0, 0, 0, 1, 0.0, None),  # A03's two same-day reports disagree
        ("D2", 1, 0, 1, 0, 0, 0, 1.0, date(2023, 7, 15)),
        ("D3", 1, 0, 0, 0, 0, 1, 0.0, None),
        ("D4", 2, 0, 0, 0, 0, 2, 0.0, None),
        ("D5", 1, 0, 0, 0, 0, 1, 0.0, None),
        ("D6", 1, 0, 0, 0, 0, 1, 0.0, None),
        ("D7", 1, 0, 0, 0, 0, 1, 0.0, None),
        ("D8", 2, 0, 0, 0, 0, 2, 0.0, None),
        ("GENERAL", 2, 1, 1, 0, 0, 0, 1.0, date(2023, 12, 20)),
    ]


def test_unit_progress(built: BuildContext) -> None:
    rows = dict((r[0], r[1:]) for r in q(
        built, "SELECT unit, n_actions, n_done_on_time, n_done_late, n_in_progress, "
        "n_not_reported, completion_rate FROM mart.unit_progress WHERE year = 2023"))
    assert rows["Văn phòng Sở"] == (6, 1, 1, 0, 4, pytest.approx(2 / 6))
    assert rows["Thanh tra Sở"] == (3, 0, 0, 0, 3, 0.0)
    assert rows["Phòng Xây dựng chính quyền và Công tác thanh niên"] == (1, 0, 0, 0, 1, 0.0)


def test_bad_rows_refused_with_place_and_reason(built: BuildContext) -> None:
    errs = [p for p in built.problems.errors if p.file.endswith("bc_h1.xlsx")]
    got = {p.cell: (p.sheet, p.found) for p in errs}
    assert got == {"I12": ("Báo cáo", "Xong rồi"), "M13": ("Báo cáo", "31/02/2023"),
                   "J14": ("Báo cáo", "140"), "H15": ("Báo cáo", None),
                   "A16": ("Báo cáo", f"{PLAN_ID}-A99")}
    by = {p.cell: p for p in errs}
    assert by["I12"].message.startswith("Dòng 12, cột I (Tình trạng")
    assert "tình trạng không hợp lệ" in by["I12"].message
    assert "Quá hạn chưa hoàn thành" in by["I12"].allowed
    assert "ngày báo cáo không có thật" in by["M13"].message
    assert "0 đến 100" in by["J14"].message
    assert "kỳ báo cáo trống" in by["H15"].message and "Cả năm" in by["H15"].allowed
    assert "không có trong kế hoạch" in by["A16"].message
    assert "bc_h1.xlsx › Báo cáo › I12" in by["I12"].describe()
    raw = q(built, "SELECT count(*), count(*) FILTER (WHERE accepted) FROM raw.plan_report_row "
            "WHERE source_file LIKE '%bc_h1.xlsx'")
    assert raw == [(9, 4)]


def test_files_registered(built: BuildContext) -> None:
    files = {f.path.name: (f.kind, f.status, f.rows) for f in built.files}
    assert files == {
        "ke_hoach.txt": ("plan", "loaded", 12),
        "bien_ban.txt": ("unrecognised", "skipped", 0),
        "hong.txt": ("plan", "refused", 0),
        "bc_h1.xlsx": ("report", "loaded", 4),
        "bc_fy.xlsx": ("report", "loaded", 2),
        "bc_h1_bosung.xlsx": ("report", "loaded", 1),
        "bc_h1_z.xlsx": ("report", "loaded", 1),
        "bc_khac.xlsx": ("report", "refused", 0),
    }
    assert any(p.file.endswith("bc_khac.xlsx") and p.found == "92-2022-SYT-7"
               for p in built.problems.errors)
    assert any(p.file.endswith("hong.txt") for p in built.problems.errors)


def test_no_inputs_gives_empty_tables_with_contract_columns() -> None:
    ctx = new_ctx([])
    run(ctx)
    for table, cols in SCHEMA.items():
        got = [r[0] for r in q(ctx, f"DESCRIBE mart.{table}")]
        assert got == cols.split(), table
        assert ctx.con.table(f"mart.{table}").count("*").fetchall() == [(0,)]
    types = dict((r[0], r[1]) for r in q(ctx, "DESCRIBE mart.action"))
    assert types["lead_units"] == "VARCHAR[]"
    assert ctx.files == [] and ctx.problems.items == []


def test_ids_stable_across_rebuilds(tmp_path: Path) -> None:
    shutil.copy(FIX / "draft_blank.txt", tmp_path / "a.txt")
    shutil.copy(FIX / "general_all8.txt", tmp_path / "b.txt")
    ids = []
    for _ in range(2):
        ctx = new_ctx([tmp_path])
        run(ctx)
        ids.append(q(ctx, "SELECT action_id FROM mart.action ORDER BY ALL"))
    assert ids[0] == ids[1] and len(ids[0]) == 13
    assert ids[0][0][0].startswith("02-2023-SNV-12-A01")


def test_demo_inputs(tmp_path: Path) -> None:
    a = write_demo_inputs(tmp_path / "a", seed=2024)
    write_demo_inputs(tmp_path / "b", seed=2024)
    assert [p.suffix for p in a].count(".xlsx") == 7 and len(a) == 11
    assert "DỮ LIỆU MINH HỌA" in a[0].read_text(encoding="utf-8")
    results = []
    for d in ("a", "b"):
        ctx = new_ctx([tmp_path / d])
        run(ctx)
        assert ctx.problems.errors == []
        results.append(q(ctx, "SELECT action_id, year, period, status_code, percent_done "
                         "FROM mart.action_status ORDER BY ALL"))
        assert [p for p in ctx.problems.warnings if "2026" in p.file] == []
        plans = q(ctx, "SELECT year, vintage, province_code, is_demo FROM mart.plan ORDER BY year")
        assert plans == [(2022, "63", "20", True), (2023, "63", "20", True),
                         (2024, "63", "20", True), (2026, "34", "25", True)]
        codes = {r[0] for r in q(ctx, "SELECT DISTINCT status_code FROM mart.action_status")}
        assert codes == {"done_on_time", "done_late", "in_progress", "overdue"}
        dims = {r[0] for r in q(ctx, "SELECT DISTINCT dimension_code FROM mart.action")}
        assert "GENERAL" in dims and len(dims) >= 8
        assert {r[0] for r in q(ctx, "SELECT DISTINCT period FROM mart.action_status")} == {
            "H1", "FY"}
    assert results[0] == results[1] and len(results[0]) > 50


def test_demo_merged_province_2026(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new Phú Thọ (34/25): actions over five dimensions, deadlines, a first-half report."""
    monkeypatch.setenv("PAPI_TODAY", "2026-11-30")
    write_demo_inputs(tmp_path, seed=2024)
    ctx = new_ctx([tmp_path])
    run(ctx)
    assert q(ctx, "SELECT dimension_code, n_actions, n_done_on_time, n_done_late, "
             "n_in_progress, n_overdue, n_overdue_unreported FROM mart.dimension_progress "
             "WHERE vintage = '34' AND province_code = '25' AND year = 2026 ORDER BY 1") == [
        ("D1", 2, 1, 0, 0, 1, 0), ("D2", 2, 0, 1, 0, 1, 1), ("D4", 1, 0, 0, 1, 0, 0),
        ("D5", 1, 1, 0, 0, 0, 0), ("D8", 1, 0, 0, 1, 0, 0)]
    assert q(ctx, "SELECT agency, agency_current, issued_on FROM mart.plan WHERE vintage = '34'"
             ) == [("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", date(2025, 8, 20))]


def test_updates_records_made_by_discovery(tmp_path: Path) -> None:
    from etl.steps.context import FileRecord

    shutil.copy(FIX / "general_all8.txt", tmp_path / "plan.txt")
    shutil.copy(FIX / "not_a_plan.txt", tmp_path / "note.txt")
    ctx = new_ctx([tmp_path])
    ctx.files = [FileRecord(p, "unrecognised") for p in sorted(tmp_path.iterdir())]
    run(ctx)
    assert [(f.path.name, f.kind, f.status) for f in ctx.files] == [
        ("note.txt", "unrecognised", "skipped"), ("plan.txt", "plan", "loaded")]
    assert "không phải kế hoạch PAPI" in ctx.files[0].message
