"""The README's backup and restore: pg_dump of a store, pg_restore --clean into a freshly
initialised database; rows, policies and the audit log's protection come back."""

from __future__ import annotations

import subprocess

import psycopg
import pytest
from pg_seed import NOI_VU

from etl.pg import migrate, store
from etl.pg.cluster import bin_dir
from etl.pg.store import Entry


def test_dump_and_restore_into_a_migrated_database(store_db, tmp_path, pg_cluster):
    from datetime import date

    s, sd = store_db
    aid = sd.tasks[NOI_VU][0]
    with store.connect(s.app) as con:
        store.save_report(con, sd.ids["nv.hoa"], Entry(aid, 2026, "H1", 0, "in_progress", 50, "r",
                                                       None, date(2026, 6, 1)))
    dump = tmp_path / "papi.dump"
    host = str(pg_cluster.data_dir.resolve())
    subprocess.run([str(bin_dir() / "pg_dump"), "-h", host, "-U", "papi_owner", "-d", s.name,
                    "-Fc", "-f", str(dump)], check=True, capture_output=True)
    target = f"{s.name}_restored"
    with psycopg.connect(pg_cluster.dsn().replace("dbname=papi", "dbname=postgres"),
                         autocommit=True) as con:
        con.execute(f"CREATE DATABASE {target}")
    target_dsn = pg_cluster.dsn().replace("dbname=papi", f"dbname={target}")
    migrate.apply(target_dsn)  # as `papi db init` leaves it
    run = subprocess.run([str(bin_dir() / "pg_restore"), "-h", host, "-U", "papi_owner", "-d",
                          target, "--clean", "--if-exists", str(dump)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    try:
        with psycopg.connect(target_dsn) as con:
            assert con.execute("SELECT action_id, version FROM papi.report").fetchall() == [(aid, 1)]
            assert con.execute("SELECT count(*) FROM papi.app_user").fetchone()[0] == 6
            assert con.execute("SELECT bool_and(relforcerowsecurity) FROM pg_class WHERE "
                               "relnamespace = 'papi'::regnamespace AND relkind = 'r'").fetchone()[0]
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                con.execute("DELETE FROM papi.audit_log")
        assert migrate.apply(target_dsn) == []
        with store.connect(target_dsn.replace("papi_owner", "papi_app")) as con:
            assert [t["action_id"] for t in store.tasks(con, sd.ids["nv.hoa"], 2026, "H1")] == \
                sd.tasks[NOI_VU]
    finally:
        with psycopg.connect(pg_cluster.dsn().replace("dbname=papi", "dbname=postgres"),
                             autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
