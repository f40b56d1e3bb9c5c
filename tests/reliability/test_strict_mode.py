"""Strict mode lists every problem at once, the CLI exits non-zero, --keep-going loads the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import corpus as C
import duckdb
import pytest
from conftest import sha256

from etl.problems import InputError
from etl.steps.warehouse import build

ROOT = Path(__file__).resolve().parents[2]


def test_three_errors_in_one_file_are_three_problems(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.three_errors_csv(tmp_path / "in")
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    got = sorted((p.cell, p.message, p.found) for p in err.value.problems)
    assert got == [
        ("row 12", "unknown province", "99"),
        ("row 2, column score", "score outside the scale of D1.1 in 2022", "9.9"),
        ("row 7, column score", "text in a number cell", "n.a.x"),
    ]
    assert {Path(p.file).name for p in err.value.problems} == {"three_errors.csv"}
    assert sha256(db) == before


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_strict_exits_2_lists_all_and_keeps_db(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    inp = tmp_path / "in"
    C.three_errors_csv(inp)
    C.text_cell_workbook(inp)
    C.good_csv(inp, "good_2022.csv", year=2021)
    r = _cli("etl", "--input", str(inp), "--db", str(db), "--quiet")
    assert r.returncode == 2, r.stderr
    assert "4 vấn đề" in r.stderr and "The warehouse was NOT changed" in r.stderr
    for needle in ("three_errors.csv › row 2, column score", "three_errors.csv › row 7, column score",
                   "three_errors.csv › row 12", "text_cell.xlsx › 2022 › C5"):
        assert needle in r.stderr
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [f".{db.name}.lock", db.name]


def test_cli_keep_going_loads_valid_files_and_records_rejects(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    inp = tmp_path / "in"
    C.three_errors_csv(inp)
    C.truncated_workbook(inp)
    C.good_csv(inp, "good_2021.csv", year=2021)
    r = _cli("etl", "--input", str(inp), "--db", str(db), "--quiet", "--keep-going")
    assert r.returncode == 0, r.stderr
    assert sha256(db) != before
    con = duckdb.connect(str(db), read_only=True)
    try:
        files = con.execute("SELECT regexp_extract(path, '[^/]+$'), status, rows FROM "
                            "meta.source_file ORDER BY 1").fetchall()
        errors = con.execute("SELECT regexp_extract(file, '[^/]+$'), cell FROM meta.problem WHERE "
                             "severity = 'error' ORDER BY 1, 2").fetchall()
        years = con.execute("SELECT DISTINCT year FROM mart.score").fetchall()
        mode = con.execute("SELECT mode FROM meta.build").fetchone()
    finally:
        con.close()
    assert files == [("good_2021.csv", "loaded", 1764), ("three_errors.csv", "refused", 0),
                     ("truncated.xlsx", "refused", 0)]
    assert errors == [("three_errors.csv", "row 12"), ("three_errors.csv", "row 2, column score"),
                      ("three_errors.csv", "row 7, column score"), ("truncated.xlsx", None)]
    assert years == [(2021,)] and mode == ("keep-going",)
