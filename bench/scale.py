"""Section 3: the task-tracker queries on a whole country's task-report volume at 1×, 10×, 100×.

1× = 63 provinces × 40 units × 30 actions × 2 reports/year × 10 years: per province and year
one plan with 40 lead units of 30 actions each (756,000 actions), each action reported twice
in its year (H1 and FY: 1,512,000 status rows). k× multiplies the units per province. The rows
are written with SQL into a copy of the demo warehouse's mart.plan/action/action_status and the
progress marts (dimension_progress, unit_progress) are aggregated from them.
"""
# ruff: noqa: S608 - the SQL is built from integer constants of this module only

from __future__ import annotations

import shutil
from pathlib import Path

from common import Row, judge, timed

SECTION = "3 scale"
UNITS, ACTIONS, REPORTS, YEARS = 40, 30, 2, 10
FIRST_YEAR = 2015
MEMORY_LIMIT = "10GB"  # for writing the synthetic volume (the data layer itself is not limited)


def volume(factor: int) -> dict[str, int]:
    actions = 63 * UNITS * factor * ACTIONS * YEARS
    return {"actions": actions, "status_rows": actions * REPORTS}


def make_db(demo: Path, out: Path, factor: int) -> Path:
    """A copy of the demo warehouse with factor× the synthetic country volume added."""
    import duckdb

    from etl.plans import tables
    from etl.plans.status import as_of
    from etl.steps import task_view_step

    out.unlink(missing_ok=True)
    shutil.copyfile(demo, out)
    con = duckdb.connect(str(out))
    try:
        con.execute("SET preserve_insertion_order = false")
        # Bounded memory: at 100× the rows (≈150 M) do not fit beside everything else on the
        # machine; DuckDB spills to its temp folder instead of taking the whole RAM.
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute(f"SET temp_directory = '{out.parent / (out.name + '.spill')}'")
        con.execute(
            "CREATE TEMP TABLE bp AS SELECT p.code AS province_code, y.range::INTEGER AS year, "
            "'B-' || p.code || '-' || y.range AS plan_id FROM ref.province p, "
            f"range({FIRST_YEAR}, {FIRST_YEAR + YEARS}) y WHERE p.vintage = '63'")
        con.execute(
            "INSERT INTO mart.plan (plan_id, number, issued_on, year, vintage, province_code, "
            "province_name, agency, agency_current, is_demo) SELECT plan_id, 'B/' || year, "
            "make_date(year, 3, 1), year, '63', province_code, 'bench', 'bench', 'bench', true "
            "FROM bp")
        seq0 = 1_000_000
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):  # one year at a time: bounded temp tables
            con.execute(
                "CREATE OR REPLACE TEMP TABLE ba AS SELECT bp.plan_id || '-U' || u.range || '-A' "
                "|| k.range AS action_id, bp.plan_id, bp.province_code, bp.year, "
                f"(u.range * {ACTIONS} + k.range + 1)::INTEGER AS seq, "
                "'D' || (1 + (k.range % 8)) AS dimension_code, 'Đơn vị ' || u.range AS unit, "
                "k.range AS k FROM bp, "
                f"range({UNITS * factor}) u, range({ACTIONS}) k WHERE bp.year = {year}")
            con.execute(
                "INSERT INTO mart.action (action_id, plan_id, seq, dimension_code, text, "
                "lead_units, coordinating_units, due_on, is_ongoing, lead_units_current) SELECT "
                "action_id, plan_id, seq, dimension_code, 'Nhiệm vụ minh họa ' || seq, [unit], "
                "[]::VARCHAR[], make_date(year, 12, 31), false, [unit] FROM ba")
            con.execute(
                "INSERT INTO mart.action_status (action_id, year, period, status_code, "
                "percent_done, result, notes, reported_on, source_file, sheet, row_number, "
                "loaded_seq, is_latest) SELECT action_id, year, period, status_code, "
                "CASE WHEN status_code LIKE 'done%' THEN 100 ELSE 50 END, 'kết quả', NULL, "
                "make_date(year, 6 + 6 * r, 20), 'bench', 'bench', seq, "
                f"(row_number() OVER ())::INTEGER + {seq0}, true FROM ("
                "SELECT ba.*, r.range AS r, CASE WHEN r.range = 0 THEN 'H1' ELSE 'FY' END AS "
                "period, CASE (hash(action_id, r.range) % 4) WHEN 0 THEN 'done_on_time' "
                "WHEN 1 THEN 'done_late' WHEN 2 THEN 'in_progress' ELSE 'overdue' END AS "
                f"status_code FROM ba, range({REPORTS}) r)")
            seq0 += volume(factor)["status_rows"] // YEARS
        # the progress marts and current standing exactly as the plans step derives them
        # (each synthetic report is the only one of its action and period, written with
        # is_latest already true: the plans step's UPDATE marking the latest is not needed)
        tables.derive(con, as_of())
        con.execute("SET preserve_insertion_order = true")  # the mart is stored sorted
        # the tracker's rows by province, as the ETL writes them (a province at a time: at 100×
        # the whole history's latest-report aggregate does not fit in the memory limit)
        task_view_step.write(con, by_province=factor >= 100)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return out


