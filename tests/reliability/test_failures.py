"""Issue 13: exceptions become messages. Damaged sheet XML, an oversized CSV field, a full disk,
no permission, a second concurrent build and a link out of the input folder: each has an exact
outcome, the previous warehouse stays byte-identical, and the CLI exits 2 (3 for the lock)."""

from __future__ import annotations

import errno
import re
import subprocess
import sys
import threading
from pathlib import Path

import corpus as C
import duckdb
import pytest
from conftest import sha256

from etl import cli
from etl.problems import BuildFailed, BuildLocked, InputError
from etl.steps import scores_step, warehouse
from etl.steps.warehouse import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _in_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()


def _only_problem(tmp_path: Path, db: Path):
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    assert len(err.value.problems) == 1, [p.describe() for p in err.value.problems]
    return err.value.problems[0]


def test_damaged_sheet_xml_is_an_error_naming_the_sheet(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.damaged_sheet_workbook(tmp_path / "in")
    p = _only_problem(tmp_path, db)
    assert (Path(p.file).name, p.severity, p.sheet) == ("damaged_sheet.xlsx", "error", "2022")
    assert p.message == "damaged sheet: its XML cannot be read"
    assert re.fullmatch(r"xl/worksheets/sheet1\.xml line 1, column \d+", p.cell), p.cell
    assert p.found.startswith("ParseError: ") and "save it again" in p.action
    assert sha256(db) == before


def test_damaged_sheet_with_keep_going_loads_the_rest(tmp_path: Path) -> None:
    C.damaged_sheet_workbook(tmp_path / "in")
    C.good_csv(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False, keep_going=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        files = con.execute("SELECT regexp_extract(path, '[^/]+$'), status FROM meta.source_file "
                            "ORDER BY 1").fetchall()
        n = con.execute("SELECT count(value) FROM mart.score WHERE item_code = 'TOTAL'").fetchone()
    finally:
        con.close()
    assert files == [("damaged_sheet.xlsx", "refused"), ("good.csv", "loaded")]
    assert n == (63,)


def test_csv_field_over_limit_is_an_error_naming_row_and_column(tmp_path: Path,
                                                                previous_db) -> None:
    db, before = previous_db
    C.huge_field_csv(tmp_path / "in")
    p = _only_problem(tmp_path, db)
    assert (Path(p.file).name, p.severity, p.cell) == ("huge_field.csv", "error",
                                                        "row 3, column score")
    assert p.message == "a CSV field is longer than 131,072 characters"
    assert p.allowed == "at most 131,072 characters per field"
    assert sha256(db) == before


def test_unreadable_input_is_an_error(tmp_path: Path, previous_db, monkeypatch) -> None:
    db, before = previous_db
    C.good_csv(tmp_path / "in")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "good.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    p = _only_problem(tmp_path, db)
    assert (Path(p.file).name, p.message) == ("good.csv", "permission denied: the file cannot "
                                                          "be read")
    assert sha256(db) == before


@pytest.mark.parametrize("where", ["duckdb", "fsync"])
def test_disk_full_is_one_line_and_keeps_previous_db(where: str, tmp_path: Path, previous_db,
                                                     monkeypatch, capsys) -> None:
    db, before = previous_db
    C.good_csv(tmp_path / "in", bump=0.01)
    if where == "duckdb":  # what DuckDB raises when a write hits ENOSPC
        def full(*_a, **_k):
            raise duckdb.TransactionException(
                "TransactionContext Error: Failed to commit: could not write file "
                f"\"{db.parent}/.papi.duckdb.building\": No space left on device")
        monkeypatch.setattr(scores_step, "_store", full)
    else:
        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(warehouse.os, "fsync", full)
    with pytest.raises(BuildFailed) as err:
        build([tmp_path / "in"], db, progress=False)
    assert "\n" not in str(err.value) and str(err.value).startswith("Ổ đĩa đầy")
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [f".{db.name}.lock", db.name]
    rc = cli.main(["etl", "--input", str(tmp_path / "in"), "--db", str(db), "--quiet"])
    out = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(out) == 1 and "disk full" in out[0] and "Traceback" not in out[0]


def test_warehouse_folder_not_writable_is_one_line(tmp_path: Path, previous_db, monkeypatch,
                                                   capsys) -> None:
    db, before = previous_db
    C.good_csv(tmp_path / "in")
    real = warehouse.duckdb.connect

    class Denied:  # the build's file cannot be created: DuckDB's error when attaching it
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self._con = con

        def __getattr__(self, name: str):  # noqa: ANN204 - the connection's own
            return getattr(self._con, name)

        def execute(self, sql: str, *a, **k):  # noqa: ANN202 - the connection's own
            if sql.startswith("ATTACH") and ".building-" in sql:
                path = sql.split("'")[1]
                raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')
            return self._con.execute(sql, *a, **k)

    monkeypatch.setattr(warehouse.duckdb, "connect", lambda *a, **k: Denied(real(*a, **k)))
    rc = cli.main(["etl", "--input", str(tmp_path / "in"), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "no permission to write" in err[0]
    assert sha256(db) == before


def test_second_build_on_the_same_db_refuses_with_exit_3(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.good_csv(tmp_path / "in", bump=0.01)
    with warehouse.build_lock(db):  # a build holding the lock
        with pytest.raises(BuildLocked, match="another build is writing"):
            build([tmp_path / "in"], db, progress=False)
        proc = subprocess.run([sys.executable, "-m", "etl.cli", "etl", "--input",
                               str(tmp_path / "in"), "--db", str(db), "--quiet"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert sha256(db) == before
    assert proc.returncode == 3, proc.stderr
    assert f"process {__import__('os').getpid()} since" in proc.stderr
    build([tmp_path / "in"], db, progress=False)  # the lock is free again
    assert sha256(db) != before


def test_build_in_progress_blocks_a_second_build(tmp_path: Path, previous_db,
                                                 monkeypatch) -> None:
    """Build 1 is inside its scores step; build 2 on the same db refuses; build 1 then wins."""
    db, before = previous_db
    C.good_csv(tmp_path / "in", bump=0.01)
    inside, release = threading.Event(), threading.Event()
    real = scores_step.run

    def slow(ctx, **kw):
        inside.set()
        assert release.wait(60)
        real(ctx, **kw)

    monkeypatch.setattr(warehouse.scores_step, "run", slow)
    results: list[str] = []
    first = threading.Thread(target=lambda: results.append(str(build([tmp_path / "in"], db,
                                                                     progress=False))))
    first.start()
    assert inside.wait(60)
    with pytest.raises(BuildLocked):
        build([tmp_path / "in"], db, progress=False)
    assert sha256(db) == before
    release.set()
    first.join(60)
    assert results == [str(db)] and sha256(db) != before


def test_step_crash_names_the_file_it_was_reading(tmp_path: Path, previous_db,
                                                  monkeypatch) -> None:
    """An unexpected exception inside the plan step is an error naming the plan file."""
    from etl.plans import parse  # the plan step imports parse_plan from it when a plan is read

    db, before = previous_db
    C.good_csv(tmp_path / "in")
    plan = C.not_a_plan_txt(tmp_path / "in")

    def boom(path):
        raise RuntimeError("unexpected structure")

    monkeypatch.setattr(parse, "parse_plan", boom)
    p = _only_problem(tmp_path, db)
    assert (Path(p.file).name, p.message, p.found) == (
        plan.name, "the plans step failed (RuntimeError)", "unexpected structure")
    assert sha256(db) == before


def test_link_to_etc_passwd_is_not_read(tmp_path: Path) -> None:
    link = C.link_out_of_inputs(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    con = duckdb.connect(str(db), read_only=True)
    try:
        files = con.execute("SELECT regexp_extract(path, '[^/]+$'), kind, status, message "
                            "FROM meta.source_file ORDER BY 1").fetchall()
        problems = con.execute("SELECT severity, message FROM meta.problem").fetchall()
        dump = " ".join(str(r) for t in ("meta.problem", "meta.source_file")
                        for r in con.execute(f"SELECT * FROM {t}").fetchall())  # noqa: S608
    finally:
        con.close()
    assert ("ke_hoach.txt", "link", "skipped",
            "liên kết ra ngoài thư mục đầu vào: không đọc / symbolic link out of the input "
            "folders: not read") in files
    assert ("warning", "symbolic link pointing out of the input folders: not read") in problems
    assert "root:" not in dump and link.is_symlink()
