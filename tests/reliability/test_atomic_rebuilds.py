"""Atomic rebuilds under use: readers never see an error or a mixed version; a killed build
leaves the previous warehouse byte-identical. Run many times with `-k atomic`."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import corpus as C
import duckdb
import pytest
from conftest import sha256

from dashboard import data
from etl.paths import work_file
from etl.steps.warehouse import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Inputs A and B (all sub-dimensions of B are +0.01: every total differs) and their totals."""
    root = tmp_path_factory.mktemp("versions")
    out = {}
    for name, bump in (("A", 0.0), ("B", 0.01)):
        inp = root / name
        C.good_csv(inp, bump=bump)
        db = build([inp], root / f"{name}.duckdb", progress=False)
        totals = tuple(data.province_year(path=db)["total"].round(6))
        scores = tuple(data.scores(item_codes=["TOTAL"], path=db)["value"].round(6))
        out[name] = (inp, totals, scores)
    assert out["A"][1] != out["B"][1]
    assert all(a != b for a, b in zip(out["A"][1], out["B"][1], strict=True))
    return out


def test_atomic_readers_see_whole_versions_during_rebuilds(two_versions, tmp_path: Path) -> None:
    """One reader thread, cache cleared on every other read, while the db is rebuilt 10 times."""
    db = tmp_path / "papi.duckdb"
    build([two_versions["A"][0]], db, progress=False)
    by_totals = {v[1]: k for k, v in two_versions.items()}
    by_scores = {v[2]: k for k, v in two_versions.items()}
    stop = threading.Event()
    errors: list[str] = []
    seen: dict[str, int] = {"A": 0, "B": 0}
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                if reads % 2:
                    data.clear_cache()
                totals = tuple(data.province_year(path=db)["total"].round(6))
                scores = tuple(data.scores(item_codes=["TOTAL"], path=db)["value"].round(6))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            reads += 1
            time.sleep(0.02)  # a user clicking, not a busy loop starving the builder of the GIL
            if totals not in by_totals:
                errors.append("mixed or unknown version in mart.province_year")
            elif scores not in by_scores:
                errors.append("mixed or unknown version in mart.score")
            else:
                seen[by_totals[totals]] += 1

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t0 = time.perf_counter()
    for i in range(10):
        build([two_versions["B" if i % 2 == 0 else "A"][0]], db, progress=False)
    stop.set()
    t.join(timeout=30)
    print(f"10 rebuilds in {time.perf_counter() - t0:.1f} s, {reads} reads, seen {seen}")
    assert errors == [], errors[:5]
    assert reads >= 10 and seen["A"] and seen["B"]
    # a final read sees the last build (A)
    assert tuple(data.province_year(path=db)["total"].round(6)) == two_versions["A"][1]


def _larger_input(folder: Path) -> Path:
    """Two years × two sources: a few seconds of build, so kills land inside it."""
    for k, year in enumerate(range(2022, 2024)):
        C.write_csv(folder / f"scores_{year}.csv", C.tidy_rows(year, bump=0.001 * k))
        C.columns_workbook(folder / f"official_{year}.xlsx", year, bump=0.001 * k)
    return folder


def _build_window(cmd: list[str], db: Path, env: dict[str, str]) -> float:
    """Seconds from a build's temp file appearing to its new db replacing the old one, measured
    on a scratch copy in this run: kills are then placed inside the window of this machine,
    however fast it is (a fixed 0–0.6 s missed the whole build on a faster CI machine)."""
    scratch = db.parent.parent / "window" / db.name
    scratch.parent.mkdir(exist_ok=True)
    shutil.copyfile(db, scratch)
    inode = scratch.stat().st_ino
    cmd = [*cmd[:cmd.index("--db") + 1], str(scratch), *cmd[cmd.index("--db") + 2:]]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _wait_for_temp_file(scratch, proc)
    t0 = time.monotonic()
    while proc.poll() is None and scratch.stat().st_ino == inode:
        time.sleep(0.002)
    window = time.monotonic() - t0
    proc.wait()
    assert proc.returncode == 0 and scratch.stat().st_ino != inode, "the unkilled build failed"
    shutil.rmtree(scratch.parent)
    return window


