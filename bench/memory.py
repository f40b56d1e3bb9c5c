"""Section 6: peak memory (ru_maxrss / VmHWM) of a child process running the ETL or the data layer.

Run as a child: `python bench/memory.py etl <inputs> <db>` or `python bench/memory.py data <db>`;
it prints its own peak RSS in MB on the last line.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from common import BENCH_DIR, PROJECT_ROOT, Row, skipped
from processes import die_with_parent

SECTION = "6 memory"


def _peak_mb() -> float:
    """Peak RSS of this process's own address space.

    ru_maxrss survives fork + exec on Linux (the kernel carries the parent's high-water mark
    into the child), so a child of a bench that has itself grown big would report the bench's
    peak. VmHWM in /proc/self/status is per address space and starts afresh at exec; it is used
    when present, ru_maxrss otherwise.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(argv: list[str]) -> None:
    if argv[0] == "etl":
        from etl.steps.warehouse import build

        build([Path(argv[1])], Path(argv[2]), progress=False)
    elif argv[0] == "duckdb_csv":  # section 7's floor: DuckDB's read_csv alone, into a table
        import duckdb

        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [argv[1]])
        con.close()
    else:
        from scale import FIRST_YEAR, QUERIES, YEARS, q_call

        from dashboard import data

        db = Path(argv[1])
        for q in QUERIES.values():  # the task page's and dimensions page's data calls
            q_call(q, data, db, ("01", FIRST_YEAR + YEARS - 1))
    print(f"{_peak_mb():.1f}")


def _measure(args: list[str]) -> float:
    out = subprocess.run([sys.executable, str(BENCH_DIR / "memory.py"), *args], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, check=True,
                         preexec_fn=die_with_parent)  # never outlives the bench
    return float(out.stdout.strip().splitlines()[-1])


def run(largest: Path | None, label: str) -> list[Row]:
    from etl.paths import shared_dir

    rows: list[Row] = []
    shared = shared_dir()
    if shared is None:
        rows.append(skipped(SECTION, "ETL peak RSS", "../shared is absent"))
    else:
        print("  memory: ETL child", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            mb = _measure(["etl", str(shared / "papi"), str(Path(tmp) / "m.duckdb")])
        rows.append(Row(SECTION, "ETL build peak RSS", mb, note="child peak RSS (VmHWM), real files",
                        unit="MB"))
    if largest is None:
        rows.append(skipped(SECTION, "data layer peak RSS", "no scale warehouse"))
    else:
        print(f"  memory: data layer child on {largest.name}", flush=True)
        mb = _measure(["data", str(largest)])
        rows.append(Row(SECTION, f"data layer peak RSS ({label})", mb, None, "≤300 MB",
                        mb <= 300, "child peak RSS (VmHWM): the task page's data calls",
                        unit="MB"))
    return rows


if __name__ == "__main__":
    child(sys.argv[1:])
