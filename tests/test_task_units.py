"""Task tracker and unit scorecard data: planned actions drawn from their plan year, unit
filters, status counts — against a demo warehouse with an unreported plan added."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import data, prep, task_table
from etl.plans import tables
from etl.plans.status import as_of
from etl.steps import task_view_step

UNIT = "Sở <b>Thử</b> nghiệm"


@pytest.fixture(scope="module")
def db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo plus a 2023 plan of Lạng Sơn (20) whose two D1 actions were never reported."""
    out = tmp_path_factory.mktemp("tasks") / "tasks.duckdb"
    shutil.copy(demo_db, out)
    con = duckdb.connect(str(out))
    con.execute("INSERT INTO mart.plan SELECT * REPLACE ('20-2023-NEW-1' AS plan_id, "
                "'1/KH-NEW' AS number) FROM mart.plan WHERE plan_id = '20-2023-STTTT-41'")
    for i in (1, 2):
        con.execute("INSERT INTO mart.action (action_id, plan_id, seq, dimension_code, text, "
                    "lead_units, coordinating_units, lead_units_current) "
                    "VALUES (?, '20-2023-NEW-1', ?, 'D1', ?, [?], [], [?])",
                    [f"new-{i}", i, f"Nhiệm vụ mới {i}", UNIT, UNIT])
    tables.finish(con, as_of())  # the derived tables, as the plans step writes them
    task_view_step.write(con)
    con.close()
    data.clear_cache()
    return out


def _n(df, year: int, status: str) -> int:
    row = df[(df["year"] == year) & (df["status_code"] == status)]
    return int(row["n"].sum())


def test_unreported_actions_drawn_from_plan_year(db: Path) -> None:
    before = data.action_status_by_year("20", "D1", db)
    after = task_table.status_by_year("20", "D1", db, vintage=None, as_of=date(2026, 12, 3))
    assert _n(before, 2023, "not_reported") == 0  # the mart view alone forgets them
    # planned in 2023, never reported: counted as 'chưa báo cáo' in 2023 and 2024
    assert _n(after, 2023, "not_reported") == 2
    assert _n(after, 2024, "not_reported") == 2
    assert _n(after, 2022, "not_reported") == 0
    for status in ("done_on_time", "done_late", "in_progress", "overdue"):
        for year in (2022, 2023, 2024):
            assert _n(after, year, status) == _n(before, year, status)


def test_unit_actions_and_counts(db: Path) -> None:
    assert UNIT in task_table.units("20", db)
    acts = task_table.apply_filters(data.actions("20", path=db), {"unit": UNIT})
    assert sorted(acts["text"]) == ["Nhiệm vụ mới 1", "Nhiệm vụ mới 2"]
    counts = task_table.status_counts(acts, "dimension_code")
    assert counts.to_dict("records") == [{"dimension_code": "D1", "n_done_on_time": 0,
                                          "n_done_late": 0, "n_in_progress": 0, "n_overdue": 0,
                                          "n_not_reported": 2}]
    table = prep.task_export_frame(task_table.with_days_overdue(acts, date(2026, 12, 3)), "vi",
                                   data.task_statuses(db))
    assert len(table) == 2 and set(table["Trạng thái"]) == {"Chưa báo cáo"}