def test_atomic_kill9_keeps_previous_db(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    previous_copy = tmp_path / "previous.duckdb"
    shutil.copyfile(db, previous_copy)
    inp = _larger_input(tmp_path / "big")
    rng = random.Random(int(os.environ.get("PAPI_KILL_SEED", time.time_ns() % 10**6)))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "etl.cli", "etl", "--input", str(inp), "--db", str(db), "--quiet"]
    window = _build_window(cmd, db, env)
    # one kill as soon as the build has started, two at random points inside its window
    planned = [0.0, rng.uniform(0.1, 0.8) * window, rng.uniform(0.1, 0.8) * window]
    delays, intact, finished = [], [], []
    for delay in planned:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _wait_for_temp_file(db, proc)
        delays.append(round(delay, 3))
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        con = duckdb.connect(str(db), read_only=True)
        try:
            years = con.execute("SELECT DISTINCT year FROM mart.score ORDER BY 1").fetchall()
        finally:
            con.close()
        if sha256(db) != before:
            # os.replace had already happened (the kill hit the interpreter's exit): the file
            # must then be the complete new version, never a mix. Start again from the old one.
            assert years == [(2022,), (2023,)], f"partial db after kill -9 at {delay:.2f} s"
            shutil.copyfile(previous_copy, db)
            finished.append(delay)
            continue
        assert years == [(2022,)]
        intact.append(delay)
    leftovers = sorted(p.name for p in db.parent.iterdir()
                       if p.name not in (db.name, f".{db.name}.lock"))
    print(f"build window {window:.3f} s, kill delays {delays}: old db intact {intact}, "
          f"new db complete {finished}; "
          f"files left next to the db: {leftovers}")
    assert intact, "no kill landed inside a build"
    # the next build is not disturbed by whatever a killed build left behind
    build([inp], db, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT year) FROM mart.score").fetchone()[0] == 2
    finally:
        con.close()


def test_atomic_kill9_leaves_no_temp_files(tmp_path: Path, previous_db) -> None:
    db, _ = previous_db
    inp = C.good_csv(tmp_path / "small").parent
    cmd = [sys.executable, "-m", "etl.cli", "etl", "--input", str(inp), "--db", str(db), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_temp_file(db, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    build([inp], db, progress=False)
    assert sorted(p.name for p in db.parent.iterdir()) == [f".{db.name}.lock", db.name]
    shutil.rmtree(tmp_path / "small")


def _wait_for_temp_file(db: Path, proc: subprocess.Popen) -> None:
    """Until this process has started building (its own temp file exists), so a kill lands
    inside the build and not in the imports."""
    mine = work_file(db, f"building-{proc.pid}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None and not mine.exists():
        time.sleep(0.01)


VERSION_SQL = ("SELECT (SELECT inputs FROM meta.build) AS inputs, "
               "(SELECT list(round(total, 6) ORDER BY province_code) FROM mart.province_year) "
               "AS totals")


def test_atomic_threaded_readers_never_get_an_old_or_mixed_version(two_versions,
                                                                   tmp_path: Path) -> None:
    """Four reader threads with queries in flight while the db is rebuilt 8 times.

    The builder records which version each file signature holds; a reader that saw the same
    signature before and after a read must have got exactly that version, in every query of
    the read (a page reads several tables). Counts old or mixed results: must be zero.
    """
    db = tmp_path / "papi.duckdb"
    build([two_versions["A"][0]], db, progress=False)
    version_of = {data.signature(db): "A"}
    name_of = {str(two_versions[k][0]): k for k in ("A", "B")}
    by_totals = {v[1]: k for k, v in two_versions.items()}
    stop = threading.Event()
    lock = threading.Lock()
    reads: list[tuple[tuple, str, str, str]] = []  # (sig, version by meta, by totals, by scores)
    errors: list[str] = []

    def reader(n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            if (i + n) % 2:
                data.clear_cache()  # force real queries, several in flight at once
            before = data.signature(db)
            try:
                row = data.query(VERSION_SQL, (), db).iloc[0]
                scores = tuple(data.scores(item_codes=["TOTAL"], path=db)["value"].round(6))
                totals = tuple(data.province_year(path=db)["total"].round(6))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if data.signature(db) != before:
                continue  # a rebuild landed during the read: no claim about which version
            meta = name_of[json.loads(row["inputs"])[0]]
            by_score = next((k for k, v in two_versions.items() if v[2] == scores), "?")
            with lock:
                reads.append((before, meta, by_totals.get(tuple(row["totals"]), "?") +
                              by_totals.get(totals, "?"), by_score))

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    for i in range(8):
        name = "B" if i % 2 == 0 else "A"
        build([two_versions[name][0]], db, progress=False)
        with lock:
            version_of[data.signature(db)] = name
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    bad = [r for r in reads if {r[1], r[3]} | set(r[2]) != {version_of.get(r[0])}]
    seen = {v: sum(version_of.get(r[0]) == v for r in reads) for v in ("A", "B")}
    print(f"{len(reads)} consistent-signature reads, seen {seen}, {len(bad)} old or mixed")
    assert errors == [], errors[:5]
    assert bad == [], bad[:5]
    assert len(reads) >= 20 and seen["A"] and seen["B"]
    links = [p.name for p in db.parent.iterdir() if data.LINK_MARK in p.name]
    assert len(links) <= 2, links  # old versions' links are cleaned up
