"""Load test of the write store: a 34-province country (34 × 40 units) reporting at once.

`uv run python bench/multiuser.py [--sessions 200] [--saves 5]` (also section "multiuser" of
bench/run.py). A throwaway PostgreSQL cluster in a temp folder (unix socket only: loopback, no
TCP), stopped by its pid at the end. Each session is one reporter of a unit (a tenth of them share
a unit with another session, so stale edits happen and are re-based, never lost) saving its
unit's tasks as the app does (etl.pg.store.save_report as papi_app under RLS). Bounded: sessions
× saves in total, 300 s at most. Prints saves/s, p50/p95 latency, stale refusals and rows lost
(acknowledged saves missing from the database: must be 0); the floor is a bare INSERT into a
table with no trigger or policy, by the same sessions.
"""
# ruff: noqa: S608 - SQL from this module's constants only

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from common import Row

SECTION = "multiuser"
UNITS_PER_PROVINCE, TASKS_PER_UNIT = 40, 2
DEADLINE_S = 300.0


def _seed(admin: str) -> list[tuple[int, list[str]]]:
    """34 provinces × 40 units, one reporter each (one precomputed hash), two tasks per unit.
    The (user id, task ids) of every unit."""
    import psycopg

    from etl.pg.users import hash_password, provinces_34

    pw = hash_password("bench-password")
    out = []
    with psycopg.connect(admin) as con, con.transaction():
        for code in sorted(provinces_34()):
            top = con.execute("INSERT INTO papi.unit (province_code, kind, name) VALUES (%s, "
                              "'province', %s) RETURNING id", (code, f"VP {code}")).fetchone()[0]
            con.execute("INSERT INTO papi.plan (plan_id, year, province_code) VALUES (%s, 2026, %s)",
                        (f"KH-{code}", code))
            for k in range(UNITS_PER_PROVINCE):
                uid = con.execute("INSERT INTO papi.unit (province_code, kind, name, parent_id) "
                                  "VALUES (%s, 'department', %s, %s) RETURNING id",
                                  (code, f"Sở {k:02d}", top)).fetchone()[0]
                user = con.execute("INSERT INTO papi.app_user (name, password_hash, unit_id, role) "
                                   "VALUES (%s, %s, %s, 'reporter') RETURNING id",
                                   (f"r{code}u{k:02d}", pw, uid)).fetchone()[0]
                tasks = [f"KH-{code}-A{k * TASKS_PER_UNIT + j + 1:03d}" for j in range(TASKS_PER_UNIT)]
                for j, aid in enumerate(tasks):
                    con.execute("INSERT INTO papi.action (action_id, plan_id, seq, text, "
                                "fingerprint, unit_id) VALUES (%s, %s, %s, %s, %s, %s)",
                                (aid, f"KH-{code}", k * TASKS_PER_UNIT + j + 1, f"Nhiệm vụ {aid}",
                                 aid, uid))
                out.append((user, tasks))
        con.execute("CREATE TABLE public.bare (id uuid PRIMARY KEY, action_id text, n int, "
                    "at timestamptz DEFAULT now())")
        con.execute("GRANT INSERT ON public.bare TO papi_app")
    return out


