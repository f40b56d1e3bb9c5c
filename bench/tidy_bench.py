"""Section 7: a 2-million-row tidy CSV (bench/tidy_big.py) built into a warehouse.

Time: the whole build of a folder holding only that file, beside DuckDB's read_csv of the file
into a table (the floor). Memory: peak RSS of a child running the build, beside a child running
the floor. Row counts: on a 100,000-row sample, the DuckDB path and the in-memory reader
(tidy_csv.read_small) give the same marts and read the same number of rows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import Row, judge, timed

SECTION = "7 large csv"
ROWS = 2_000_000
SAMPLE = 100_000


def _sample_check(work: Path) -> Row:
    """The DuckDB path against the in-memory reader on a sample: marts and row counts."""
    import tidy_big

    from etl.readers import tidy_csv
    from etl.steps.warehouse import build
    from tests.warehouse_query import q

    folder = work / "sample"
    folder.mkdir(parents=True, exist_ok=True)
    written = tidy_big.write(folder / "sample.csv", SAMPLE)
    saved = tidy_csv.LARGE
    try:
        tidy_csv.LARGE = 10**15
        small = build([folder], work / "sample_small.duckdb", progress=False)
        tidy_csv.LARGE = 0
        fast = build([folder], work / "sample_fast.duckdb", progress=False)
    finally:
        tidy_csv.LARGE = saved
    marts = all(q(small, f"SELECT * FROM {t} ORDER BY ALL") == q(fast, f"SELECT * FROM {t} "  # noqa: S608
                                                                "ORDER BY ALL")
                for t in ("mart.score", "mart.province_year", "mart.national"))
    small_rows = q(small, "SELECT rows FROM meta.source_file")[0][0]
    info = q(fast, "SELECT found FROM meta.problem WHERE message LIKE '%repeat an earlier row%'")
    fast_rows = int(info[0][0].split(" rows")[0].replace(",", "")) if info else None
    ok = marts and small_rows == written == fast_rows
    return Row(SECTION, f"rows read vs the in-memory reader ({written:,}-row sample)",
               None, target="equal", meets=ok,
               note=f"in-memory {small_rows:,} rows, DuckDB path {fast_rows:,} rows "
                    f"({'same marts' if marts else 'MARTS DIFFER'})")


def run(n: int, work: Path) -> list[Row]:
    import memory
    import tidy_big
    from etl_bench import _duckdb_csv_floor

    from etl.steps.warehouse import build

    work.mkdir(parents=True, exist_ok=True)
    folder = work / "big"
    folder.mkdir(exist_ok=True)
    path = folder / "by_commune.csv"
    print(f"  large csv: writing {ROWS:,} rows", flush=True)
    written = tidy_big.write(path, ROWS)
    size = f"{written:,} rows, {path.stat().st_size / 1e6:.0f} MB"
    print("  large csv: floor (DuckDB read_csv) and build", flush=True)
    floor, fruns = timed(lambda: _duckdb_csv_floor(path), n)
    med, runs = timed(lambda: build([folder], work / "big.duckdb", progress=False), n)
    target, ok = judge(med, floor, max_s=20.0)
    rows = [Row(SECTION, "build of a large tidy CSV", med, floor, target, ok,
                f"{size}; floor = DuckDB read_csv into a table", runs=runs, floor_runs=fruns)]
    print("  large csv: peak memory (children)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        mb = memory._measure(["etl", str(folder), str(Path(tmp) / "m.duckdb")])
    floor_mb = memory._measure(["duckdb_csv", str(path)])
    rows.append(Row(SECTION, "build of a large tidy CSV: peak RSS", mb, floor_mb, "≤1024 MB",
                    mb <= 1024, "child VmHWM; floor = a child running DuckDB read_csv alone",
                    unit="MB"))
    print("  large csv: sample against the in-memory reader", flush=True)
    rows.append(_sample_check(work))
    return rows
