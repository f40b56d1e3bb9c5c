"""`papi --help`, every subcommand's --help and briefing's argument errors load no heavy module;
setup compiles the bytecode every `papi` run would otherwise compile again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what a --help must never load: the data stack, the charts, the app, the workbook writers
HEAVY = {"pandas", "numpy", "openpyxl", "plotly", "duckdb", "streamlit", "kaleido", "pptx", "docx",
         "pdfplumber", "python_calamine", "reportlab"}
HELPS = [[], ["etl"], ["demo"], ["plan"], ["plan", "parse"], ["template"], ["briefing"]]


def run_papi(args: list[str]) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `python -X importtime -m papi.cli ARGS` in a fresh interpreter; (result, modules loaded)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "papi.cli", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    loaded = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
              if line.startswith("import time:") and "|" in line}
    loaded.discard("package")  # the header line
    return proc, loaded


def heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if m.split(".")[0] in HEAVY)


def messages(proc: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(x for x in proc.stderr.splitlines() if not x.startswith("import time:"))


@pytest.mark.parametrize("args", HELPS, ids=lambda a: " ".join(a) or "papi")
def test_help_loads_no_heavy_module(args: list[str]) -> None:
    proc, loaded = run_papi([*args, "--help"])
    assert proc.returncode == 0, messages(proc)
    assert proc.stdout.startswith("usage: papi"), proc.stdout
    assert "argparse" in loaded  # the import log was read: an empty set would prove nothing
    assert heavy(loaded) == [], f"papi {' '.join(args)} --help imported {heavy(loaded)[:12]}"


def test_briefing_unknown_province_answered_before_anything_heavy(tmp_path: Path) -> None:
    proc, loaded = run_papi(["briefing", "--province", "Atlantis", "--year", "2024",
                             "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x.pptx")])
    assert proc.returncode == 2
    err = messages(proc)
    assert "'Atlantis'" in err and "không tìm thấy tỉnh" in err
    assert err.index("không tìm thấy tỉnh") < err.index("unknown province")  # Vietnamese first
    assert heavy(loaded) == [] and not (tmp_path / "x.pptx").exists()


def test_briefing_year_not_in_warehouse_lists_the_years(demo_db: Path, tmp_path: Path) -> None:
    from dashboard import data

    years = data.view_years(demo_db)
    missing = min(years) - 5
    proc, loaded = run_papi(["briefing", "--province", "01", "--year", str(missing),
                             "--db", str(demo_db), "--out", str(tmp_path / "x.pptx")])
    assert proc.returncode == 2
    err = messages(proc)
    vi, en = f"năm {missing} không có trong kho dữ liệu", f"year {missing} is not in the warehouse"
    assert vi in err and en in err and err.index(vi) < err.index(en)
    assert f"các năm có: {min(years)}–{max(years)}" in err  # the demo's years run without a gap
    # one DuckDB query is allowed; the deck's stack is not
    assert [m for m in heavy(loaded) if m.split(".")[0] != "duckdb"] == []
    assert not (tmp_path / "x.pptx").exists()


def test_briefing_missing_warehouse_answered_early(tmp_path: Path) -> None:
    proc, loaded = run_papi(["briefing", "--province", "01", "--year", "2024",
                             "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x.pptx")])
    assert proc.returncode == 2
    assert "không có kho dữ liệu" in messages(proc) and heavy(loaded) == []


def test_early_years_equal_the_dashboards(demo_db: Path, tmp_path: Path) -> None:
    """The CLI's own years query and dashboard.data.view_years say the same, with and without plans."""
    import duckdb

    from dashboard import data
    from etl.warehouse_years import warehouse_years

    assert warehouse_years(demo_db) == data.view_years(demo_db)
    bare = tmp_path / "scores_only.duckdb"
    with duckdb.connect(str(bare)) as con:
        con.execute("CREATE SCHEMA mart")
        con.execute("CREATE TABLE mart.province_year AS SELECT * FROM range(2015, 2018) t(year)")
    assert warehouse_years(bare) == [2015, 2016, 2017]
    assert warehouse_years(tmp_path / "none.duckdb") is None


@pytest.mark.parametrize(("years", "text"), [([2011, 2012, 2013], "2011–2013"), ([2011], "2011"),
                                             ([2011, 2013, 2014, 2016], "2011, 2013–2014, 2016"),
                                             ([], "")])
def test_year_spans(years: list[int], text: str) -> None:
    from dashboard.export.cli import year_spans

    assert year_spans(years) == text


def test_setup_compiles_the_bytecode() -> None:
    """PYTHONDONTWRITEBYTECODE (set on many machines) would make every run compile its imports."""
    script = (ROOT / "scripts" / "setup-python.sh").read_text(encoding="utf-8")
    syncs = [line for line in script.splitlines() if line.strip().startswith("uv sync")]
    assert syncs and all("--compile-bytecode" in line for line in syncs)
    compile_line = next(line for line in script.splitlines()
                        if "-m compileall" in line and not line.lstrip().startswith("#"))
    assert all(pkg in compile_line.split() for pkg in ("etl", "dashboard", "papi"))


def test_etl_of_score_files_loads_no_plan_or_workbook_writer(tmp_path: Path) -> None:
    """`papi etl` on a score workbook and a tidy CSV (and a CSV that is neither, as the real
    folder has) loads neither openpyxl nor the plan readers: calamine and DuckDB read them.
    Nor pandas or pyarrow: the build's tables are written from Python rows and numpy columns."""
    from tests.reliability import corpus

    inputs = tmp_path / "in"
    corpus.columns_workbook(inputs / "scores_2022.xlsx")
    corpus.good_csv(inputs, "tidy_2021.csv", year=2021)
    (inputs / "notes.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    proc, loaded = run_papi(["etl", "--input", str(inputs), "--db", str(tmp_path / "w.duckdb"),
                             "--quiet"])
    assert proc.returncode == 0, messages(proc)
    assert {"etl.readers.workbook", "etl.steps.plan_step", "python_calamine"} <= loaded
    never = sorted(m for m in loaded if m.split(".")[0] in ("openpyxl", "docx", "pdfplumber",
                                                             "pandas", "pyarrow"))
    assert never == [], f"papi etl imported {never[:12]}"


@pytest.mark.parametrize(("args", "code"), [(["etl", "--input", "{tmp}/missing", "--db",
                                               "{tmp}/papi.duckdb"], 2),
                                              (["demo", "--db", "{tmp}/demo.duckdb"], 0)])
def test_the_console_script_exits_with_the_command_s_code_output_and_handlers_done(
        tmp_path: Path, args: list[str], code: int) -> None:
    """`papi` (papi.cli:run) ends without tearing down its modules: the exit code is still the
    command's, everything printed reaches the pipe, and the exit handlers still run."""
    argv = ["papi", *(a.replace("{tmp}", str(tmp_path)) for a in args)]
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print('exit handlers ran'))\n"
              f"sys.argv = {argv!r}\n"
              "from papi.cli import run\n"
              "run()\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe: buffered
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**env, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == code, proc.stderr[-2000:]
    assert proc.stdout.rstrip().endswith("exit handlers ran")
    if code:
        assert "input folder not found" in proc.stderr
    else:
        assert str(tmp_path / "demo.duckdb") in proc.stdout  # the last progress line, flushed