def _sessions(units: list[tuple[int, list[str]]], n: int) -> list[tuple[int, list[str]]]:
    """n sessions spread over the provinces; every tenth shares the previous session's unit."""
    step = max(1, len(units) // n)
    chosen = []
    for i in range(n):
        chosen.append(chosen[-1] if i % 10 == 9 and chosen else units[(i * step) % len(units)])
    return chosen


def _work(app: str, sessions: list, saves: int, bare: bool) -> dict:
    import uuid

    from etl.pg import store

    lat: list[float] = []
    acked: list[str] = []
    stale = [0]
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(sessions) + 1)
    deadline = time.monotonic() + DEADLINE_S

    def one(user: int, tasks: list[str]) -> None:
        con = store.connect(app)
        try:
            start.wait()
            done = 0
            while done < saves and time.monotonic() < deadline:
                aid = tasks[done % len(tasks)]
                t0 = time.perf_counter()
                if bare:
                    i = str(uuid.uuid4())
                    with con.transaction():
                        con.execute("INSERT INTO public.bare (id, action_id, n) VALUES (%s, %s, %s)",
                                    (i, aid, done))
                else:
                    cur = [t for t in store.tasks(con, user, 2026, "H1") if t["action_id"] == aid][0]
                    e = store.Entry(aid, 2026, "H1", int(cur["version"] or 0), "in_progress",
                                    min(100, 10 * (done + 1)), f"lần {done}", None, date(2026, 6, 30))
                    try:
                        store.save_report(con, user, e)
                    except store.StaleEdit:
                        with lock:
                            stale[0] += 1
                        continue  # re-read the newer version and save again
                    i = e.id
                dt = time.perf_counter() - t0
                with lock:
                    lat.append(dt)
                    acked.append(i)
                done += 1
        except Exception as exc:  # noqa: BLE001 - counted and printed, never hidden
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            con.close()

    threads = [threading.Thread(target=one, args=s) for s in sessions]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"lat": lat, "acked": acked, "stale": stale[0], "errors": errors, "wall": wall}


def run(sessions: int = 200, saves: int = 5) -> list[Row]:
    import psycopg

    from etl.pg import db, migrate
    from etl.pg.cluster import Cluster, _chown

    base = Path(tempfile.mkdtemp(prefix="papi-bench-pg-"))
    _chown(base)
    cluster = Cluster(base / "pg")
    try:
        cluster.init()
        cluster.start()
        db.ensure_database(cluster.dsn())
        migrate.apply(cluster.dsn())
        units = _seed(cluster.dsn())
        chosen = _sessions(units, sessions)
        print(f"  {len(units)} units ({len(units) // UNITS_PER_PROVINCE} provinces × "
              f"{UNITS_PER_PROVINCE}), {len(chosen)} concurrent sessions × {saves} saves", flush=True)
        floor = _work(cluster.dsn("papi_app"), chosen, saves, bare=True)
        res = _work(cluster.dsn("papi_app"), chosen, saves, bare=False)
        with psycopg.connect(cluster.dsn()) as con:
            found = con.execute("SELECT count(*) FROM papi.report WHERE id = ANY(%s::uuid[])",
                                (res["acked"],)).fetchone()[0]
            audit = con.execute("SELECT count(*) FROM papi.audit_log WHERE what = 'report.insert'"
                                ).fetchone()[0]
    finally:
        cluster.stop()  # by the postmaster's pid
        shutil.rmtree(base, ignore_errors=True)
    lost = len(res["acked"]) - found
    p95 = _p95(res["lat"])
    rate = len(res["acked"]) / res["wall"] if res["wall"] else 0.0
    print(f"  saves/s {rate:.0f} (bare INSERT floor {len(floor['acked']) / floor['wall']:.0f}/s); "
          f"p50 {statistics.median(res['lat']) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (floor p95 "
          f"{_p95(floor['lat']) * 1000:.0f} ms); acknowledged {len(res['acked'])}, stale refusals "
          f"re-based {res['stale']}, audit entries {audit}, rows lost {lost}, errors "
          f"{len(res['errors'])} {res['errors'][:3]}", flush=True)
    note = (f"{len(chosen)} sessions, {len(res['acked'])} saves, {rate:.0f} saves/s, "
            f"{res['stale']} stale re-based, errors {len(res['errors'])}")
    return [Row(SECTION, f"save p95 ({len(chosen)} sessions, 34×40 units)", p95,
                _p95(floor["lat"]), "rows lost = 0", lost == 0 and not res["errors"], note),
            Row(SECTION, f"rows lost: {lost} of {len(res['acked'])} acknowledged saves", None,
                None, "0 rows lost", lost == 0, f"{audit} audit entries")]


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)] if xs else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--saves", type=int, default=5, help="saves per session (bounded load)")
    a = ap.parse_args(argv)
    rows = run(min(a.sessions, 250), a.saves)
    return 0 if all(r.meets for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
