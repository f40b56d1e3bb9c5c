"""mart.action_report written one province at a time equals the one-statement build, stored sorted."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl.steps import task_view_step


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT * FROM mart.action_report ORDER BY rowid").fetchall()


def test_by_province_gives_the_same_rows_in_the_same_order(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(demo_db, db)
    con = duckdb.connect(str(db))
    try:
        # a plan without a province must not be lost either
        con.execute("UPDATE mart.plan SET province_code = NULL WHERE plan_id = "
                    "(SELECT min(plan_id) FROM mart.plan)")
        task_view_step.write(con)
        whole = _rows(con)
        task_view_step.write(con, by_province=True)
        chunked = _rows(con)
        n_plans = con.execute("SELECT count(DISTINCT province_code) FROM mart.plan").fetchone()[0]
        n_without = con.execute("SELECT count(*) FROM mart.action_report "
                                "WHERE province_code IS NULL").fetchone()[0]
    finally:
        con.close()
    assert n_plans >= 2 and len(whole) > 50
    assert n_without > 0  # the rows of the plan without a province are there
    # the same rows (ties of the sort key have no fixed order in either) …
    assert sorted(chunked, key=repr) == sorted(whole, key=repr)
    # … stored sorted by province (NULL last), by_year, report_year, as the page's reads expect
    keys = [((r[7] is None, r[7] or ""), r[0], r[16]) for r in chunked]
    assert keys == sorted(keys)
