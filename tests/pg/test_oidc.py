"""Sign-in through the province's identity provider (st.login) without one: the mapping of an
OIDC user to a local account, `papi users add --oidc`, and the sign-in page's offer/refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from etl.paths import PROJECT_ROOT
from etl.pg import store, users

APP = str(PROJECT_ROOT / "dashboard" / "app.py")
PERSON = {"is_logged_in": True, "email": "Minh.Tran@PhuTho.gov.vn", "sub": "f3c1-77aa",
          "name": "Trần Văn Minh"}


def papi(*args: str, env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "papi.cli", *args], input=stdin, text=True,
                          capture_output=True, timeout=180, env={**os.environ, **env},
                          check=False)


def test_an_oidc_user_is_known_by_email_first_then_subject():
    assert users.oidc_candidates(PERSON) == ["minh.tran@phutho.gov.vn", "f3c1-77aa"]
    assert users.oidc_candidates({"is_logged_in": True, "sub": " f3c1-77aa "}) == ["f3c1-77aa"]
    assert users.oidc_candidates({"is_logged_in": True, "email": "", "sub": None}) == []
    unverified = {**PERSON, "email_verified": False}  # anyone may type that address at the IdP
    assert users.oidc_candidates(unverified) == ["f3c1-77aa"]


def test_users_add_oidc_links_an_account_and_unknown_or_disabled_subjects_are_refused(store):
    env = {"PAPI_PG": store.admin}
    ok = papi("users", "add", "vp.minh", "--province", "25", "--role", "province_office",
              "--oidc", "Minh.Tran@PhuTho.gov.vn", env=env)  # no password: provider only
    assert ok.returncode == 0, ok.stderr
    assert "OIDC minh.tran@phutho.gov.vn" in ok.stdout
    dup = papi("users", "add", "vp.khac", "--province", "25", "--role", "province_office", "--oidc",
               "minh.tran@phutho.gov.vn", env=env)
    assert dup.returncode == 2 and "đã gắn với người dùng khác" in dup.stderr
    nothing = papi("users", "add", "vp.x", "--province", "25", "--role", "province_office", env=env)
    assert nothing.returncode == 2 and "ít nhất 8 ký tự" in nothing.stderr
    with psycopg.connect(store.admin) as con:
        uid, stored = con.execute("SELECT id, password_hash FROM papi.app_user WHERE name = "
                                  "'vp.minh'").fetchone()
    assert stored.startswith("$argon2id$")
    with store_con(store) as con:
        token = users.login_oidc(con, PERSON)
        assert token and users.session_user(con, token) == uid
        by_sub = users.login_oidc(con, {"is_logged_in": True, "sub": "f3c1-77aa"})
        assert by_sub is None  # linked by e-mail, so the bare subject is someone unknown
        assert users.login_oidc(con, {"is_logged_in": True, "email": "ai.do@phutho.gov.vn"}) is None
        assert users.login(con, "vp.minh", "") is None  # no password sign-in for it
        off = papi("users", "disable", "vp.minh", env=env)
        assert off.returncode == 0, off.stderr
        assert users.session_user(con, token) is None
        assert users.login_oidc(con, PERSON) is None


def store_con(s):
    return store.connect(s.app)


@pytest.fixture
def env(store, demo_db: Path, monkeypatch):
    monkeypatch.setenv("PAPI_DB", str(demo_db))
    monkeypatch.setenv("PAPI_PG", store.admin)
    monkeypatch.delenv("PAPI_PG_APP", raising=False)
    with psycopg.connect(store.admin) as con:
        users.add_user(con, "vp.minh", None, "25", None, "province_office",
                       oidc="minh.tran@phutho.gov.vn")
    return store


def _app(secrets: bool) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if secrets:  # a Keycloak of the province, as in .streamlit/secrets.toml
        at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                              "cookie_secret": "x" * 32, "client_id": "papi",
                              "client_secret": "s", "server_metadata_url": "http://kc.invalid/"
                              "realms/phutho/.well-known/openid-configuration"}
    at.query_params["lang"] = "vi"
    return at


def test_sign_in_page_offers_the_province_account_only_when_configured(env, monkeypatch):
    plain = _app(False).run()
    assert not plain.exception and plain.title[0].value == "Đăng nhập"
    assert "Đăng nhập bằng tài khoản của tỉnh" not in [b.label for b in plain.button]
    offer = _app(True).run()
    assert not offer.exception, [e.value for e in offer.exception]
    assert "Đăng nhập bằng tài khoản của tỉnh" in [b.label for b in offer.button]

    # as if the provider had signed this person in (no network: st.user is replaced)
    monkeypatch.setattr(auth, "_oidc_user", lambda: {**PERSON, "email": "ai.do@phutho.gov.vn"})
    stranger = _app(True).run()
    assert not stranger.exception, [e.value for e in stranger.exception]
    msg = stranger.error[0].value
    assert msg.startswith("Tài khoản ai.do@phutho.gov.vn, f3c1-77aa của hệ thống đăng nhập tỉnh "
                          "chưa được gắn") and "--oidc" in msg
    assert "mu_token" not in stranger.session_state
    monkeypatch.setattr(auth, "_oidc_user", lambda: PERSON)
    known = _app(True).run()
    assert not known.exception, [e.value for e in known.exception]
    assert known.session_state["mu_user"]["name"] == "vp.minh"
