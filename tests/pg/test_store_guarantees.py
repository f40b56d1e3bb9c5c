"""The write store's guarantees, enforced by PostgreSQL itself (app role, FORCEd RLS, triggers)."""

from __future__ import annotations

import threading
import time
from datetime import date

import psycopg
import pytest
from pg_seed import NOI_VU, PASSWORD, THANH_TRA

from etl.pg import migrate, store, users
from etl.pg.store import Entry

Y, P = 2026, "H1"


def entry(aid: str, based_on: int, status: str = "in_progress", pct: int = 40, **kw) -> Entry:
    return Entry(aid, Y, P, based_on, status, pct, kw.pop("result", "Đã ban hành hướng dẫn"),
                 kw.pop("note", "Văn bản số 12/HD-SNV"), kw.pop("on", date(2026, 7, 10)), **kw)


def count(admin: str, sql: str, *args) -> int:
    with psycopg.connect(admin) as con:
        return con.execute(sql, args).fetchone()[0]


def test_two_users_edit_same_task_second_refused_nothing_lost(store_db):
    s, sd = store_db
    aid = sd.tasks[NOI_VU][0]
    with store.connect(s.app) as hoa, store.connect(s.app) as lan:
        seen_by_lan = store.tasks(lan, sd.ids["nv.lan"], Y, P)
        assert {t["action_id"] for t in seen_by_lan} == set(sd.tasks[NOI_VU])
        assert store.save_report(hoa, sd.ids["nv.hoa"], entry(aid, 0, pct=60, result="Hoa")) == 1
        with pytest.raises(store.StaleEdit) as err:
            store.save_report(lan, sd.ids["nv.lan"], entry(aid, 0, pct=30, result="Lan"))
        assert "based on version 0 but version 1 is current" in str(err.value)
        assert err.value.detail["result"] == "Hoa" and err.value.detail["percent_done"] == 60
        assert err.value.detail["user_name"] == "nv.hoa"
        # Lan re-bases her edit on what she was shown: both versions are kept
        assert store.save_report(lan, sd.ids["nv.lan"], entry(aid, 1, pct=30, result="Lan")) == 2
    with psycopg.connect(s.admin) as con:
        rows = con.execute("SELECT version, result, user_id FROM papi.report WHERE action_id = %s "
                           "ORDER BY version", (aid,)).fetchall()
    assert rows == [(1, "Hoa", sd.ids["nv.hoa"]), (2, "Lan", sd.ids["nv.lan"])]


def test_simultaneous_edits_one_wins_the_other_is_told(store_db):
    """Both transactions open at once: the second waits for the first and is then refused."""
    s, sd = store_db
    aid = sd.tasks[NOI_VU][1]
    outcome: dict[str, object] = {}
    with store.connect(s.app) as hoa, store.connect(s.app) as lan:
        with store.as_user(hoa, sd.ids["nv.hoa"]):
            hoa.execute("INSERT INTO papi.report (id, action_id, year, period, version, based_on, "
                        "status, reported_on, unit_id, user_id) VALUES (gen_random_uuid(), %s, "
                        "%s, %s, 1, 0, 'in_progress', '2026-07-01', 0, 0)", (aid, Y, P))

            def second() -> None:
                try:
                    outcome["v"] = store.save_report(lan, sd.ids["nv.lan"], entry(aid, 0))
                except store.StoreError as exc:
                    outcome["err"] = exc

            t = threading.Thread(target=second)
            t.start()
            time.sleep(0.5)
            assert t.is_alive(), "the second save must wait for the first transaction"
        t.join(10)
    assert isinstance(outcome.get("err"), store.StaleEdit), outcome
    assert count(s.admin, "SELECT count(*) FROM papi.report WHERE action_id = %s", aid) == 1


def test_reporter_forging_another_units_task_changes_nothing(store_db):
    s, sd = store_db
    other = sd.tasks[THANH_TRA][0]
    before = count(s.admin, "SELECT count(*) FROM papi.audit_log")
    with store.connect(s.app) as con:
        assert other not in {t["action_id"] for t in store.tasks(con, sd.ids["nv.hoa"], Y, P)}
        with pytest.raises(store.Forbidden) as err:
            store.save_report(con, sd.ids["nv.hoa"], entry(other, 0))
        assert f"task {other} is not a task of your unit: nothing saved" in str(err.value)
        # a raw INSERT naming the other unit and user is refused by the database too
        with pytest.raises(store.Forbidden), store.as_user(con, sd.ids["nv.hoa"]):
            con.execute("INSERT INTO papi.report (id, action_id, year, period, version, "
                        "based_on, status, reported_on, unit_id, user_id) VALUES "
                        "(gen_random_uuid(), %s, 2026, 'H1', 1, 0, 'overdue', '2026-07-01', "
                        "(SELECT unit_id FROM papi.action WHERE action_id = %s), %s)",
                        (other, other, sd.ids["tt.minh"]))
        # an approver of one unit cannot decide on the other's task either
        with pytest.raises(store.Forbidden):
            store.decide(con, sd.ids["nv.truong"], other, Y, P, 1, "approve")
    assert count(s.admin, "SELECT count(*) FROM papi.report WHERE action_id = %s", other) == 0
    assert count(s.admin, "SELECT count(*) FROM papi.approval") == 0
    assert count(s.admin, "SELECT count(*) FROM papi.audit_log") == before


