"""Work handed to a forked child (etl.steps.forked) gives what the build gives without it.

The child reads the tidy CSVs while the workbooks are read, and reconciles the sources while the
observations are written (issue 23). Its result is only a way of getting the same values sooner:
a build with it and one without (PAPI_ETL_FORK=0) must write the same warehouse and find the same
problems in the same order, and a child that fails in any way must leave the work to the parent.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from etl.problems import InputError
from etl.steps import forked, scores_step
from etl.steps.warehouse import build
from tests.factories import full_tidy_rows, tidy_csv
from tests.warehouse_digest import digest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the build forks on Linux only")
GOLDEN = Path(__file__).parent / "fixtures" / "real_warehouse_digest.json"


def _pid_and(value: object) -> tuple[int, object]:
    return os.getpid(), value


def _fails_in_child(parent: int) -> int:
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    return 7


def _killed_in_child(parent: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return 8


def _unpicklable_in_child(parent: int) -> object:
    return (lambda: 9) if os.getpid() != parent else 9


def _raises() -> None:
    raise ValueError("the reader's own error")


def _sleeps(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_a_child_does_the_work_and_hands_back_its_value() -> None:
    value = {"rows": [[2024, "20", "D1", 1.25, None]], "text": "Lạng Sơn"}
    with forked.ahead(_pid_and, value) as job:
        pid, got = job.get()
    assert pid != os.getpid()  # done by another process
    assert got == value


def test_switched_off_or_too_small_the_work_is_done_here(monkeypatch) -> None:
    with forked.ahead(_pid_and, 1, fork=False) as job:
        assert job.get() == (os.getpid(), 1)
    monkeypatch.setenv(forked.SWITCH, "0")
    with forked.ahead(_pid_and, 2) as job:
        assert job.pid is None
        assert job.get() == (os.getpid(), 2)


@pytest.mark.parametrize("fn", [_fails_in_child, _killed_in_child, _unpicklable_in_child])
def test_a_child_that_fails_leaves_the_work_to_the_parent(fn) -> None:
    with forked.ahead(fn, os.getpid()) as job:
        assert job.pid is not None
        got = job.get()
    assert got == {_fails_in_child: 7, _killed_in_child: 8, _unpicklable_in_child: 9}[fn]


def test_when_no_child_can_be_made_the_work_is_done_here(monkeypatch) -> None:
    def refused() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    with forked.ahead(_pid_and, 3) as job:
        assert job.pid is None and job.fd is None
        assert job.get() == (os.getpid(), 3)


def test_an_error_of_the_work_is_raised_by_the_parent_as_without_a_child() -> None:
    with forked.ahead(_raises) as job, pytest.raises(ValueError, match="the reader's own error"):
        job.get()


def test_leaving_without_the_result_ends_the_child() -> None:
    started = time.perf_counter()
    with forked.ahead(_sleeps, 60) as job:
        pid = job.pid
        assert pid is not None
    assert time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):  # ended and reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_a_childs_end_is_not_waited_for_and_it_is_reaped_after() -> None:
    """get() reads the result without waiting for the child to end (a result cut short does
    not unpickle); the child is reaped before the next one starts or at exit: no zombie."""
    with forked.ahead(_pid_and, 4) as job:
        child = job.pid
        assert job.get() == (child, 4)
    assert job.pid is None
    with forked.ahead(_pid_and, 5, fork=False):  # a new job reaps the ended ones
        pass
    forked.reap(wait=True)
    assert child not in forked._UNREAPED
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)


def _inputs(tmp_path: Path) -> Path:
    """Two tidy CSVs of 2023 that disagree on some figures and one of 2022 with a text in a
    number cell: problems from the reader and from reconciling; dimensions derived."""
    inp = tmp_path / "in"
    inp.mkdir()
    tidy_csv(inp / "a_2023.csv", full_tidy_rows(2023, lambda p, s: 1.0 + int(p) / 100))
    rows = full_tidy_rows(2023, lambda p, s: 1.0 + int(p) / 100 + (0.5 if p in ("01", "20")
                                                                   else 0.0))
    tidy_csv(inp / "b_2023.csv", rows)
    rows = full_tidy_rows(2022, lambda p, s: 2.0)
    rows[5] = (*rows[5][:4], "hai phẩy năm")
    tidy_csv(inp / "c_2022.csv", rows)
    return inp


def _forks(monkeypatch, thresholds: bool = True) -> list[str]:
    """Every job forked from now on (by its function's name); `thresholds`: jobs of any size
    fork (else the build's own sizes decide)."""
    if thresholds:
        monkeypatch.setattr(scores_step, "FORK_MIN_ROWS", 0)
        monkeypatch.setattr(scores_step, "FORK_MIN_CSV_BYTES", 0)
    seen: list[str] = []
    real = forked.Job._fork

    def spy(self) -> None:  # noqa: ANN001
        seen.append(self.fn.__name__)
        real(self)

    monkeypatch.setattr(forked.Job, "_fork", spy)
    return seen


def _problems(err: pytest.ExceptionInfo) -> list[tuple]:
    return [(p.severity, p.file, p.sheet, p.cell, p.message, p.found) for p in err.value.problems]


def test_a_build_with_children_equals_one_without(tmp_path: Path, monkeypatch) -> None:
    inp = _inputs(tmp_path)
    with pytest.raises(InputError) as strict_serial:
        with monkeypatch.context() as m:
            m.setenv(forked.SWITCH, "0")
            build([inp], tmp_path / "s.duckdb", progress=False)
    serial = build([inp], tmp_path / "serial.duckdb", progress=False, keep_going=True)
    monkeypatch.delenv(forked.SWITCH, raising=False)
    seen = _forks(monkeypatch)
    with pytest.raises(InputError) as strict_forked:
        build([inp], tmp_path / "f.duckdb", progress=False)
    assert "read" in seen  # the reader ran in a child, and the strict build then stopped
    seen.clear()
    both = build([inp], tmp_path / "forked.duckdb", progress=False, keep_going=True)
    assert seen == ["read", "read", "reconciled"]  # EARLY_CSVS read ahead, then the reconciling
    assert _problems(strict_forked) == _problems(strict_serial)
    kinds = {p[4] for p in _problems(strict_serial)}
    assert "text in a number cell" in kinds and any("differ" in k or "disagree" in k
                                                    for k in kinds), kinds
    got, want = digest(both, inp), digest(serial, inp)
    assert sorted(got) == sorted(want)
    for table in want:
        assert got[table] == want[table], table


@pytest.mark.shared
def test_the_real_build_forks_and_without_it_gives_the_same_warehouse(
        shared: Path, tmp_path: Path, monkeypatch) -> None:
    """The real files are large enough for both jobs; with PAPI_ETL_FORK=0 the warehouse is the
    golden one too (the session's real_db, built with children, is checked against it in
    test_build_speed_equivalence)."""
    seen = _forks(monkeypatch, thresholds=False)
    build([shared / "papi"], tmp_path / "forked.duckdb", progress=False)
    assert seen == ["read", "reconciled"]
    monkeypatch.setenv(forked.SWITCH, "0")
    seen.clear()
    db = build([shared / "papi"], tmp_path / "serial.duckdb", progress=False)
    assert seen == []
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = digest(db, shared / "papi")
    for table, expected in want.items():
        assert got[table] == expected, table


def test_plans_read_while_scores_are_reconciled_are_listed_after_them(
        tmp_path: Path, monkeypatch) -> None:
    """The plans and task view steps run while a child reconciles the scores. Their problems
    still come after every problem of the scores, and when the plans step stops the build, the
    error lists the scores' errors too, as when the steps ran one after the other."""
    from etl.plans import parse

    inp = _inputs(tmp_path)
    with pytest.raises(InputError) as scores_only:
        build([inp], tmp_path / "a.duckdb", progress=False)
    (inp / "ke_hoach.txt").write_text("KẾ HOẠCH\nNâng cao chỉ số PAPI năm 2025\n", encoding="utf-8")

    def boom(path):  # noqa: ANN001, ANN202
        raise RuntimeError("unexpected structure")

    monkeypatch.setattr(parse, "parse_plan", boom)
    seen = _forks(monkeypatch)
    with pytest.raises(InputError) as with_plan:
        build([inp], tmp_path / "b.duckdb", progress=False)
    assert "reconciled" in seen
    got = _problems(with_plan)
    assert got[:-1] == _problems(scores_only)  # the scores' errors, in their order, first
    assert got[-1][1].endswith("ke_hoach.txt") and "plans step failed" in got[-1][4], got[-1]


def _staged(datasets: list, keep_going: bool = True) -> tuple[object, object]:
    """(_staging_frame's columns or None, the columns made from the rows' values, as _plain
    gives them) for datasets of one vintage, as write() makes both."""
    from etl.steps import reconcile, table

    present = [reconcile.columns(datasets, vintage="63")]
    raw = scores_step._joined(present, [c for c in scores_step.RAW_COLS if c != "priority"])
    raw_frame = {name: table.column(values) for name, values in raw.items()}
    choices, added, _ = scores_step.reconciled(present, keep_going, None)
    fast = scores_step._staging_frame(raw, raw_frame, present, choices, added)
    scores = scores_step._joined([reconcile.apply(present[0], choices[0])], scores_step.SCORE_COLS)
    for name, values in zip(scores_step.SCORE_COLS, zip(*added, strict=True), strict=True):
        scores[name] += values
    return fast, _plain({name: table.column(scores[name]) for name in scores_step.STAGING_COLS})


def _sources(value_of) -> list:  # noqa: ANN001
    from etl.readers.base import Dataset, Observation

    out = []
    for f, layout in enumerate(("provinces_in_columns", "tidy_csv")):
        ds = Dataset(Path(f"/in/src{f}.xlsx"), "2019" if f == 0 else None, 2019, layout,
                     vintage="63")
        for p in ("01", "02", "04"):
            for i, item in enumerate(("D1.1", "D1.2", "D1.3", "D1.4")):
                value = value_of(f, p, i)
                ds.observations.append(Observation(2019, p, item, "value", value,
                                                   "published" if value is not None
                                                   else "not_published", f"B{i}"))
        out.append(ds)
    return out


def test_staging_columns_taken_from_the_observations_equal_those_made_from_values() -> None:
    """Chosen rows, rows a rule settled (a disagreement, a withheld figure) and derived rows:
    the columns taken by position have the types and values store() would make."""
    def value_of(f: int, p: str, i: int) -> float | None:
        if (p, i) == ("02", 1):
            return 1.5 + f * 0.4  # the two sources disagree
        if (p, i) == ("04", 2) and f == 1:
            return None  # one source withholds it
        return 1.0 + i / 10

    fast, slow = _staged(_sources(value_of))
    assert fast is not None
    got = _plain(fast)
    assert got == slow
    assert len(got["year"][1]) > 12  # derived dimension and total rows are there too


def _plain(frame: dict) -> dict:
    import numpy as np

    return {k: (v.dtype, [None if isinstance(x, float) and np.isnan(x) else x
                          for x in v.tolist()]) for k, v in frame.items()}


@pytest.mark.parametrize(("case", "taken"), [
    ("whole numbers", False),  # an int among the figures: the values decide (int64 or float64)
    ("withheld by one source, every figure", False),  # all chosen figures gaps, raw has numbers
    ("no figure at all", True),  # no number anywhere: the same object columns either way
])
def test_staging_columns_are_made_from_values_when_the_types_could_differ(
        case: str, taken: bool) -> None:
    value_of = {"whole numbers": lambda f, p, i: 2 if i == 0 else 1.0 + i / 10,
                "withheld by one source, every figure": lambda f, p, i: 1.0 if f == 0 else None,
                "no figure at all": lambda f, p, i: None}[case]
    fast, slow = _staged(_sources(value_of))
    assert (fast is not None) == taken
    if fast is not None:
        assert _plain(fast) == slow
