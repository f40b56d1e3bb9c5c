"""Plans loaded and corrected in the app: stored with their author by the database, corrections
append-only rows, and `papi db refresh` carrying them into the marts as corrected actions."""

from __future__ import annotations

import argparse
from datetime import date

import duckdb
import psycopg
import pytest
from pg_seed import NOI_VU, PROVINCE
from plan_docs import ROWS, write_docx

from etl.pg import bridge, cli, users
from etl.pg import store as wstore
from etl.plans.parse import parse_plan


def _plan(tmp_path):
    return parse_plan(write_docx(tmp_path / "ke-hoach-240.docx"))


def test_a_plan_stored_in_the_app_records_its_author_and_only_the_office_may(store_db, tmp_path):
    s, sd = store_db
    head, acts = bridge.plan_rows(_plan(tmp_path))
    with wstore.connect(s.app) as con:
        with pytest.raises(wstore.Forbidden):  # a department's reporter may not load plans
            wstore.save_plan(con, sd.ids["nv.hoa"], head, acts)
        assert wstore.save_plan(con, sd.ids["vp.ubnd"], head, acts) == 6
        with pytest.raises(wstore.StoreError, match="already stored"):
            wstore.save_plan(con, sd.ids["vp.ubnd"], head, acts)
        with pytest.raises(wstore.Forbidden, match="not of yours"):
            wstore.save_plan(con, sd.ids["vp.ubnd"], {**head, "plan_id": "X", "province_code": "01"},
                             acts)
    with psycopg.connect(s.admin) as con:
        assert con.execute("SELECT loaded_by, loaded_by_user FROM papi.plan WHERE plan_id = %s",
                           (head["plan_id"],)).fetchone() == ("vp.ubnd", sd.ids["vp.ubnd"])
        audit = con.execute("SELECT what, user_id FROM papi.audit_log WHERE object_id = %s",
                            (head["plan_id"],)).fetchall()
        assert audit == [("plan.insert", sd.ids["vp.ubnd"])]
        units = dict(con.execute("SELECT a.lead_unit, u.name FROM papi.action a JOIN papi.unit u "
                                 "ON u.id = a.unit_id WHERE plan_id = %s", (head["plan_id"],)
                                 ).fetchall())
    assert units["Sở Nội vụ"] == NOI_VU and units["Thanh tra tỉnh"] == "Thanh tra tỉnh"


def test_corrections_are_rows_with_author_and_time_that_the_app_cannot_rewrite(store_db):
    s, sd = store_db
    aid = sd.tasks[NOI_VU][0]
    fix = wstore.Fix(aid, "D2", "Sở Nội vụ; Sở Tài chính", None, "30/09/2026", "đọc sai lĩnh vực")
    with wstore.connect(s.app) as con:
        with pytest.raises(wstore.Forbidden):
            wstore.correct_action(con, sd.ids["nv.truong"], fix)  # an approver may not
        wstore.correct_action(con, sd.ids["vp.ubnd"], fix)
        wstore.correct_action(con, sd.ids["vp.ubnd"], fix)  # a retry: a no-op
        later = wstore.Fix(aid, "D3", "Sở Nội vụ", None, None)
        wstore.correct_action(con, sd.ids["vp.ubnd"], later)
        [now] = [a for a in wstore.plan_actions(con, sd.ids["vp.ubnd"], "KH-25-2026")
                 if a["action_id"] == aid]  # each field's latest value: the deadline stays
        assert (now["dimension"], now["lead_units"], now["deadline"], now["corrected_by"]) == (
            "D3", "Sở Nội vụ", "30/09/2026", "vp.ubnd")
    app = psycopg.connect(s.app, autocommit=True)
    try:
        for sql in ("UPDATE papi.plan_correction SET dimension = 'D8'",
                    "DELETE FROM papi.plan_correction", "TRUNCATE papi.plan_correction",
                    "UPDATE papi.plan SET loaded_by = 'x'", "DELETE FROM papi.audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(sql)
    finally:
        app.close()
    with psycopg.connect(s.admin) as con:
        rows = con.execute("SELECT dimension, user_id, created_at IS NOT NULL FROM "
                           "papi.plan_correction ORDER BY seq").fetchall()
        assert rows == [("D2", sd.ids["vp.ubnd"], True), ("D3", sd.ids["vp.ubnd"], True)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            con.execute("UPDATE papi.plan_correction SET dimension = 'D8'")
        con.rollback()
        who = con.execute("SELECT user_id FROM papi.audit_log WHERE what = "
                          "'plan_correction.insert'").fetchall()
    assert who == [(sd.ids["vp.ubnd"],), (sd.ids["vp.ubnd"],)]


def test_refresh_carries_the_app_corrections_into_the_marts(store, tmp_path, monkeypatch):

    monkeypatch.setenv("PAPI_TODAY", "2026-12-01")
    monkeypatch.setenv("PAPI_PG", store.admin)
    raw = tmp_path / "raw"
    raw.mkdir()
    plan = parse_plan(write_docx(raw / "ke-hoach-240.docx"))
    with psycopg.connect(store.admin) as admin:
        office = users.add_user(admin, "vp", "mật-khẩu-đủ-dài", PROVINCE, None, "province_office")
    head, acts = bridge.plan_rows(plan)
    first = plan.action_id(plan.actions[0])
    with wstore.connect(store.app) as con:
        wstore.save_plan(con, office, head, acts)
        wstore.correct_action(con, office, wstore.Fix(first, "D3", "Sở Tài chính",
                                                      "UBND các xã, phường", "31/10/2026"))
    wh = tmp_path / "papi.duckdb"
    code = cli._db_refresh(argparse.Namespace(dir=None, db=wh, input=[raw], keep_going=False))
    assert code == 0
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = con.execute("SELECT action_id, dimension_code, lead_units, coordinating_units, "
                           "due_on, is_corrected FROM mart.action ORDER BY action_id").fetchall()
    finally:
        con.close()
    assert rows[0] == (first, "D3", ["Sở Tài chính"], ["UBND các xã, phường"],
                       date(2026, 10, 31), True)
    assert rows[1][1:] == ("D2", ["Sở Nội vụ"], ["UBND các xã, phường"], date(2026, 6, 30), False)
    assert ROWS[1][1] == plan.actions[0].text
