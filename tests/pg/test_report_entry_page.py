"""The sign-in and report-entry pages through AppTest (the real app script) on a test store:
a reporter saves, a stale save is told the newer value, an approver returns with a reason and
approves, the province office accepts and reopens; Vietnamese first, English on switch."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from pg_seed import NOI_VU, PASSWORD
from streamlit.testing.v1 import AppTest

from etl.paths import PROJECT_ROOT
from etl.pg import store, users

APP = str(PROJECT_ROOT / "dashboard" / "app.py")


@pytest.fixture
def env(store_db, demo_db: Path, monkeypatch):
    s, sd = store_db
    monkeypatch.setenv("PAPI_DB", str(demo_db))
    monkeypatch.setenv("PAPI_PG", s.admin)
    monkeypatch.delenv("PAPI_PG_APP", raising=False)
    return s, sd


def _page(token: str | None, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if token:  # as if read from the session cookie
        at.session_state["mu_token"] = token
    at.query_params["lang"] = lang
    at.run()
    if token:
        at.switch_page("app_pages/report_entry.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _token(s, name: str) -> str:
    with store.connect(s.app) as con:
        token = users.login(con, name, PASSWORD)
    assert token
    return token


def _rows(s, sql: str) -> list[tuple]:
    with psycopg.connect(s.admin) as con:
        return con.execute(sql).fetchall()


def test_sign_in_form_in_vietnamese_then_english_and_a_wrong_password(env):
    at = _page(None)
    assert at.title and at.title[0].value == "Đăng nhập", ([e.value for e in at.exception], [e.value for e in at.error], [w.value for w in at.warning])
    at.text_input(key="mu_name").set_value("nv.hoa")
    at.text_input(key="mu_password").set_value("sai-mật-khẩu")
    at.button[0].click().run()
    assert "Sai tên đăng nhập hoặc mật khẩu" in at.error[0].value
    assert "mu_token" not in at.session_state
    at.text_input(key="mu_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["mu_token"] and at.session_state["mu_user"]["name"] == "nv.hoa"
    assert _page(None, "en").title[0].value == "Sign in"


def test_reporter_saves_and_a_stale_save_is_told_the_newer_value(env):
    s, sd = env
    hoa, lan = _page(_token(s, "nv.hoa")), _page(_token(s, "nv.lan"))
    assert at_heads(hoa) == sd.tasks[NOI_VU]
    hoa.text_area[0].set_value("Đã ban hành hướng dẫn")
    _submit(hoa)
    assert "Đã lưu phiên bản 1." in [x.value for x in hoa.success]
    assert _rows(s, "SELECT result, version, user_id FROM papi.report") == [
        ("Đã ban hành hướng dẫn", 1, sd.ids["nv.hoa"])]
    lan.text_area[0].set_value("Bản của Lan")
    _submit(lan)
    err = lan.error[0].value
    assert "Người khác đã lưu phiên bản mới hơn (1, nv.hoa)" in err and "Đã ban hành" in err
    assert _rows(s, "SELECT count(*) FROM papi.report") == [(1,)]
    assert lan.text_area[0].value == "Bản của Lan"  # her text is still in the form
    _submit(lan)  # saved again after seeing the newer value: re-based on it, nothing lost
    assert _rows(s, "SELECT result, version, user_id FROM papi.report ORDER BY version") == [
        ("Đã ban hành hướng dẫn", 1, sd.ids["nv.hoa"]), ("Bản của Lan", 2, sd.ids["nv.lan"])]


def test_approver_returns_with_a_reason_approves_office_accepts_and_reopens(env):
    s, sd = env
    aid = sd.tasks[NOI_VU][0]
    with store.connect(s.app) as con:
        store.save_report(con, sd.ids["nv.hoa"], store.Entry(aid, 2026, "H1", 0,
                                                             "in_progress", 20, "r", None,
                                                             date(2026, 7, 1)))
    boss = _page(_token(s, "nv.truong"))
    _click(boss, "Trả lại")
    assert "Hãy ghi lý do." in [w.value for w in boss.warning]
    assert _rows(s, "SELECT count(*) FROM papi.approval") == [(0,)]
    _reason(boss).set_value("Thiếu minh chứng")
    _click(boss, "Trả lại")
    _click(boss, "Phê duyệt")
    office = _page(_token(s, "vp.ubnd"))
    _click(office, "Chấp nhận")
    _reason(office).set_value("Sai số liệu")
    _click(office, "Mở lại")
    assert _rows(s, "SELECT kind, reason, user_id FROM papi.approval ORDER BY seq") == [
        ("return", "Thiếu minh chứng", sd.ids["nv.truong"]), ("approve", None, sd.ids["nv.truong"]),
        ("accept", None, sd.ids["vp.ubnd"]), ("reopen", "Sai số liệu", sd.ids["vp.ubnd"])]


def at_heads(at: AppTest) -> list[str]:
    return sorted(e.label.split(" — ")[0] for e in at.expander)


def _submit(at: AppTest) -> None:
    buttons = [*getattr(at, "form_submit_button", []), *at.button]
    next(b for b in buttons if b.label == "Lưu báo cáo").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def _reason(at: AppTest):
    return next(w for w in at.text_input if w.label.startswith("Lý do"))


def test_a_decision_made_meanwhile_elsewhere_is_refused_in_vietnamese(env):
    s, sd = env
    aid, year = sd.tasks[NOI_VU][0], 2026
    with store.connect(s.app) as con:
        store.save_report(con, sd.ids["nv.hoa"], store.Entry(aid, year, "H1", 0, "in_progress", 20,
                                                             "r", None, date(2026, 7, 1)))
    boss = _page(_token(s, "nv.truong"))  # shows the task awaiting approval
    with store.connect(s.app) as con:  # … approved meanwhile in another tab
        store.decide(con, sd.ids["nv.truong"], aid, year, "H1", 1, "approve")
    _click(boss, "Phê duyệt")
    assert any("Không lưu được: nhiệm vụ đã được phê duyệt hoặc chấp nhận nên đang khóa" in e.value
               for e in boss.error), [e.value for e in boss.error]
    assert _rows(s, "SELECT count(*) FROM papi.approval") == [(1,)]
