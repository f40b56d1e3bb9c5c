"""Task-tracker queries: filtered and paged in SQL, exact against the previous queries."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import data, task_table
from etl.plans.status import as_of
from tests import shown_tables

BENCH = Path(__file__).resolve().parent.parent / "bench"

# The previous queries, verbatim: filters as "(? IS NULL OR …)", unit/status filtered in pandas.
OLD_ACTIONS = (
    "WITH st AS (SELECT * FROM mart.action_status "
    "  WHERE (? IS NULL OR year = ?) "
    "  AND (? IS NULL OR action_id IN (SELECT a2.action_id FROM mart.action a2 "
    "    JOIN mart.plan p2 USING (plan_id) WHERE p2.province_code = ?)) "
    "  QUALIFY row_number() OVER (PARTITION BY action_id "
    "    ORDER BY is_latest DESC, year DESC, reported_on DESC NULLS LAST, "
    "    loaded_seq DESC) = 1) "
    "SELECT a.action_id, a.plan_id, p.number AS plan_number, p.issued_on AS plan_issued_on, "
    "p.year AS plan_year, p.province_code, a.seq, a.dimension_code, a.text, "
    "a.lead_units, a.coordinating_units, coalesce(st.year, p.year) AS report_year, "
    "st.period, CASE WHEN st.status_code IN ('done_on_time', 'done_late') THEN st.status_code "
    "  WHEN a.due_on IS NOT NULL AND CASE WHEN ? IS NULL THEN ?::DATE "
    "    ELSE least(?::DATE, make_date(coalesce(st.year, p.year), 12, 31)) END > a.due_on "
    "  THEN 'overdue' ELSE coalesce(st.status_code, 'not_reported') END AS status_code, "
    "st.percent_done, st.result, st.notes, st.reported_on, a.due_on "
    "FROM mart.action a JOIN mart.plan p USING (plan_id) "
    "LEFT JOIN st USING (action_id) "
    "WHERE (? IS NULL OR p.province_code = ?) "
    "AND (? IS NULL OR a.dimension_code = ?) "
    "AND (? IS NULL OR coalesce(st.year, p.year) = ?) "
    "ORDER BY a.dimension_code, p.issued_on, a.seq")
OLD_BY_YEAR = (
    "WITH st AS (SELECT s.action_id, s.year, s.status_code FROM mart.action_status s "
    "  WHERE (? IS NULL OR s.action_id IN (SELECT a2.action_id FROM mart.action a2 "
    "    JOIN mart.plan p2 USING (plan_id) WHERE p2.province_code = ?)) "
    "  QUALIFY row_number() OVER (PARTITION BY s.action_id, s.year "
    "    ORDER BY s.is_latest DESC, s.reported_on DESC NULLS LAST, s.loaded_seq DESC) = 1) "
    "SELECT st.year, CASE WHEN st.status_code IN ('done_on_time', 'done_late') "
    "  THEN st.status_code WHEN a.due_on IS NOT NULL "
    "  AND least(?::DATE, make_date(st.year, 12, 31)) > a.due_on THEN 'overdue' "
    "  ELSE st.status_code END AS status_code, count(*) AS n "
    "FROM st JOIN mart.action a USING (action_id) JOIN mart.plan p USING (plan_id) "
    "WHERE (? IS NULL OR p.province_code = ?) AND (? IS NULL OR a.dimension_code = ?) "
    "GROUP BY 1, 2 ORDER BY 1, 2")


def old_actions(db: Path, province, year=None, dim=None, unit=None, status=None) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        today = as_of()  # the overdue rule of issue 12, applied to the reference too
        df = con.execute(OLD_ACTIONS, [year, year, province, province, year, today, today,
                                       province, province, dim, dim, year, year]).df()
    finally:
        con.close()
    if status is not None:
        df = df[df["status_code"] == status]
    if unit is not None:
        df = df[df["lead_units"].map(lambda u: u is not None and unit in list(u)).astype(bool)]
    return df


def old_by_year(db: Path, province, dim) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(OLD_BY_YEAR, [province, province, as_of(), province, province, dim,
                                         dim]).df()
    finally:
        con.close()


def canon(df: pd.DataFrame) -> list[tuple]:
    """Rows as comparable tuples (lists for the unit arrays), sorted by action_id."""
    out = df.sort_values("action_id")[data.ACTION_COLUMNS].astype(object)
    out = out.where(out.notna(), None)
    return [tuple(list(v) if hasattr(v, "__len__") and not isinstance(v, str) else v for v in r)
            for r in out.itertuples(index=False)]


def sample(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        prov = con.execute("SELECT p.province_code FROM mart.action a JOIN mart.plan p "
                           "USING (plan_id) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
                           ).fetchone()[0]
        years = [y for (y,) in con.execute(  # the years reported by that province
            "SELECT DISTINCT s.year FROM mart.action_status s JOIN mart.action a "
            "USING (action_id) JOIN mart.plan p USING (plan_id) WHERE p.province_code = ? "
            "ORDER BY 1", [prov]).fetchall()]
        unit = con.execute("SELECT u FROM (SELECT unnest(a.lead_units) AS u FROM mart.action a "
                           "JOIN mart.plan p USING (plan_id) WHERE p.province_code = ?) "
                           "GROUP BY u ORDER BY count(*) DESC, u LIMIT 1", [prov]).fetchone()[0]
    finally:
        con.close()
    return {"province": prov, "years": years, "unit": unit}


CASES = [  # (year index or None, dimension, unit?, status)
    (None, None, False, None), (-1, None, False, None), (0, None, False, None),
    (None, "D1", False, None), (-1, "D3", False, None), (None, None, True, None),
    (None, None, False, "overdue"), (-1, None, False, "done_on_time"),
    (-1, "D1", True, "in_progress"), (None, "GENERAL", False, "not_reported"),
]


def check_against_old(db: Path) -> int:
    s = sample(db)
    n_rows = 0
    for yi, dim, by_unit, status in CASES:
        year = None if yi is None else s["years"][yi]
        unit = s["unit"] if by_unit else None
        old = old_actions(db, s["province"], year, dim, unit, status)
        new = data.actions(s["province"], year, dim, db, unit=unit, status=status)
        assert list(new.columns) == data.ACTION_COLUMNS
        assert canon(new) == canon(old), (year, dim, unit, status)
        keys = list(zip(new["dimension_code"], new["plan_issued_on"], new["seq"],
                        new["action_id"], strict=True))
        assert keys == sorted(keys)  # a total order: pages never overlap
        summ = data.action_summary(s["province"], year, dim, db, unit=unit, status=status)
        assert summ["n"] == len(old) == data.count_actions(s["province"], year, dim, db,
                                                           unit=unit, status=status)
        assert summ["n_overdue"] == int((old["status_code"] == "overdue").sum())
        last = old["reported_on"].dropna().max() if len(old) else None
        assert summ["last_reported_on"] == (None if last is None or pd.isna(last) else last)
        n_rows += len(old)
    for dim in (None, "D1", "D5"):
        got = data.action_status_by_year(s["province"], dim, db)
        want = old_by_year(db, s["province"], dim)
        assert got.to_dict("list") == want.to_dict("list"), dim
    return n_rows


def test_exact_against_the_previous_queries_on_the_demo(demo_db: Path) -> None:
    assert check_against_old(demo_db) > 0
    s = sample(demo_db)
    full = data.actions(s["province"], path=demo_db)
    assert data.action_units(s["province"], demo_db) == sorted(
        {u for us in full["lead_units"] for u in us})
    assert data.action_report_years(s["province"], demo_db) == sorted(
        {int(y) for y in full["report_year"]})


@pytest.fixture(scope="module")
def scaled_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        import scale
    finally:
        sys.path.remove(str(BENCH))
    return scale.make_db(demo_db, tmp_path_factory.mktemp("scale") / "scale_1x.duckdb", 1)


def test_exact_against_the_previous_queries_at_national_volume(scaled_db: Path) -> None:
    assert sample(scaled_db)["province"] != ""
    # 1× adds 12,000 actions a province (40 units × 30 × 10 years) to the demo's
    assert check_against_old(scaled_db) >= 12_000


def test_pages_concatenate_to_the_full_table(scaled_db: Path) -> None:
    s = sample(scaled_db)
    year = s["years"][-1]
    full = data.actions(s["province"], year, "D2", scaled_db)
    pages = [data.actions(s["province"], year, "D2", scaled_db, limit=50, offset=o)
             for o in range(0, len(full) + 1, 50)]
    assert [len(p) for p in pages[:-1]] == [50] * (len(pages) - 1) and len(pages[-1]) < 50
    assert pd.concat(pages)["action_id"].tolist() == full["action_id"].tolist()
    # 1× writes 40 units × 30 actions a plan, D2 every 8th: 160 of the year, plus the demo's
    assert len(full) == len(old_actions(scaled_db, s["province"], year, "D2")) >= 160


def test_only_the_predicates_in_use_reach_duckdb(demo_db: Path, monkeypatch) -> None:
    seen: list[tuple[str, tuple]] = []
    real = data._cached

    def spy(sig, sql, params):
        seen.append((sql, params))
        return real.__wrapped__(sig, sql, params)

    monkeypatch.setattr(data, "_cached", spy)
    s = sample(demo_db)
    data.actions(s["province"], path=demo_db, limit=50)
    data.actions(s["province"], 2023, "D1", demo_db, unit=s["unit"], status="overdue")
    data.action_status_by_year(s["province"], None, demo_db)
    data.dimension_progress(s["province"], None, demo_db)
    data.unit_progress(None, 2023, demo_db)
    data.plan_years(None, demo_db)
    (plain, p1), (full, p2), (by_year, p3), (dims, p4), (units, p5), (years, p6) = seen
    for sql, params in seen:
        assert "IS NULL" not in sql and sql.count("?") == len(params)
    assert p1 == (s["province"], 50, 0) and "dimension_code = ?" not in plain
    assert "report_year = ?" not in plain and "list_contains" not in plain
    assert p2 == (s["province"], 2023, "D1", s["unit"], "overdue")
    assert "list_contains(lead_units, ?)" in full and "LIMIT" not in full
    assert p3 == (s["province"],) and "dimension_code = ?" not in by_year
    assert p4 == (s["province"],) and "year = ?" not in dims
    assert p5 == (2023,) and "province_code = ?" not in units
    assert p6 == () and "WHERE" not in years


def test_tracker_filters_match_the_sql_filters(demo_db: Path) -> None:
    """The tracker's filters (applied to the view's frame) keep what the SQL filters keep."""
    s = sample(demo_db)
    f = {"unit": s["unit"], "status": task_table.ALL, "dimension": task_table.ALL,
         "overdue": "1"}
    got = task_table.apply_filters(data.actions(s["province"], path=demo_db), f)
    want = old_actions(demo_db, s["province"], unit=s["unit"], status="overdue")
    assert canon(got) == canon(want)
    clash = dict(f, status="done_on_time")  # one status, and 'only overdue': nothing matches
    assert task_table.apply_filters(data.actions(s["province"], path=demo_db), clash).empty
    for dim in ("D1", "D3"):
        keep = task_table.apply_filters(data.actions(s["province"], path=demo_db),
                                        {"dimension": dim})
        assert canon(keep) == canon(old_actions(demo_db, s["province"], dim=dim))


def test_task_page_shows_one_page_of_the_table_and_counts_all(scaled_db: Path, monkeypatch
                                                              ) -> None:
    from streamlit.testing.v1 import AppTest

    from dashboard.export import streamlit_buttons
    from dashboard.i18n import t

    downloads: list = []  # what the page offers for download: the whole filtered table
    real = streamlit_buttons.table_downloads
    monkeypatch.setattr(streamlit_buttons, "table_downloads",
                        lambda df, *a, **k: (downloads.append(df), real(df, *a, **k)))
    monkeypatch.setenv("PAPI_DB", str(scaled_db))
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=600)
    at.query_params["province"] = "01"
    at.query_params["vintage"] = "63"  # the synthetic plans are by the 63 provinces
    at.query_params["tyear"] = task_table.ALL  # every year
    at.run()
    at.switch_page("app_pages/tasks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    n = data.count_actions("01", path=scaled_db)
    assert n == len(old_actions(scaled_db, "01")) > task_table.PAGE_SIZE
    assert next(m for m in at.metric if m.label == t("n_actions")).value == str(n)
    pages = -(-n // task_table.PAGE_SIZE)
    box = at.number_input(key="tasks_page")
    assert (box.label, box.value, box.min, box.max) == (t("page", n=pages), 1, 1, pages)

    def shown() -> list:
        [table] = [d for d in shown_tables.tables(at) if t("col_action") in d.columns]
        return table[t("col_action")].tolist()

    from dashboard import prep
    from dashboard.subject import subject

    view = subject("01", "63", int(at.query_params["year"]), "vi", None, scaled_db)
    whole = prep.task_export_frame(view.actions_of(None), "vi")[t("col_action")].tolist()
    assert shown() == whole[:50]
    box.set_value(2).run()
    assert not at.exception and shown() == whole[50:100]
    # the page formats its 50 rows only; the download still has every row (made on a click)
    offered = downloads[-1]() if callable(downloads[-1]) else downloads[-1]
    assert offered[t("col_action")].tolist() == whole and len(whole) == n
