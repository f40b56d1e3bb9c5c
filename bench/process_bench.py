"""Section 0: what a user waits for, whole processes in fresh interpreters.

`papi etl` on the real files against a whole-process floor (bench/process_floor.py: calamine reads
the same workbooks, DuckDB loads the same CSVs), with PYTHONDONTWRITEBYTECODE as the environment
sets it, toggled, and with no bytecode cache at all; `papi --help` against an interpreter that
only imports argparse; `papi briefing` refusing a year. Figure and floor runs alternate (same
load for both); one untimed run of each first (the file cache)."""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import PROJECT_ROOT, Row, judge, skipped

SECTION = "0 process"
FLAG = "PYTHONDONTWRITEBYTECODE"


def papi_command() -> list[str]:
    """The `papi` console script of this environment (as a user runs it), else `python -m papi.cli`."""
    exe = Path(sys.executable).with_name("papi")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "papi.cli"]


def _once(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=600)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}…: exit {proc.returncode}: {proc.stderr[-800:]}")
    return took


def paired(n: int, figure: list[str], floor: list[str], env: dict[str, str]
           ) -> tuple[list[float], list[float]]:
    """(figure runs, floor runs): one untimed run of each, then n of each, alternating."""
    _once(floor, env)
    _once(figure, env)
    fig_runs, floor_runs = [], []
    for _ in range(max(1, n)):
        floor_runs.append(_once(floor, env))
        fig_runs.append(_once(figure, env))
    return fig_runs, floor_runs


def bytecode_note() -> str:
    """Whether setup compiled the project's and the environment's bytecode (scripts/setup-python.sh)."""
    import duckdb

    own = [p for pkg in ("etl", "dashboard", "papi") for p in (PROJECT_ROOT / pkg).rglob("*.py")]
    fresh = sum(Path(importlib.util.cache_from_source(str(p))).exists() for p in own)
    dep = Path(importlib.util.cache_from_source(duckdb.__file__)).exists()
    return f"bytecode caches: project {fresh}/{len(own)}, environment {'yes' if dep else 'NO'}"


def _wrong_year(n: int, papi: list[str], demo: Path, out_dir: Path, env: dict[str, str]) -> Row:
    """`papi briefing` with a year the warehouse does not hold: refused (exit 2) before the deck's
    modules load."""
    cmd = [*papi, "briefing", "--province", "01", "--year", "1990", "--db", str(demo),
           "--out", str(out_dir / "never.pptx")]
    runs = []
    for _ in range(max(1, n) + 1):  # the first is untimed
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        runs.append(time.perf_counter() - t0)
        if proc.returncode != 2 or "1990" not in proc.stderr:
            raise RuntimeError(f"papi briefing --year 1990: exit {proc.returncode}: {proc.stderr[-800:]}")
    med = statistics.median(runs[1:])
    target, ok = judge(med, None, max_s=1.0)
    return Row(SECTION, "papi briefing, year not in the warehouse (whole process, refused)", med,
               None, target, ok, "demo warehouse; exit 2 with the years available", runs=runs[1:])


def _env(flag: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != FLAG}
    if flag:
        env[FLAG] = "1"
    return env


# A whole `papi etl` takes ≈ 0.7 s and moves by ±10 % with the machine's load: three pairs let
# one busy second decide the median (0.835/0.768/0.809 s against 0.741/0.729/0.763 s for the
# same code in one run), seven do not. ≈ 20 s more for the section.
ETL_PAIRS = 7


def run(n: int, out_dir: Path, demo: Path | None = None) -> list[Row]:
    """Rows of section 0 (the `papi etl` rows are skipped when ../shared is absent)."""
    from etl.paths import shared_dir
    from etl.readers import tidy_csv
    from etl.steps import discover

    rows: list[Row] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    papi = papi_command()
    as_set = bool(os.environ.get(FLAG))
    print(f"  {bytecode_note()}; {FLAG} {'set' if as_set else 'unset'} here", flush=True)

    help_runs, bare_runs = paired(n, [*papi, "--help"], [sys.executable, "-c", "import argparse"],
                                  _env(as_set))
    med, floor = statistics.median(help_runs), statistics.median(bare_runs)
    target, ok = judge(med, floor, max_s=0.3)
    rows.append(Row(SECTION, "papi --help (whole process)", med, floor, target, ok,
                    "floor: python -c 'import argparse'", runs=help_runs, floor_runs=bare_runs))
    if demo is not None:
        rows.append(_wrong_year(n, papi, demo, out_dir, _env(as_set)))

    shared = shared_dir()
    if shared is None:
        rows.append(skipped(SECTION, "papi etl (whole process)", "../shared is absent (set PAPI_SHARED_DIR)"))
        return rows
    files = discover.input_files([shared / "papi"])
    read = [str(p) for p in files if p.suffix.lower() in (".xlsx", ".xlsm")
            or (p.suffix.lower() == ".csv" and tidy_csv.looks_like(p))]
    etl = [*papi, "etl", "--input", str(shared / "papi"), "--db", str(out_dir / "papi.duckdb"),
           "--quiet"]
    floor_cmd = [sys.executable, str(Path(__file__).with_name("process_floor.py")), *read]
    nocache = out_dir / "empty-pycache"  # no bytecode anywhere, none written: as before setup compiled it
    nocache.mkdir(exist_ok=True)
    variants = [(f"{FLAG}={'1' if f else 'unset'}", _env(f),
                 "as this environment sets it" if f == as_set else "toggled") for f in (as_set, not as_set)]
    variants.append(("no bytecode caches", {**_env(True), "PYTHONPYCACHEPREFIX": str(nocache)},
                     f"PYTHONPYCACHEPREFIX=<empty folder> and {FLAG}=1: every import compiled, as "
                     "before setup compiled the caches"))
    for label, env, why in variants:
        print(f"  papi etl, {label}", flush=True)
        runs, floor_runs = paired(max(n, ETL_PAIRS), etl, floor_cmd, env)
        med, floor = statistics.median(runs), statistics.median(floor_runs)
        target, ok = judge(med, floor, max_s=1.5, max_ratio=3.0)
        rows.append(Row(SECTION, f"papi etl, real files, whole process ({label})", med, floor,
                        target, ok, f"{why}; floor: calamine + DuckDB read_csv in a fresh process "
                        f"({len(read)} files), same environment", runs=runs, floor_runs=floor_runs))
    rows[-3].note += f"; {bytecode_note()}"
    return rows
