"""A report made in the app (saved, approved, accepted in the write store) appears on the task
tracker after `papi db refresh`: status, % done and report date as saved, and the overdue count."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import psycopg
from plan_docs import ROWS, write_docx
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from etl.demo import write_demo_scores
from etl.paths import PROJECT_ROOT
from etl.pg import bridge, cli, users
from etl.pg import store as wstore
from etl.pg.store import Entry
from tests import shown_tables

APP = str(PROJECT_ROOT / "dashboard" / "app.py")


def _refresh(raw: Path, wh: Path) -> int:
    """`papi db refresh --input RAW --db WH` (its function, as the command calls it)."""
    return cli._db_refresh(argparse.Namespace(dir=None, db=wh, input=[raw], keep_going=False))


def test_an_accepted_report_shows_on_the_tracker_after_the_refresh(store, tmp_path, monkeypatch):
    from etl.steps.warehouse import build

    monkeypatch.setenv("PAPI_TODAY", "2026-12-01")
    monkeypatch.setenv("PAPI_PG", store.admin)
    raw = tmp_path / "raw"
    raw.mkdir()
    write_docx(raw / "ke-hoach-240.docx")
    write_demo_scores(raw / "papi-scores.csv")  # the app opens only a warehouse with scores
    wh = tmp_path / "papi.duckdb"
    build([raw], wh, progress=False)
    with psycopg.connect(store.admin) as admin:
        bridge.load_plans(admin, wh)
        uid = {n: users.add_user(admin, n, "mật-khẩu-đủ-dài", "25", u, r) for n, u, r in [
            ("nv.hoa", "Sở Nội vụ", "reporter"), ("nv.truong", "Sở Nội vụ", "approver"),
            ("vp", None, "province_office")]}
    with wstore.connect(store.app) as con:
        a1, a2 = (x["action_id"] for x in wstore.tasks(con, uid["nv.hoa"], 2026, "FY"))
        wstore.save_report(con, uid["nv.hoa"], Entry(a1, 2026, "FY", 0, "done_on_time", 100,
                                                         "Đã ban hành hướng dẫn", None,
                                                         date(2026, 6, 20)))
        wstore.save_report(con, uid["nv.hoa"], Entry(a2, 2026, "FY", 0, "overdue", 40,
                                                         "Mới công khai ở 4/10 thôn", None,
                                                         date(2026, 11, 15)))
        for aid in (a1, a2):
            wstore.decide(con, uid["nv.truong"], aid, 2026, "FY", 1, "approve")
            wstore.decide(con, uid["vp"], aid, 2026, "FY", 1, "accept")
    assert _refresh(raw, wh) == 0

    monkeypatch.setenv("PAPI_DB", str(wh))
    monkeypatch.delenv("PAPI_PG")  # the tracker reads the refreshed warehouse, no sign-in
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in {"province": "25", "vintage": "34", "year": "2025", "tyear": "2026"}.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("app_pages/tasks.py").run()
    assert not at.exception, [e.value for e in at.exception]
    [table] = [d for d in shown_tables.tables(at) if t("col_action") in d.columns]
    rows = {r[t("col_action")]: r for _, r in table.iterrows()}
    done, late = rows[ROWS[1][1]], rows[ROWS[3][1]]
    assert (done[t("col_status")], done[t("col_percent")], done[t("col_reported")]) == (
        "Hoàn thành đúng hạn", "100", "20/06/2026")
    assert (late[t("col_status")], late[t("col_percent")], late[t("col_reported")]) == (
        "Quá hạn chưa hoàn thành", "40", "15/11/2026")
    shown = {m.label: m.value for m in at.metric}
    overdue = [r for r in rows.values() if r[t("col_status")] == "Quá hạn chưa hoàn thành"]
    # the report saved overdue, and the two unreported tasks whose deadline passed by 01/12/2026
    assert shown["Quá hạn"] == str(len(overdue)) == "3"
    assert shown[t("last_report")] == "15/11/2026"

