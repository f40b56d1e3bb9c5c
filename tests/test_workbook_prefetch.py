"""Issue 23: workbooks read ahead (etl.readers.prefetch) give exactly what reading them gives:
the same datasets, problems and refusals, raised at the same point; a file changed since is read
again. Where the build may fork, a child reads them whole (a child that fails leaves the reading
here); else a thread parses their sheets, and the reader never waits for a workbook the thread
has not started."""

from __future__ import annotations

import os
import select
import threading
import zipfile
from pathlib import Path

import pytest

from etl import cli as etl_cli
from etl.readers import bounds, prefetch, workbook
from etl.steps import forked
from tests.factories import columns_workbook
from tests.reliability.corpus import truncated_workbook
from tests.test_workbook_bounds import _bomb
from tests.warehouse_query import q


def _seen(result) -> tuple:
    """Everything a read gives, comparable."""
    return ([(d.file, d.sheet, d.year, d.layout, d.vintage, d.refused, list(d.observations))
             for d in result.datasets],
            result.skipped_sheets,
            [p.describe() for p in result.problems.items])


def _spy(monkeypatch, name: str) -> list[bool]:
    """Whether each call of prefetch.<name> handed a workbook read ahead, in order."""
    took: list[bool] = []
    real = getattr(prefetch, name)

    def spy(p):  # noqa: ANN001, ANN202
        got = real(p)
        took.append(got is not None)
        return got

    monkeypatch.setattr(prefetch, name, spy)
    return took


def _spy_take(monkeypatch) -> list[bool]:
    """The thread's sheets taken by each read (no read-ahead running; no child: _spy_whole)."""
    monkeypatch.setattr(prefetch, "_current", None)
    monkeypatch.setenv(forked.SWITCH, "0")
    return _spy(monkeypatch, "take")


def _spy_whole(monkeypatch) -> list[bool]:
    """The whole workbooks the child handed to each read (no child running)."""
    monkeypatch.setattr(prefetch, "_forked", None)
    monkeypatch.delenv(forked.SWITCH, raising=False)
    return _spy(monkeypatch, "read_whole")


def _read_both(path: Path, monkeypatch) -> tuple[tuple, tuple, list[bool]]:
    """(read now, read ahead, whether each read took a workbook read ahead)."""
    took = _spy_take(monkeypatch)
    bounds.cache_clear()
    now = _seen(workbook.read(path))
    bounds.cache_clear()
    prefetch.start([path])
    ahead = _seen(workbook.read(path))
    return now, ahead, took


DIM1 = "Chỉ số nội dung 1: Tham gia của người dân ở cấp cơ sở"
SUB11 = "1.1: Tri thức công dân"


def _book(tmp_path: Path, year: int = 2019, value: float = 5.1) -> Path:
    """A publisher-style sheet of 63 provinces: one withheld ('KCDL'), one a text cell."""
    return columns_workbook(tmp_path / f"diem_{year}.xlsx", year, {
        DIM1: [value] * 61 + ["KCDL", value], SUB11: [1.32] * 62 + ["một phẩy ba"]})


def _no_workbook_part(tmp_path: Path) -> Path:
    """A zip within the bounds that calamine cannot open (no workbook part)."""
    path = tmp_path / "thieu.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return path


@pytest.mark.parametrize("make", [_book, truncated_workbook, _no_workbook_part,
                                  lambda t: _bomb(t / "bom.xlsx", 80)],
                         ids=["scores", "damaged", "no-workbook-part", "bomb"])
def test_read_ahead_gives_what_reading_gives(tmp_path: Path, monkeypatch, make) -> None:
    now, ahead, took = _read_both(make(tmp_path), monkeypatch)
    assert took == [False, True]
    assert ahead == now
    assert now[0] or now[2]  # something was read or refused: the comparison is not empty


def test_read_ahead_of_the_real_workbooks(shared: Path, monkeypatch) -> None:
    for path in sorted((shared / "papi" / "official").glob("*.xls[xm]")):
        now, ahead, took = _read_both(path, monkeypatch)
        assert took == [False, True], path.name
        assert ahead == now, path.name
        assert sum(len(d[-1]) for d in now[0]) > 10_000, path.name


