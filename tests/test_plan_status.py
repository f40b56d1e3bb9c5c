"""Statuses computed from due date, report and report date; overdue-unreported, due-soon flags."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from test_plan_step import fill, new_ctx, q

from etl.plans.parse import parse_plan
from etl.plans.status import computed_status, standing
from etl.plans.template import write_template
from etl.steps.plan_step import run

FIX = Path(__file__).parent / "fixtures" / "plans"
DUE = date(2026, 6, 30)
H1, FY = "6 tháng đầu năm", "Cả năm"


@pytest.mark.parametrize(("typed", "reported", "expected"), [
    ("done_on_time", date(2026, 6, 30), "done_on_time"),   # done on the due day
    ("done_on_time", date(2026, 7, 1), "done_late"),       # done the day after
    ("done_late", date(2026, 6, 29), "done_on_time"),
    ("in_progress", date(2026, 6, 30), "in_progress"),     # due today: not passed
    ("in_progress", date(2026, 7, 1), "overdue"),          # due yesterday: passed
    ("overdue", date(2026, 6, 1), "in_progress"),          # typed overdue before the due date
])
def test_computed_status_boundaries(typed: str, reported: date, expected: str) -> None:
    assert computed_status(typed, DUE, reported) == expected


def test_no_due_date_keeps_the_typed_status() -> None:
    assert computed_status("overdue", None, date(2026, 1, 5)) == "overdue"


@pytest.mark.parametrize(("status", "today", "expected"), [
    (None, date(2026, 6, 30), (None, "due_soon")),                    # due today, unreported
    (None, date(2026, 7, 1), ("overdue", "overdue_unreported")),      # due yesterday
    (None, date(2026, 6, 23), (None, "due_soon")),                    # 7 days ahead
    (None, date(2026, 6, 22), (None, None)),                          # 8 days ahead
    ("in_progress", date(2026, 7, 1), ("overdue", None)),
    ("in_progress", date(2026, 6, 30), ("in_progress", "due_soon")),
    ("done_late", date(2026, 9, 1), ("done_late", None)),
])
def test_standing_as_of_today(status: str | None, today: date, expected: tuple) -> None:
    assert standing(status, DUE, today) == expected


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Phú Thọ 2026 plan with deadlines; a report with typed statuses that disagree."""
    def build(today: str):
        monkeypatch.setenv("PAPI_TODAY", today)
        inp = tmp_path / today
        inp.mkdir()
        shutil.copy(FIX / "tinh_noi_dung_abc.txt", inp / "ke_hoach.txt")
        tpl = write_template(parse_plan(FIX / "tinh_noi_dung_abc.txt"), tmp_path / "tpl.xlsx")
        fill(tpl, inp / "bao_cao.xlsx", {
            8: [H1, "Hoàn thành đúng hạn", 100, None, None, "30/06/2026"],    # due 30/06
            9: [H1, "Hoàn thành đúng hạn", 100, None, None, "02/07/2026"],    # due 30/06
            11: [H1, "Đang thực hiện trong hạn", 40, None, None, "15/07/2026"],  # due 31/10
            12: [H1, "Quá hạn chưa hoàn thành", 30, None, None, "15/07/2026"],   # due 31/12
        })
        ctx = new_ctx([inp])
        ctx.con.execute("INSERT INTO ref.province VALUES ('34', '25', 'Phú Thọ')")
        run(ctx)
        return ctx
    return build


def test_report_statuses_computed_and_disagreement_warned(built) -> None:
    ctx = built("2026-10-25")
    assert q(ctx, "SELECT right(action_id, 3), status_code, reported_status_code, "
             "status_warning IS NOT NULL FROM mart.action_status ORDER BY action_id") == [
        ("A01", "done_on_time", "done_on_time", False),
        ("A02", "done_late", "done_on_time", True),
        ("A04", "in_progress", "in_progress", False),
        ("A05", "in_progress", "overdue", True),
    ]
    warns = {p.cell: p for p in ctx.problems.warnings if p.file.endswith("bao_cao.xlsx")}
    assert set(warns) == {"I9", "I12"}
    assert warns["I9"].message == (
        "Dòng 9, cột I (Tình trạng (*) / Status): Báo cáo ghi 'Hoàn thành đúng hạn' nhưng theo "
        "hạn 30/06/2026 và ngày báo cáo 02/07/2026 là 'Hoàn thành quá hạn' / typed status "
        "differs from the one computed from the due date")
    assert (warns["I9"].found, warns["I9"].allowed) == ("Hoàn thành đúng hạn",
                                                        "Hoàn thành quá hạn")