PAGE = 50  # dashboard.task_table.PAGE_SIZE
QUERIES = {  # the data calls the task page (default filters) and the dimensions page make
    "actions(province, limit=50)": lambda d, v: d.actions(v[0], limit=PAGE),
    "actions(province, year, limit=50)": lambda d, v: d.actions(v[0], v[1], limit=PAGE),
    "action_summary(province)": lambda d, v: d.action_summary(v[0]),
    "action_units + action_report_years": lambda d, v: (d.action_units(v[0]),
                                                        d.action_report_years(v[0])),
    "action_status_by_year(province, D1)": lambda d, v: d.action_status_by_year(v[0], "D1"),
    "unit_progress(province)": lambda d, v: d.unit_progress(v[0]),
    "dimension_progress(province)": lambda d, v: d.dimension_progress(v[0]),
}


def _rows_out(df) -> int:
    if isinstance(df, tuple):
        return sum(len(x) for x in df)
    return len(df) if hasattr(df, "__len__") else 1


def page_rows(n: int, db: Path, f: int, view: tuple[str, int]) -> dict[str, tuple]:
    """The real task page (AppTest) on the scaled warehouse: first view, rerun, interactions."""
    from pages import open_page, using_db

    from dashboard import data, figcache

    out = {}
    with using_db(db):
        at = open_page("tasks", view[0], view[1])

        def cold() -> None:
            data.clear_cache()
            figcache.clear()
        out["tasks page: first view (data cache empty)"] = timed(at.run, n, setup=cold)
        out["tasks page: warm rerun"] = timed(at.run, n)

        def reset_status() -> None:
            at.selectbox(key="status").set_value(ALL).run()
            data.clear_cache()
        out["tasks page: filter status → overdue"] = timed(
            lambda: at.selectbox(key="status").set_value("overdue").run(), n, setup=reset_status)
        at.selectbox(key="status").set_value(ALL).run()

        def first_page() -> None:
            at.number_input(key="tasks_page").set_value(1).run()
            data.clear_cache()
        out["tasks page: next table page"] = timed(
            lambda: at.number_input(key="tasks_page").set_value(2).run(), n, setup=first_page)
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
    return out


ALL = "__all__"  # dashboard.task_table.ALL


def run(n: int, demo: Path, work: Path, factors: list[int]) -> tuple[list[Row], Path | None]:
    """Rows per query and factor, the slope per 10×, and the largest warehouse (for memory)."""
    import math
    import time

    from pages import raw_queries, recording

    from dashboard import data

    rows: list[Row] = []
    times: dict[str, dict[int, float]] = {}
    largest = None
    view = ("01", FIRST_YEAR + YEARS - 1)
    for f in factors:
        db = work / f"scale_{f}x.duckdb"
        vol = volume(f)
        print(f"  scale {f}×: writing {vol['status_rows']:,} status rows", flush=True)
        t0 = time.perf_counter()
        try:
            make_db(demo, db, f)
        except Exception as exc:  # noqa: BLE001 - keep the smaller factors' figures and warehouse
            db.unlink(missing_ok=True)
            rows.append(Row(SECTION, f"{f}× volume", None, note=f"could not be written: "
                            f"{type(exc).__name__}: {str(exc).splitlines()[0]}"))
            print(f"  scale {f}×: could not be written: {exc}", flush=True)
            break
        gen = time.perf_counter() - t0
        if largest is not None:
            largest.unlink(missing_ok=True)
        largest = db
        size = f"{vol['actions']:,} actions, {vol['status_rows']:,} reports (written in {gen:.0f} s)"
        for label, q in QUERIES.items():
            data.clear_cache()
            with recording() as seen:
                out = q_call(q, data, db, view)
            med, runs = timed(lambda q=q, db=db: q_call(q, data, db, view), n, setup=data.clear_cache)
            floor, fruns = timed(lambda s=list(seen), db=db: raw_queries(db, s), n)
            times.setdefault(label, {})[f] = med
            target, ok = judge(med, floor, max_s=0.150)
            rows.append(Row(SECTION, f"{f}× {label}", med, floor, target, ok,
                            f"{_rows_out(out):,} rows out; {size}", runs=runs, floor_runs=fruns))
            print(f"    {label}: {med * 1000:.0f} ms (floor {floor * 1000:.0f} ms)", flush=True)
        print(f"  scale {f}×: the task page (AppTest)", flush=True)
        for label, (med, runs) in page_rows(n, db, f, view).items():
            times.setdefault(label, {})[f] = med
            target, ok = judge(med, None, max_s=0.150)
            rows.append(Row(SECTION, f"{f}× {label}", med, None, target, ok,
                            f"dashboard/app.py via AppTest, province {view[0]}; {size}",
                            runs=runs))
            print(f"    {label}: {med * 1000:.0f} ms", flush=True)
    for label, by_f in times.items():
        fs = sorted(by_f)
        for a, b in zip(fs, fs[1:], strict=False):
            slope = (by_f[b] / by_f[a]) ** (1 / max(1e-9, math.log10(b / a)))
            rows.append(Row(SECTION, f"slope {a}×→{b}× {label}", slope, None, "≤×2 per 10×",
                            slope <= 2.0, "time ratio per 10× data (1 = flat, 10 = linear)",
                            unit="x"))
    return rows, largest


def q_call(q, data, db: Path, view: tuple[str, int]):
    return q(_Bound(data, db), view)


class _Bound:
    """data.* with path= bound to one warehouse."""

    def __init__(self, data, db: Path) -> None:
        self._data, self._db = data, db

    def __getattr__(self, name: str):
        fn = getattr(self._data, name)
        return lambda *a, **k: fn(*a, path=self._db, **k)
