"""Section 1: the warehouse build from the real files of ../shared, total and per reader.

Floors: python-calamine reading the workbooks, DuckDB read_csv reading the tidy CSV."""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import Row, judge, skipped, timed

SECTION = "1 build"


def _openpyxl_floor(path: Path) -> int:
    """openpyxl alone reading every cell of every sheet (read_only, values_only)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        n = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                n += len(row)
        return n
    finally:
        wb.close()


def _calamine_floor(path: Path) -> int:
    """python-calamine alone reading every cell of every sheet (the fastest reader)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    try:
        return sum(len(r) for name in wb.sheet_names
                   for r in wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
    finally:
        wb.close()


def _duckdb_csv_floor(path: Path) -> int:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
        return con.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        con.close()


def run(n: int, out_dir: Path) -> tuple[list[Row], Path | None]:
    """Rows for section 1 and the built real warehouse (None when ../shared is absent)."""
    from etl.paths import shared_dir
    from etl.readers import tidy_csv, workbook
    from etl.steps import discover
    from etl.steps.warehouse import build

    shared = shared_dir()
    if shared is None:
        return [skipped(SECTION, "warehouse build", "../shared is absent (set PAPI_SHARED_DIR)")], None
    papi = shared / "papi"
    files = discover.input_files([papi])
    books = [p for p in files if p.suffix.lower() in (".xlsx", ".xlsm")]
    csvs = [p for p in files if p.suffix.lower() == ".csv" and tidy_csv.looks_like(p)]
    rows: list[Row] = []

    per_reader: list[tuple[str, float, float, list[float], list[float]]] = []
    for p in books:
        print(f"  reader: workbook {p.name}", flush=True)
        med, runs = timed(lambda p=p: workbook.read(p), n)
        fmed, fruns = timed(lambda p=p: _calamine_floor(p), n)
        per_reader.append((f"workbook reader: {p.name}", med, fmed, runs, fruns))
        omed, oruns = timed(lambda p=p: _openpyxl_floor(p), n)
        rows.append(Row(SECTION, f"openpyxl alone: {p.name}", omed, fmed, "—", None,
                        "the previous reader's floor, for comparison (floor: calamine)",
                        runs=oruns, floor_runs=fruns))
    for p in csvs:
        print(f"  reader: tidy CSV {p.name}", flush=True)
        med, runs = timed(lambda p=p: tidy_csv.read(p), n)
        fmed, fruns = timed(lambda p=p: _duckdb_csv_floor(p), n)
        per_reader.append((f"tidy CSV reader: {p.name}", med, fmed, runs, fruns))
    for name, med, fmed, runs, fruns in per_reader:
        target, ok = judge(med, fmed, max_ratio=3.0)
        rows.append(Row(SECTION, name, med, fmed, target, ok, "floor: python-calamine alone"
                        if "workbook" in name else "floor: DuckDB read_csv", runs=runs,
                        floor_runs=fruns))

    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "real.duckdb"
    print(f"  build: {len(files)} files in {papi}", flush=True)
    with _step_times() as steps:
        med, runs = timed(lambda: build([papi], db, progress=False), n)
    floor = sum(r[2] for r in per_reader)
    target, ok = judge(med, floor, max_s=1.0, max_ratio=3.0)
    rows.insert(0, Row(SECTION, "warehouse build (total)", med, floor, target, ok,
                       f"{len(books)} workbooks + {len(csvs)} CSV; floor = sum of reader floors",
                       runs=runs))
    for i, (name, times) in enumerate(steps.items(), start=1):
        rows.insert(i, Row(SECTION, f"  build step: {name}", statistics.median(times), None, "—",
                           None, "the same builds, time spent in this step (where the total goes)",
                           runs=times))
    return rows, db


@contextmanager
def _step_times() -> Iterator[dict[str, list[float]]]:
    """Times of each step of the builds run inside (etl.steps.warehouse._run_step, wrapped)."""
    from etl.steps import warehouse

    times: dict[str, list[float]] = {}
    real = warehouse._run_step

    def run_step(ctx, name, step):  # noqa: ANN001, ANN202 - same signature as the real one
        t0 = time.perf_counter()
        try:
            return real(ctx, name, step)
        finally:
            times.setdefault(name, []).append(time.perf_counter() - t0)

    warehouse._run_step = run_step
    try:
        yield times
    finally:
        warehouse._run_step = real


def profile_build(top: int = 25) -> str:
    """cProfile of one build of ../shared (text, cumulative and own time), after an untimed
    build in the same process: imports and first-use caches are not what a rebuild costs."""
    import cProfile
    import io
    import pstats

    from etl.paths import shared_dir
    from etl.steps.warehouse import build

    shared = shared_dir()
    if shared is None:
        return "../shared is absent"
    with tempfile.TemporaryDirectory() as tmp:
        build([shared / "papi"], Path(tmp) / "p.duckdb", progress=False)
        prof = cProfile.Profile()
        prof.enable()
        build([shared / "papi"], Path(tmp) / "p.duckdb", progress=False)
        prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()