def test_current_standing_overdue_unreported_and_due_soon(built) -> None:
    ctx = built("2026-10-25")
    cur = dict((r[0][-3:], r[1:]) for r in q(
        ctx, "SELECT action_id, status_code, is_overdue_unreported, is_due_soon "
        "FROM staging.action_current"))
    assert cur["A03"] == ("overdue", True, False)      # due 30/09, never reported
    assert cur["A04"] == ("in_progress", False, True)  # due 31/10: within 7 days
    assert cur["A06"] == (None, False, False)          # ongoing: never overdue
    assert cur["A09"] == (None, False, False)          # due 30/11: 36 days ahead
    assert q(ctx, "SELECT vintage, dimension_code, n_actions, n_done_on_time, n_done_late, "
             "n_in_progress, n_overdue, n_overdue_unreported, n_not_reported, n_due_soon, as_of "
             "FROM mart.dimension_progress ORDER BY dimension_code") == [
        ("34", "D1", 2, 1, 1, 0, 0, 0, 0, 0, date(2026, 10, 25)),
        ("34", "D2", 2, 0, 0, 1, 1, 1, 0, 1, date(2026, 10, 25)),
        ("34", "D4", 5, 0, 0, 1, 0, 0, 4, 0, date(2026, 10, 25)),
    ]


def test_in_progress_past_due_is_overdue_the_day_after(built) -> None:
    ctx = built("2026-11-01")
    cur = dict((r[0][-3:], r[1:]) for r in q(
        ctx, "SELECT action_id, status_code, is_overdue_unreported FROM staging.action_current"))
    assert cur["A04"] == ("overdue", False)  # reported in progress, due 31/10 has passed
    assert cur["A03"] == ("overdue", True)


def test_unit_history_is_one_line_across_the_mergers(tmp_path: Path) -> None:
    """2024 'Sở Giao thông vận tải' and 2026 'Sở Xây dựng' are one unit in unit_progress."""
    old = (FIX / "tinh_la_ma_inline.txt").read_text(encoding="utf-8")
    (tmp_path / "cu.txt").write_text(old.replace(
        "Đơn vị chủ trì thực hiện: Thanh tra Sở.",
        "Đơn vị chủ trì thực hiện: Sở Giao thông vận tải; Sở Kế hoạch và Đầu tư."),
        encoding="utf-8")
    new = (FIX / "tinh_noi_dung_abc.txt").read_text(encoding="utf-8")
    (tmp_path / "moi.txt").write_text(new.replace("Thanh tra tỉnh chủ trì, phối hợp với các sở",
                                                  "Sở Xây dựng chủ trì, phối hợp với các sở"),
                                      encoding="utf-8")
    ctx = new_ctx([tmp_path])
    ctx.con.execute("INSERT INTO ref.province VALUES ('34', '25', 'Phú Thọ')")
    run(ctx)
    rows = q(ctx, "SELECT province_code, year, vintage, n_actions, unit_names "
             "FROM mart.unit_progress WHERE unit = 'Sở Xây dựng' ORDER BY year")
    assert rows == [("20", 2025, "63", 3, ["Sở Giao thông vận tải"]),
                    ("25", 2026, "34", 1, ["Sở Xây dựng"])]
    assert q(ctx, "SELECT n_actions, unit_names FROM mart.unit_progress "
             "WHERE unit = 'Sở Tài chính' AND year = 2025") == [(3, ["Sở Kế hoạch và Đầu tư"])]
    assert q(ctx, "SELECT lead_units, lead_units_current FROM mart.action "
             "WHERE plan_id = '20-2025-SNV-88-V63' AND seq = 3") == [
        (["Sở Giao thông vận tải", "Sở Kế hoạch và Đầu tư"], ["Sở Xây dựng", "Sở Tài chính"])]


def test_plan_without_province_refused_in_the_build(tmp_path: Path) -> None:
    text = (FIX / "tinh_la_ma_inline.txt").read_text(encoding="utf-8")
    (tmp_path / "x.txt").write_text(text.replace("UBND TỈNH LẠNG SƠN", "UBND TỈNH XANADU")
                                    .replace("Lạng Sơn, ngày", "Xanadu, ngày"), encoding="utf-8")
    ctx = new_ctx([tmp_path])
    run(ctx)
    assert [(p.file, p.found) for p in ctx.problems.errors] == [(str(tmp_path / "x.txt"),
                                                                  "Xanadu")]
    assert [(f.path.name, f.kind, f.status) for f in ctx.files] == [("x.txt", "plan", "refused")]
    assert q(ctx, "SELECT count(*) FROM mart.plan") == [(0,)]