def test_retry_is_a_no_op_and_replay_after_approval_is_refused(store_db):
    s, sd = store_db
    aid = sd.tasks[NOI_VU][0]
    e = entry(aid, 0)
    with store.connect(s.app) as con:
        assert store.save_report(con, sd.ids["nv.hoa"], e) == 1
        assert store.save_report(con, sd.ids["nv.hoa"], e) == 1  # network retry: same id
        assert count(s.admin, "SELECT count(*) FROM papi.report WHERE action_id = %s", aid) == 1
        store.decide(con, sd.ids["nv.truong"], aid, Y, P, 1, "approve")
        with pytest.raises(store.Locked, match="already approved: the replayed save is refused"):
            store.save_report(con, sd.ids["nv.hoa"], e)
        with pytest.raises(store.Locked, match="is approved"):
            store.save_report(con, sd.ids["nv.hoa"], entry(aid, 1, pct=90))
        with pytest.raises(store.Forbidden, match="may not do this"):  # a reporter cannot accept
            store.decide(con, sd.ids["nv.hoa"], aid, Y, P, 1, "accept")
        store.decide(con, sd.ids["vp.ubnd"], aid, Y, P, 1, "accept")
        with pytest.raises(store.Locked, match="accepted by the province office and is locked"):
            store.save_report(con, sd.ids["nv.hoa"], entry(aid, 1, pct=90))
        with pytest.raises(store.StoreError):  # reopening needs a reason (CHECK)
            store.decide(con, sd.ids["vp.ubnd"], aid, Y, P, 1, "reopen")
        store.decide(con, sd.ids["vp.ubnd"], aid, Y, P, 1, "reopen", "Thiếu minh chứng")
        assert store.save_report(con, sd.ids["nv.hoa"], entry(aid, 1, pct=90)) == 2
    assert count(s.admin, "SELECT count(*) FROM papi.report WHERE action_id = %s", aid) == 2


