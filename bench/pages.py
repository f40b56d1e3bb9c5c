"""Section 2: every page as the real Streamlit script run (streamlit.testing AppTest).

No copy of the pages: dashboard/app.py runs with st.navigation, switched to each page, and the
figure is the wall time of AppTest.run() — the server side of a rerun (script + element tree).
**first view after a rebuild** = the warehouse file replaced by a fresh copy (new signature, as
`papi etl` swaps it in) and the built figures forgotten before the run; **warm** = the same
rerun again (what any widget change costs when its data is cached). The floor is
bench/bare_app.py (a bare page, one Plotly chart) run through AppTest the same way, warm.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from common import BENCH_DIR, PROJECT_ROOT, Row, judge, timed

SECTION = "2 pages"
APP = str(PROJECT_ROOT / "dashboard" / "app.py")
BARE = str(BENCH_DIR / "bare_app.py")
PAGES = ("overview", "dimensions", "drilldown", "compare", "tasks", "units", "method")
ACTION_PAGES = ("tasks", "units")  # opened on planned_view's year: charts drawn from its actions


def planned_province(db: Path) -> str:
    """The first province with a plan (the view the bench opens), else Hà Nội."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT min(province_code) FROM mart.plan").fetchone()
    except duckdb.CatalogException:
        row = None
    finally:
        con.close()
    return row[0] if row and row[0] else "01"


def planned_view(db: Path, province: str) -> tuple[str, int] | None:
    """(vintage, year) of the province's latest report year that has actions, or None.

    The tasks and units pages draw their charts from the actions of the view's year
    (mart.action_report's by-year rows, as data.actions(province, year) reads them); opened
    on the latest year of the warehouse they may show none (the demo's latest year, 2026, has
    only Phú Thọ's plan, not Lạng Sơn's), so the bench opens them on this year.
    """
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT vintage, report_year FROM mart.action_report "
                          "WHERE by_year AND province_code = ? AND report_year IS NOT NULL "
                          "ORDER BY report_year DESC, vintage DESC LIMIT 1", [province]).fetchone()
    except duckdb.CatalogException:
        row = None
    finally:
        con.close()
    return (str(row[0]), int(row[1])) if row else None


def _quiet() -> None:
    """AppTest outside `streamlit run` logs 'missing ScriptRunContext' for every element."""
    import logging

    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).setLevel(logging.ERROR)


def open_page(page: str, province: str, year: int | None = None, timeout: float = 600,
              vintage: str | None = None):
    """An AppTest of dashboard/app.py on `page` for the province (latest year unless given;
    the code read in the geography of the year unless `vintage` is given)."""
    from streamlit.testing.v1 import AppTest

    _quiet()
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["province"] = province
    if vintage is not None:
        at.query_params["vintage"] = vintage
    if year is not None:
        at.query_params["year"] = str(year)
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return at


def bare_floor(n: int) -> tuple[float, list[float]]:
    """AppTest.run() of the bare page (one Plotly chart), warm."""
    from streamlit.testing.v1 import AppTest

    _quiet()
    at = AppTest.from_file(BARE, default_timeout=120)
    at.run()
    return timed(at.run, n)


def rebuilt(live: Path, source: Path) -> None:
    """Swap a fresh copy of the warehouse in, as the ETL does (new inode and mtime), and forget
    the built figures: they are cached by content, and the copy has the same content, but a
    rebuild that changed the data misses them all (the worst case is timed)."""
    from dashboard import figcache

    tmp = live.with_suffix(".swap")
    shutil.copyfile(source, tmp)
    os.replace(tmp, live)
    figcache.clear()


@contextlib.contextmanager
def recording() -> Iterator[list[tuple[str, tuple]]]:
    """Record every (sql, params) the data layer sends to DuckDB (cache misses included)."""
    from dashboard import data

    seen: list[tuple[str, tuple]] = []
    original = data._cached

    def spy(sig, sql, params):
        seen.append((sql, params))
        return original.__wrapped__(sig, sql, params)

    spy.cache_clear = original.cache_clear  # type: ignore[attr-defined]
    data._cached = spy
    try:
        yield seen
    finally:
        data._cached = original


def raw_queries(db: Path, queries: list[tuple[str, tuple]]) -> None:
    """The floor: the same SQL and parameters on one read-only DuckDB connection, to pandas."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True, config={"python_enable_replacements": False})
    try:
        for sql, params in queries:
            try:
                con.execute(sql, [list(p) if isinstance(p, tuple) else p for p in params]).df()
            except duckdb.CatalogException:
                pass
    finally:
        con.close()


@contextlib.contextmanager
def using_db(db: Path) -> Iterator[None]:
    from dashboard import data

    old = os.environ.get("PAPI_DB")
    os.environ["PAPI_DB"] = str(db)
    data.clear_cache()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PAPI_DB", None)
        else:
            os.environ["PAPI_DB"] = old
        data.clear_cache()


def run(n: int, db: Path, label: str) -> list[Row]:
    rows: list[Row] = []
    floor, floor_runs = bare_floor(n)
    live = db.with_name(f"live-{db.name}")
    shutil.copyfile(db, live)
    province = planned_province(db)
    planned = planned_view(db, province)
    with using_db(live):
        for page in PAGES:
            print(f"  page: {page}", flush=True)
            if page in ACTION_PAGES and planned is not None:  # a year with actions: full page
                at = open_page(page, province, planned[1], vintage=planned[0])
            else:
                at = open_page(page, province)
            first, first_runs = timed(at.run, n, setup=lambda: rebuilt(live, db))
            warm, warm_runs = timed(at.run, n)
            shown = f"{province}, {planned[1]}" if page in ACTION_PAGES and planned else province
            note = f"{label} db, province {shown}, AppTest.run() of dashboard/app.py"
            target, ok = judge(first, floor, max_s=0.300)
            rows.append(Row(SECTION, f"{page}: first view after rebuild", first, floor, target,
                            ok, note, runs=first_runs, floor_runs=floor_runs))
            target, ok = judge(warm, floor, max_s=0.100)
            rows.append(Row(SECTION, f"{page}: warm rerun", warm, floor, target, ok,
                            "floor: bare page with one Plotly chart (AppTest, warm)",
                            runs=warm_runs, floor_runs=floor_runs))
    live.unlink(missing_ok=True)
    return rows