def test_a_workbook_changed_after_it_was_read_ahead_is_read_again(tmp_path: Path,
                                                                  monkeypatch) -> None:
    monkeypatch.setattr(prefetch, "_current", None)
    monkeypatch.setenv(forked.SWITCH, "0")
    path = _book(tmp_path)
    prefetch.start([path])
    ahead = prefetch._current
    with ahead.cond:
        assert ahead.cond.wait_for(lambda: path in ahead.done, timeout=30)
    _book(tmp_path, value=6.5)  # saved again meanwhile
    values = {o.value for d in workbook.read(path).datasets for o in d.observations
              if o.item_code == "D1"}
    assert values == {6.5}  # not the 5.1 read ahead


def test_the_reader_never_waits_for_a_workbook_not_started(tmp_path: Path, monkeypatch) -> None:
    """The thread is held on the first workbook; the reader reads the second itself at once,
    then takes the first when it is ready; nothing is left waiting."""
    monkeypatch.setattr(prefetch, "_current", None)
    monkeypatch.setenv(forked.SWITCH, "0")
    first = _book(tmp_path)
    second = _book(tmp_path, year=2020)
    gate, started = threading.Event(), threading.Event()
    real_open = prefetch.open_workbook

    def held(path):  # noqa: ANN001, ANN202
        started.set()
        assert gate.wait(30)
        return real_open(path)

    monkeypatch.setattr(prefetch, "open_workbook", held)
    prefetch.start([first, second])
    assert started.wait(30)
    assert prefetch.take(second) is None  # not started: read by the reader
    assert [d.year for d in workbook.read(second).datasets] == [2020]
    gate.set()
    opened = prefetch.take(first)
    assert opened is not None and set(opened.raw_sheets()) == {"2019", "2019_Process"}
    assert prefetch.take(first) is None  # taken once
    ahead = prefetch._current
    with ahead.cond:
        assert ahead.cond.wait_for(lambda: ahead.finished, timeout=30)
    assert ahead.done == {}


def test_papi_etl_reads_the_workbooks_ahead(tmp_path: Path, monkeypatch) -> None:
    """The command starts the thread before the build; the warehouse is the one a build without
    it gives."""
    folder = tmp_path / "in"
    folder.mkdir()
    _book(folder)
    took = _spy_take(monkeypatch)
    bounds.cache_clear()
    assert etl_cli.main(["etl", "--input", str(folder), "--db", str(tmp_path / "a.duckdb"),
                         "--quiet"]) == 0
    assert took == [True]
    from etl.steps.warehouse import build

    build([folder], tmp_path / "b.duckdb", progress=False)
    assert took == [True, False]
    rows = "SELECT * FROM mart.score ORDER BY ALL"
    assert q(tmp_path / "a.duckdb", rows) == q(tmp_path / "b.duckdb", rows)
    assert len(q(tmp_path / "a.duckdb", rows)) > 100


def test_a_failed_command_leaves_nothing_read_ahead(tmp_path: Path, monkeypatch) -> None:
    """`papi etl` refused before reading (another build holds the warehouse): what was read
    ahead is dropped and the thread ends, so nothing read under this command's bounds can serve
    a later read in the same process."""
    from etl.steps import warehouse

    folder = tmp_path / "in"
    folder.mkdir()
    _book(folder)
    _book(folder, year=2020)
    _book(folder, year=2021)  # more than AHEAD: the thread would wait for the reader
    started: list[prefetch._Ahead] = []
    real_start = prefetch.start
    monkeypatch.setattr(prefetch, "start", lambda paths: (real_start(paths),
                                                         started.append(prefetch._current)))
    monkeypatch.setattr(prefetch, "_current", None)
    monkeypatch.setenv(forked.SWITCH, "0")
    db = tmp_path / "w.duckdb"
    with warehouse.build_lock(db):
        rc = etl_cli.main(["etl", "--input", str(folder), "--db", str(db), "--quiet"])
    assert rc == 3
    [ahead] = started
    assert prefetch._current is None
    with ahead.cond:
        assert ahead.cond.wait_for(lambda: ahead.finished, timeout=30)
    assert prefetch.take(folder / "diem_2019.xlsx") is None


# --- where the build may fork: a child reads the workbooks whole ---------------------------

@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
@pytest.mark.parametrize("make", [_book, truncated_workbook, _no_workbook_part,
                                  lambda t: _bomb(t / "bom.xlsx", 80)],
                         ids=["scores", "damaged", "no-workbook-part", "bomb"])
