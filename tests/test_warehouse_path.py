"""Issue 21, item 5: the warehouse path (`papi etl --db`). Refused, with one clear line
(Vietnamese, then English) and exit 2, when it names an input file, a folder, or a place inside
an input folder; nothing is overwritten. A symbolic link is resolved once: the real file is
replaced (the link stays a link) and the lock is the real file's."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from etl.cli import main
from etl.steps import warehouse
from tests.reliability import corpus as C
from tests.warehouse_query import q


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _etl(capsys, inputs: list[Path], db: Path) -> tuple[int, str]:
    argv = ["etl", "--quiet", "--db", str(db)]
    for i in inputs:
        argv += ["--input", str(i)]
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.fixture
def inp(tmp_path: Path) -> Path:
    C.good_csv(tmp_path / "in")
    return tmp_path / "in"


def _one_line_refusal(err: str, vi: str, en: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("LỖI / ERROR: ")
    assert vi in lines[0] and en in lines[0] and lines[0].index(vi) < lines[0].index(en)


def test_db_naming_an_input_file_is_refused_and_the_file_kept(tmp_path, inp, capsys) -> None:
    csv = inp / "good.csv"
    before = _digest(csv)
    code, err = _etl(capsys, [csv], csv)
    assert code == 2
    _one_line_refusal(err, "là một tệp đầu vào", "is an input file")
    assert _digest(csv) == before
    assert sorted(p.name for p in inp.iterdir()) == ["good.csv"]


def test_db_naming_a_folder_is_refused_without_a_traceback(tmp_path, inp, capsys) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("giữ nguyên", encoding="utf-8")
    code, err = _etl(capsys, [inp], folder)
    assert code == 2
    _one_line_refusal(err, "là một thư mục", "is a folder")
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_db_inside_an_input_folder_is_refused(tmp_path, inp, capsys) -> None:
    code, err = _etl(capsys, [inp], inp / "sub" / "papi.duckdb")
    assert code == 2
    _one_line_refusal(err, "nằm trong thư mục đầu vào", "is inside the input folder")
    assert sorted(p.name for p in inp.iterdir()) == ["good.csv"]


def test_db_an_existing_file_that_is_not_a_warehouse_is_refused(tmp_path, inp, capsys) -> None:
    other = tmp_path / "report.docx"
    other.write_bytes(b"PK\x03\x04 not a warehouse")
    code, err = _etl(capsys, [inp], other)
    assert code == 2
    _one_line_refusal(err, "không phải kho dữ liệu DuckDB", "is not a DuckDB warehouse")
    assert other.read_bytes() == b"PK\x03\x04 not a warehouse"


def test_db_through_a_symlink_replaces_the_real_file_and_keeps_the_link(tmp_path, inp,
                                                                          capsys) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "papi.duckdb"
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    assert _etl(capsys, [inp], link)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert q(real, "SELECT count(*) FROM mart.score")[0][0] > 0
    assert not (tmp_path / ".link.duckdb.lock").exists()
    assert (real_dir / ".papi.duckdb.lock").exists()
    # a second build through the link while one holds the real file's lock: refused (exit 3)
    with warehouse.build_lock(real):
        code, err = _etl(capsys, [inp], link)
    assert code == 3 and "another build is writing" in err
    assert link.is_symlink()


def test_demo_db_naming_a_folder_is_refused_without_a_traceback(tmp_path, capsys) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["demo", "--quiet", "--db", str(folder)]) == 2
    _one_line_refusal(capsys.readouterr().err, "là một thư mục", "is a folder")
    assert list(folder.iterdir()) == []
