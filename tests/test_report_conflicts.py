"""Issue 21, item 3: two filled reports of one action and period that disagree. An error naming
both files and rows; with --keep-going the later report date wins; an equal date is a conflict
shown and left undecided: never decided by which file name sorts later."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from etl.plans.parse import parse_plan
from etl.plans.template import write_template
from etl.problems import InputError
from etl.steps.plan_step import run
from etl.steps.warehouse import build
from tests.test_plan_step import FIX, H1, PLAN_ID, fill, new_ctx, q
from tests.warehouse_query import q as wq

A02 = f"{PLAN_ID}-A02"
STATUS = ("SELECT regexp_extract(source_file, '[^/]+$'), status_code, is_latest "
          "FROM mart.action_status WHERE action_id = ? ORDER BY source_file")


def _inputs(tmp_path: Path, first: tuple[str, list], second: tuple[str, list]) -> Path:
    inp = tmp_path / "in"
    inp.mkdir(exist_ok=True)
    shutil.copy(FIX / "general_all8.txt", inp / "ke_hoach.txt")
    tpl = write_template(parse_plan(FIX / "general_all8.txt"), tmp_path / "tpl.xlsx")
    for name, cells in (first, second):
        fill(tpl, inp / name, {9: cells})  # row 9: action A02
    return inp


IN_PROGRESS = [H1, "Đang thực hiện trong hạn", 50, None, None, datetime(2023, 7, 15)]
DONE_LATER = [H1, "Hoàn thành đúng hạn", 100, None, None, datetime(2023, 8, 1)]
DONE_SAME_DAY = [H1, "Hoàn thành đúng hạn", 100, None, None, datetime(2023, 7, 15)]


def _conflicts(ctx) -> list:
    return [p for p in ctx.problems.items if A02 in p.message and "H1" in p.message]


def test_later_report_wins_and_the_disagreement_is_an_error_naming_both(tmp_path: Path) -> None:
    # the later report sorts FIRST by name: the date decides, not the name
    inp = _inputs(tmp_path, ("b_dau.xlsx", IN_PROGRESS), ("a_sau.xlsx", DONE_LATER))
    ctx = new_ctx([inp])
    run(ctx)
    [p] = _conflicts(ctx)
    assert p.severity == "error"
    assert "a_sau.xlsx › Báo cáo dòng 9 (01/08/2023" in p.message
    assert "b_dau.xlsx › Báo cáo dòng 9 (15/07/2023" in p.message
    assert (Path(p.file).name, p.sheet, p.cell) == ("a_sau.xlsx", "Báo cáo", "row 9")
    assert q(ctx, STATUS.replace("?", f"'{A02}'")) == [
        ("a_sau.xlsx", "done_on_time", True), ("b_dau.xlsx", "in_progress", False)]


@pytest.mark.parametrize("names", [("a.xlsx", "z.xlsx"), ("z.xlsx", "a.xlsx")])
def test_equal_date_is_a_conflict_left_undecided_whatever_the_names(tmp_path: Path,
                                                                    names) -> None:
    inp = _inputs(tmp_path, (names[0], IN_PROGRESS), (names[1], DONE_SAME_DAY))
    ctx = new_ctx([inp])
    run(ctx)
    [p] = _conflicts(ctx)
    assert p.severity == "error" and "cùng ngày" in p.message and "same date" in p.message
    assert "a.xlsx" in p.message and "z.xlsx" in p.message
    assert [r[2] for r in q(ctx, STATUS.replace("?", f"'{A02}'"))] == [False, False]
    # the action's standing is not taken from either report
    assert q(ctx, f"SELECT count(*) FROM staging.action_current WHERE action_id = '{A02}' "
             "AND reported_on IS NOT NULL") == [(0,)]


def test_agreeing_reports_are_no_conflict(tmp_path: Path) -> None:
    inp = _inputs(tmp_path, ("a.xlsx", DONE_SAME_DAY), ("b.xlsx", list(DONE_SAME_DAY)))
    ctx = new_ctx([inp])
    run(ctx)
    assert _conflicts(ctx) == [] and ctx.problems.errors == []


def test_strict_build_stops_keep_going_loads_the_later(tmp_path: Path) -> None:
    inp = _inputs(tmp_path, ("b_dau.xlsx", IN_PROGRESS), ("a_sau.xlsx", DONE_LATER))
    with pytest.raises(InputError) as err:
        build([inp], tmp_path / "strict.duckdb", progress=False)
    assert any("a_sau.xlsx" in p.message and "b_dau.xlsx" in p.message
               for p in err.value.problems)
    assert not (tmp_path / "strict.duckdb").exists()
    db = build([inp], tmp_path / "kg.duckdb", progress=False, keep_going=True)
    assert wq(db, STATUS, [A02]) == [("a_sau.xlsx", "done_on_time", True),
                                     ("b_dau.xlsx", "in_progress", False)]
    assert wq(db, "SELECT count(*) FROM meta.problem WHERE severity = 'error' AND message "
                  "LIKE '%a_sau.xlsx%b_dau.xlsx%'")[0][0] == 1