def test_a_child_reading_ahead_gives_what_reading_gives(tmp_path: Path, monkeypatch,
                                                        make) -> None:
    path = make(tmp_path)
    took = _spy_whole(monkeypatch)
    bounds.cache_clear()
    now = _seen(workbook.read(path))
    bounds.cache_clear()
    prefetch.start([path])
    child = prefetch._forked
    assert child is not None and child.job.pid not in (None, os.getpid())
    ahead = _seen(workbook.read(path))
    prefetch.discard()
    assert took == [False, True]
    assert ahead == now
    assert now[0] or now[2]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_child_reading_the_real_workbooks_ahead(shared: Path, monkeypatch) -> None:
    paths = sorted((shared / "papi" / "official").glob("*.xls[xm]"))
    took = _spy_whole(monkeypatch)
    now = [_seen(workbook.read(p)) for p in paths]
    prefetch.start(paths)
    ahead = [_seen(workbook.read(p)) for p in paths]
    prefetch.discard()
    assert took == [False] * len(paths) + [True] * len(paths)
    assert ahead == now
    assert all(sum(len(d[-1]) for d in seen[0]) > 10_000 for seen in now)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_workbook_changed_after_the_child_read_it_is_read_again(tmp_path: Path,
                                                                  monkeypatch) -> None:
    path = _book(tmp_path)
    took = _spy_whole(monkeypatch)
    prefetch.start([path])
    child = prefetch._forked
    readable, _, _ = select.select([child.job.fd], [], [], 60)  # the child has read it
    assert readable
    _book(tmp_path, value=6.5)  # saved again meanwhile
    values = {o.value for d in workbook.read(path).datasets for o in d.observations
              if o.item_code == "D1"}
    prefetch.discard()
    assert values == {6.5}  # not the 5.1 the child read
    assert took == [False]


def _fails(paths):  # noqa: ANN001, ANN202
    raise RuntimeError("the child's reading failed")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_child_that_fails_leaves_the_reading_here(tmp_path: Path, monkeypatch) -> None:
    path = _book(tmp_path)
    now = _seen(workbook.read(path))
    took = _spy_whole(monkeypatch)
    monkeypatch.setattr(prefetch, "_read_all", _fails)
    prefetch.start([path])
    assert prefetch._forked.job.pid is not None
    assert _seen(workbook.read(path)) == now
    prefetch.discard()
    assert took == [False]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_papi_etl_has_a_child_read_the_workbooks_and_ends_it(tmp_path: Path,
                                                             monkeypatch) -> None:
    """The command forks the child before the build; the warehouse is the one a build without
    it gives; a command refused before reading ends its child (no process left)."""
    folder = tmp_path / "in"
    folder.mkdir()
    _book(folder)
    took = _spy_whole(monkeypatch)
    assert etl_cli.main(["etl", "--input", str(folder), "--db", str(tmp_path / "a.duckdb"),
                         "--quiet"]) == 0
    assert took == [True]
    from etl.steps import warehouse

    warehouse.build([folder], tmp_path / "b.duckdb", progress=False)
    rows = "SELECT * FROM mart.score ORDER BY ALL"
    assert q(tmp_path / "a.duckdb", rows) == q(tmp_path / "b.duckdb", rows)
    assert len(q(tmp_path / "a.duckdb", rows)) > 100
    children: list[int] = []
    real_start = prefetch.start
    monkeypatch.setattr(prefetch, "start", lambda paths: (
        real_start(paths), children.append(prefetch._forked.job.pid)))
    db = tmp_path / "w.duckdb"
    with warehouse.build_lock(db):
        assert etl_cli.main(["etl", "--input", str(folder), "--db", str(db), "--quiet"]) == 3
    assert prefetch._forked is None and len(children) == 1
    with pytest.raises(ChildProcessError):  # killed and reaped
        os.waitpid(children[0], os.WNOHANG)


@pytest.mark.shared
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_papi_etl_on_the_real_files_with_the_child_gives_the_golden_warehouse(
        shared: Path, tmp_path: Path, monkeypatch) -> None:
    import json

    from tests.warehouse_digest import digest

    took = _spy_whole(monkeypatch)
    db = tmp_path / "real.duckdb"
    assert etl_cli.main(["etl", "--input", str(shared / "papi"), "--db", str(db),
                         "--quiet"]) == 0
    assert took == [True, True]  # both workbooks handed over whole by the child
    golden = Path(__file__).parent / "fixtures" / "real_warehouse_digest.json"
    want = json.loads(golden.read_text(encoding="utf-8"))
    got = digest(db, shared / "papi")
    for table, expected in want.items():
        assert got[table] == expected, table
