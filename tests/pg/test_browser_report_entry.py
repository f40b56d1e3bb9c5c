"""In a real chromium: two units sign in and each sees only its own tasks; a session survives a
reload; a save shows up as the new version; a disabled user is sent back to the sign-in form."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from pg_seed import NOI_VU, PASSWORD, THANH_TRA, seed

from etl.paths import PROJECT_ROOT
from etl.pg import users

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app(store, demo_db: Path, tmp_path: Path):
    """The app in multi-user mode on the test's store, served on loopback; stopped by its pid."""
    sd = seed(store.admin)
    port = _free_port()
    env = {**os.environ, "PAPI_DB": str(demo_db), "PAPI_MULTIUSER": "1", "PAPI_PG": store.admin}
    log = tmp_path / "streamlit.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log.read_text()[-2000:]
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.5)
        yield base, sd, store.admin
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _sign_in(browser, base: str, name: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(base)
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text(f"{name} — ").first.wait_for()  # signed in: the sidebar names the user
    assert "s=" not in page.url  # the token is in a cookie, never in the link
    # the cookie is written by a script in the signed-in page: reconnect only once it ran
    page.wait_for_function("() => document.cookie.includes('papi_session=')")
    page.goto(f"{base}/report")  # a new connection: signed in again from the cookie
    page.get_by_text("Báo cáo nhiệm vụ").first.wait_for()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["papi_session"]["sameSite"] == "Strict"
    return page, cookies["papi_session"]["value"]


def _task_ids(page) -> set[str]:
    """The task ids on the page once Streamlit has finished the run."""
    page.locator("[data-testid='stExpander']").first.wait_for()
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    heads = page.locator("[data-testid='stExpander'] summary").all_inner_texts()
    return {m for h in heads for m in re.findall(r"KH-\d+-\d+-A\d+", h)}


def test_two_units_each_see_only_their_tasks_and_disabling_applies_at_once(app, browser):
    base, sd, admin = app
    hoa, _ = _sign_in(browser, base, "nv.hoa")
    minh, _ = _sign_in(browser, base, "tt.minh")
    assert _task_ids(hoa) == set(sd.tasks[NOI_VU])
    assert _task_ids(minh) == set(sd.tasks[THANH_TRA])

    hoa.reload()  # the session survives a reload
    assert _task_ids(hoa) == set(sd.tasks[NOI_VU])
    form = hoa.locator("[data-testid='stForm']").first
    form.get_by_label("Kết quả").fill("Đã ban hành văn bản hướng dẫn")
    form.get_by_role("button", name="Lưu báo cáo").click()
    hoa.get_by_text("Phiên bản 1, lưu bởi nv.hoa").wait_for()

    with psycopg.connect(admin) as con:
        users.disable_user(con, "tt.minh")
        assert con.execute("SELECT result, user_id FROM papi.report").fetchall() == [
            ("Đã ban hành văn bản hướng dẫn", sd.ids["nv.hoa"])]
    minh.reload()
    minh.get_by_text("Phiên làm việc đã hết hạn hoặc tài khoản đã bị khóa").wait_for()
    minh.get_by_label("Tên đăng nhập").wait_for()
    minh.wait_for_function("() => !document.cookie.includes('papi_session=')")  # cleared

