"""The plans section of the report-entry page through AppTest: the province office uploads a
plan (the review table first, stored on confirm with its author) and corrects a task."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pg_seed import PASSWORD
from plan_docs import ROWS, write_docx
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


def _page(s, name: str) -> AppTest:
    with store.connect(s.app) as con:
        token = users.login(con, name, PASSWORD)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["mu_token"] = token
    at.query_params["lang"] = "vi"
    at.run()
    at.switch_page("app_pages/report_entry.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _click(at: AppTest, label: str) -> None:
    buttons = [*getattr(at, "form_submit_button", []), *at.button]
    next(b for b in buttons if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_office_uploads_a_plan_sees_the_review_table_stores_it_and_corrects_a_task(env, tmp_path):
    s, sd = env
    assert not [u for u in _page(s, "nv.hoa").file_uploader]  # a reporter has no plans section
    at = _page(s, "vp.ubnd")
    doc = write_docx(tmp_path / "Kế hoạch 240.docx").read_bytes()
    at.file_uploader(key="mu_plan_file").set_value(("Kế hoạch 240.docx", doc, "application/"
                                                    "vnd.openxmlformats-officedocument."
                                                    "wordprocessingml.document")).run()
    assert not at.exception, [e.value for e in at.exception]
    [review] = [d.value for d in at.dataframe if "Nghi vấn" in d.value.columns]
    assert list(review.columns) == ["STT", "Nhiệm vụ", "Lĩnh vực", "Chủ trì (cách nhau bởi ;)",
                                    "Phối hợp (cách nhau bởi ;)", "Hạn", "Nghi vấn"]
    assert review.iloc[0].tolist() == [1, ROWS[1][1], "D1", "Sở Nội vụ",
                                       "UBND các xã, phường; Sở Tài chính", "30/06/2026", "–"]
    assert review.iloc[3][["Hạn"]].tolist() == ["thường xuyên"]
    with psycopg.connect(s.admin) as con:  # nothing stored before the confirmation
        assert con.execute("SELECT count(*) FROM papi.plan").fetchone() == (1,)
    _click(at, "Lưu kế hoạch")
    assert any("6 nhiệm vụ, người nạp vp.ubnd" in x.value for x in at.success), [
        x.value for x in at.error]
    with psycopg.connect(s.admin) as con:
        pid, who = con.execute("SELECT plan_id, loaded_by_user FROM papi.plan WHERE number = "
                               "'240/KH-UBND' AND plan_id <> 'KH-25-2026'").fetchone()
    assert who == sd.ids["vp.ubnd"]

    box = at.selectbox(key="mu_fix_plan")
    box.select_index(next(i for i, o in enumerate(box.options) if o.endswith(pid))).run()
    aid = f"{pid}-A01"
    at.text_input(key=f"fdl_{aid}").set_value("Quý 13/2026")
    _click(at, "Lưu hiệu chỉnh")
    assert any("Không đọc được hạn 'Quý 13/2026'" in x.value for x in at.error)
    at.text_input(key=f"fdl_{aid}").set_value("30/06/2026")  # as read: nothing to store
    _click(at, "Lưu hiệu chỉnh")
    assert any("Chưa thay đổi gì" in x.value for x in at.info)
    at.selectbox(key=f"fd_{aid}").set_value("D3")
    at.text_input(key=f"fdl_{aid}").set_value("31/10/2026")
    _click(at, "Lưu hiệu chỉnh")
    assert any("người sửa vp.ubnd" in x.value for x in at.success)
    with psycopg.connect(s.admin) as con:
        assert con.execute("SELECT action_id, dimension, lead_units, deadline, user_id FROM "
                           "papi.plan_correction").fetchall() == [
            (aid, "D3", None, "31/10/2026", sd.ids["vp.ubnd"])]  # the lead was not changed
