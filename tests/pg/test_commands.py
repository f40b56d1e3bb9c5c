"""`papi db init` (own cluster, idempotent, socket only), `papi users add/disable`, and accepted
reports reaching the warehouse through `papi etl`'s own report path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import psycopg
import pytest
from plan_docs import write_docx

from etl.pg import bridge, store, users
from etl.pg.cluster import Cluster, _chown
from etl.pg.store import Entry
from etl.problems import InputError


def papi(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papi.cli", *args], input=stdin, text=True,
                          capture_output=True, timeout=180, env={**os.environ, **(env or {})},
                          check=False)


@pytest.fixture
def own_dir(pg_cluster):  # pg_cluster: skips/fails exactly as the other store tests do
    base = Path(tempfile.mkdtemp(prefix="papi-pgc-"))
    _chown(base)
    cluster = Cluster(base / "pg")
    try:
        yield cluster
    finally:
        cluster.stop()  # by the postmaster's pid
        shutil.rmtree(base, ignore_errors=True)


def test_db_init_is_idempotent_socket_only_and_users_commands(own_dir):
    env = {"PAPI_PG": ""}
    first = papi("db", "init", "--dir", str(own_dir.data_dir), env=env)
    assert first.returncode == 0, first.stderr
    assert "cluster created" in first.stdout and "001_store" in first.stdout
    pid = own_dir.pid
    second = papi("db", "init", "--dir", str(own_dir.data_dir), env=env)
    assert second.returncode == 0, second.stderr
    assert "cluster present" in second.stdout and "none (up to date)" in second.stdout
    assert own_dir.pid == pid
    with psycopg.connect(own_dir.dsn()) as con:
        assert con.execute("SHOW listen_addresses").fetchone()[0] == ""
        assert con.execute("SELECT current_setting('unix_socket_permissions')").fetchone()[0] == "0700"

    d = ["--dir", str(own_dir.data_dir)]
    ok = papi("users", "add", "nv.hoa", "--province", "25", "--unit", "Sở Nội vụ", "--role",
              "reporter", *d, stdin="mật-khẩu-đủ-dài\n", env=env)
    assert ok.returncode == 0, ok.stderr
    bad = papi("users", "add", "x.y", "--province", "02", "--unit", "Sở Nội vụ", "--role",
               "reporter", *d, stdin="mật-khẩu-đủ-dài\n", env=env)
    assert bad.returncode == 2 and "'02' không thuộc 34 tỉnh" in bad.stderr
    short = papi("users", "add", "x.z", "--province", "25", "--unit", "Sở Nội vụ", "--role",
                 "reporter", *d, stdin="ngắn\n", env=env)
    assert short.returncode == 2 and "ít nhất 8 ký tự" in short.stderr
    again = papi("users", "add", "nv.hoa", "--province", "25", "--unit", "Sở Nội vụ", "--role",
                 "reporter", *d, stdin="mật-khẩu-đủ-dài\n", env=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    app = own_dir.dsn("papi_app")
    with psycopg.connect(app, row_factory=psycopg.rows.dict_row) as con:
        token = users.login(con, "nv.hoa", "mật-khẩu-đủ-dài")
        assert token is not None
        off = papi("users", "disable", "nv.hoa", *d, env=env)
        assert off.returncode == 0, off.stderr
        assert users.session_user(con, token) is None
    with psycopg.connect(own_dir.dsn()) as con:
        stored = con.execute("SELECT password_hash FROM papi.app_user").fetchone()[0]
    assert stored.startswith("$argon2id$") and "mật-khẩu" not in stored


def test_accepted_reports_reach_the_warehouse_through_the_template_path(pg_db, tmp_path,
                                                                      monkeypatch):
    from etl.build.warehouse import build

    monkeypatch.setenv("PAPI_TODAY", "2026-12-01")
    raw = tmp_path / "raw"
    raw.mkdir()
    write_docx(raw / "ke-hoach-240.docx")
    wh = tmp_path / "papi.duckdb"
    build([raw], wh, progress=False)
    with psycopg.connect(pg_db.admin) as admin:
        assert bridge.load_plans(admin, wh) == 6
        assert bridge.load_plans(admin, wh) == 0  # idempotent
        uid = {n: users.add_user(admin, n, "mật-khẩu-đủ-dài", "25", u, r) for n, u, r in [
            ("nv.hoa", "Sở Nội vụ", "reporter"), ("nv.truong", "Sở Nội vụ", "approver"),
            ("vp", None, "province_office")]}
    with store.connect(pg_db.app) as con:
        mine = store.tasks(con, uid["nv.hoa"], 2026, "H1")
        assert [t["unit"] for t in mine] == ["Sở Nội vụ", "Sở Nội vụ"]
        a1, a2 = (t["action_id"] for t in mine)
        store.save_report(con, uid["nv.hoa"], Entry(a1, 2026, "H1", 0, "done_on_time", 100,
                                                     "=Đã ban hành hướng dẫn", "HD 12/HD-SNV",
                                                     date(2026, 6, 20)))
        store.save_report(con, uid["nv.hoa"], Entry(a2, 2026, "H1", 0, "in_progress", 50,
                                                     "Đang công khai", None, date(2026, 6, 25)))
        for aid in (a1, a2):
            store.decide(con, uid["nv.truong"], aid, 2026, "H1", 1, "approve")
        store.decide(con, uid["vp"], a1, 2026, "H1", 1, "accept")  # a2 approved, not accepted
    done = papi("db", "refresh", "--input", str(raw), "--db", str(wh),
                env={"PAPI_PG": pg_db.admin, "PAPI_TODAY": "2026-12-01"})
    assert done.returncode == 0, done.stderr[-2000:]
    files = sorted((raw / "store").glob("*.xlsx"))
    assert len(files) == 1 and "1 tệp báo cáo đã chấp nhận" in done.stdout
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = con.execute("SELECT action_id, period, status_code, percent_done, result, notes, "
                           "reported_on, source_file FROM mart.action_status").fetchall()
    finally:
        con.close()
    assert rows == [(a1, "H1", "done_on_time", 100, "=Đã ban hành hướng dẫn", "HD 12/HD-SNV",
                     date(2026, 6, 20), str(files[0]))]

    # the same checks as a filled template: a report dated before the plan was issued is refused
    with store.connect(pg_db.app) as con:
        store.save_report(con, uid["nv.hoa"], Entry(a1, 2026, "FY", 0, "in_progress", 10, "x",
                                                     None, date(2025, 1, 2)))
        store.decide(con, uid["nv.truong"], a1, 2026, "FY", 1, "approve")
        store.decide(con, uid["vp"], a1, 2026, "FY", 1, "accept")
    with psycopg.connect(pg_db.admin) as admin:
        files = bridge.export_accepted(admin, raw / "store")
    before = wh.read_bytes()
    with pytest.raises(InputError) as err:
        build([raw], wh, progress=False)
    text = "\n".join(p.describe() for p in err.value.problems)
    assert files[0].name in text and "M8" in text and "02/01/2025" in text, text
    assert wh.read_bytes() == before


@pytest.fixture
def pg_db(store):  # the per-test database (named apart from the etl.pg.store module)
    return store


def test_db_init_in_a_folder_the_server_user_cannot_reach_says_so(pg_cluster, tmp_path):
    import os

    if os.geteuid() != 0:
        pytest.skip("only root hands the cluster to the papi-pg user")
    closed = tmp_path / "closed"  # pytest's own temp folders are 0700, owned by root
    closed.mkdir(mode=0o700)
    run = papi("db", "init", "--dir", str(closed / "pg"), env={"PAPI_PG": ""})
    assert run.returncode == 2
    assert f"{closed} is closed to other users, so papi-pg cannot reach" in run.stderr
    assert not (closed / "pg").exists()