def test_connection_killed_mid_save_leaves_no_partial_row(store_db):
    s, sd = store_db
    aid = sd.tasks[NOI_VU][0]
    e = entry(aid, 0)
    started, failure = threading.Event(), {}
    con = store.connect(s.app)
    pid = con.info.backend_pid

    def save_two_tasks() -> None:  # one save of a unit's page: two tasks, one transaction
        try:
            with store.as_user(con, sd.ids["nv.hoa"]):
                con.execute("INSERT INTO papi.report (id, action_id, year, period, version, "
                            "based_on, status, reported_on, unit_id, user_id) VALUES (%s, %s, "
                            "2026, 'H1', 1, 0, 'in_progress', '2026-07-01', 0, 0)", (e.id, aid))
                started.set()
                con.execute("SELECT pg_sleep(30)")  # … still writing the second task
        except Exception as exc:  # noqa: BLE001
            failure["exc"] = exc

    t = threading.Thread(target=save_two_tasks)
    t.start()
    assert started.wait(10)
    with psycopg.connect(s.admin, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    t.join(20)
    con.close()
    assert failure, "the killed save must fail"
    assert count(s.admin, "SELECT count(*) FROM papi.report WHERE id = %s", e.id) == 0
    assert count(s.admin, "SELECT count(*) FROM papi.audit_log WHERE object_id = %s", e.id) == 0
    with store.connect(s.app) as again:  # the save can be made again afterwards
        assert store.save_report(again, sd.ids["nv.hoa"], e) == 1


@pytest.mark.parametrize("sql", [
    "UPDATE papi.audit_log SET detail = '{}'::jsonb",
    "DELETE FROM papi.audit_log",
    "TRUNCATE papi.audit_log",
    "INSERT INTO papi.audit_log (user_id, what, object_id, detail) VALUES (1, 'x', 'y', '{}')",
    "UPDATE papi.report SET percent_done = 100",
    "DELETE FROM papi.approval",
])
def test_app_role_cannot_change_audit_or_history(store_db, sql):
    s, sd = store_db
    with store.connect(s.app) as con:
        store.save_report(con, sd.ids["nv.hoa"], entry(sd.tasks[NOI_VU][0], 0))
        with pytest.raises(store.Forbidden, match="permission denied"), \
                store.as_user(con, sd.ids["nv.hoa"]):
            con.execute(sql)
    # not even the owner may rewrite the log: the trigger refuses
    with psycopg.connect(s.admin) as admin, pytest.raises(psycopg.errors.InsufficientPrivilege,
                                                          match="append-only"):
        admin.execute("UPDATE papi.audit_log SET what = 'rewritten'")
    assert count(s.admin, "SELECT count(*) FROM papi.audit_log WHERE what = 'report.insert'") == 1


def test_disabled_user_is_refused_at_the_next_action(store_db):
    s, sd = store_db
    aid = sd.tasks[THANH_TRA][0]
    with store.connect(s.app) as con:
        token = users.login(con, "tt.minh", PASSWORD)
        assert token and users.session_user(con, token) == sd.ids["tt.minh"]
        assert users.login(con, "tt.minh", "sai-mật-khẩu") is None
        store.save_report(con, sd.ids["tt.minh"], entry(aid, 0))
        with psycopg.connect(s.admin) as admin:
            assert users.disable_user(admin, "tt.minh")
        with pytest.raises(store.NotSignedIn, match="tt.minh is disabled"):
            store.save_report(con, sd.ids["tt.minh"], entry(aid, 1))
        assert users.session_user(con, token) is None
        assert users.login(con, "tt.minh", PASSWORD) is None
        assert store.tasks(con, sd.ids["tt.minh"], Y, P) == []  # sees nothing any more


def test_expired_session_is_refused(store_db):
    from datetime import timedelta

    s, sd = store_db
    with store.connect(s.app) as con:
        token = users.login(con, "nv.hoa", PASSWORD, ttl=timedelta(seconds=1))
        assert users.session_user(con, token) == sd.ids["nv.hoa"]
        time.sleep(1.2)
        assert users.session_user(con, token) is None


def test_end_user_in_every_row_and_audit_entry(store_db):
    s, sd = store_db
    aid = sd.tasks[NOI_VU][0]
    with store.connect(s.app) as con:
        store.save_report(con, sd.ids["nv.hoa"], entry(aid, 0))
        store.decide(con, sd.ids["nv.truong"], aid, Y, P, 1, "return", "Bổ sung minh chứng")
    with psycopg.connect(s.admin) as admin:
        assert admin.execute("SELECT user_id FROM papi.report").fetchall() == [(sd.ids["nv.hoa"],)]
        assert admin.execute("SELECT user_id, reason FROM papi.approval").fetchall() == [
            (sd.ids["nv.truong"], "Bổ sung minh chứng")]
        audit = admin.execute("SELECT what, user_id, db_user FROM papi.audit_log WHERE what IN "
                              "('report.insert', 'approval.insert') ORDER BY id").fetchall()
    assert audit == [("report.insert", sd.ids["nv.hoa"], "papi_app"),
                     ("approval.insert", sd.ids["nv.truong"], "papi_app")]


def test_rls_is_forced_and_the_app_role_owns_nothing(store_db):
    s, _ = store_db
    with psycopg.connect(s.admin) as admin:
        tables = admin.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'papi' AND c.relkind = 'r' ORDER BY 1").fetchall()
        role = admin.execute("SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE "
                             "rolname = 'papi_app'").fetchone()
    assert len(tables) == 9  # 001's eight and 002's plan_correction
    assert all(rls and forced and owner != "papi_app" for _, rls, forced, owner in tables), tables
    assert role == (False, False, False)


def test_migrations_apply_once(store_db):
    s, _ = store_db
    assert migrate.apply(s.admin) == []
    with psycopg.connect(s.admin) as admin:
        done = admin.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    assert done == [("001_store",), ("002_plans_in_app",), ("003_oidc",)]


def test_the_end_user_lasts_one_transaction(store_db):
    s, sd = store_db
    with store.connect(s.app) as con:
        store.save_report(con, sd.ids["nv.hoa"], entry(sd.tasks[NOI_VU][0], 0))
        with con.transaction():  # the next transaction, no user set: sees and writes nothing
            assert con.execute("SELECT count(*) AS n FROM papi.action").fetchone()["n"] == 0
            assert con.execute("SELECT count(*) AS n FROM papi.report").fetchone()["n"] == 0
        with pytest.raises(psycopg.errors.InvalidAuthorizationSpecification,
                           match="no signed-in user"), con.transaction():
            con.execute("INSERT INTO papi.report (id, action_id, year, period, version, based_on, "
                        "status, reported_on, unit_id, user_id) VALUES (gen_random_uuid(), %s, "
                        "2026, 'H1', 1, 0, 'overdue', '2026-07-01', 0, 0)", (sd.tasks[NOI_VU][1],))
