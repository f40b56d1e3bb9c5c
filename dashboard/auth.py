"""Multi-user mode: sign-in against the write store, the session token in the URL, its strings."""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator

import streamlit as st

from dashboard.i18n import t

LOG = logging.getLogger("papi.dashboard.auth")
USER_KEY = "mu_user"  # this run's signed-in user, set from the database on every run
# The session token lives in a cookie (kept out of links, history and Referer): it survives a
# reload and reaches any replica; only its hash is stored, in the database, with an expiry.
COOKIE = "papi_session"
TOKEN_KEY = "mu_token"  # this browser session's token until the next connection reads the cookie
COOKIE_KEY = "mu_cookie"  # a cookie to write (a token) or clear ("") on this run
LEFT_KEY = "mu_left"  # the token this browser session signed out of



def enabled() -> bool:
    """Multi-user mode: env PAPI_MULTIUSER=1 or a PostgreSQL connection in PAPI_PG."""
    return os.environ.get("PAPI_MULTIUSER") == "1" or bool(os.environ.get("PAPI_PG"))


@contextlib.contextmanager
def db() -> Iterator:
    """A connection as the app's role (papi_app) for this script run; closed after it."""
    from etl.pg import db as pg_db
    from etl.pg import store

    con = store.connect(pg_db.app_dsn())
    try:
        yield con
    finally:
        con.close()


def signed_in(lang: str) -> dict | None:
    """The signed-in user (id, name, role, unit, province_code) or None after showing the
    sign-in form. Checked against the database on every run: expiry and disabling apply at once."""
    from etl.pg import store, users

    _write_cookie()
    cookie = _cookie()
    if cookie and cookie == st.session_state.get(LEFT_KEY):
        cookie = None  # signed out in this browser session: the cookie read at connection is stale
    token = st.session_state.get(TOKEN_KEY) or cookie
    try:
        with db() as con:
            uid = users.session_user(con, token)
            me = store.me(con, uid) if uid is not None else None
    except Exception as exc:  # noqa: BLE001 - a missing database is a message, not a traceback
        ref = uuid.uuid4().hex[:8]
        LOG.error("write store unreachable (ref %s)", ref, exc_info=exc)
        st.error(t("mu_no_store", lang, ref=ref))
        return None
    if me is not None:
        me["token"] = token
        st.session_state[USER_KEY] = me
        _sidebar(me, lang)
        return me
    signed_out()
    if token:
        st.warning(t("mu_expired", lang))
        _write_cookie()
    if oidc_configured() and _oidc_user() is not None and _oidc_session(lang):
        st.rerun()
    _login_form(lang)
    return None


def oidc_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section (the province's OIDC provider)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: local accounts only
        return False


def _oidc_user() -> dict | None:
    """The person signed in at the identity provider in this browser (st.user), if any."""
    try:
        user = st.user.to_dict()
    except Exception:  # noqa: BLE001 - no provider configured or no browser session
        return None
    return user if user.get("is_logged_in") else None


def _oidc_session(lang: str) -> bool:
    """Open a session for the local account linked to the OIDC user; refuse an unknown one."""
    from etl.pg import users

    user = _oidc_user() or {}
    with db() as con:
        token = users.login_oidc(con, user)
    if token is None:
        who = ", ".join(users.oidc_candidates(user)) or "?"
        st.error(t("mu_oidc_unknown", lang, who=who))
        if st.button(t("mu_oidc_logout", lang), key="mu_oidc_logout"):
            st.logout()
        return False
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_KEY] = token
    return True


def _cookie() -> str | None:
    """The session cookie the browser sent when it connected (None outside a browser)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None


def signed_out() -> None:
    """Forget this browser's session here and in its cookie (written on the next output)."""
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(TOKEN_KEY, None)
    if _cookie():
        st.session_state[COOKIE_KEY] = ""


def _write_cookie() -> None:
    """Set or clear the session cookie in the browser (SameSite=Strict; Secure over https)."""
    if COOKIE_KEY not in st.session_state:
        return
    from etl.pg.users import SESSION_TTL

    token = st.session_state.pop(COOKIE_KEY)
    age = int(SESSION_TTL.total_seconds()) if token else 0
    if not all(c.isalnum() or c in "-_" for c in token):
        return  # our tokens are URL-safe base64: anything else is never written into a script
    with st.sidebar:
        st.html(f"<script>document.cookie = '{COOKIE}={token}; path=/; max-age={age}; "
                "SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');</script>",
                unsafe_allow_javascript=True)


def _sidebar(me: dict, lang: str) -> None:
    st.sidebar.caption(t("mu_signed_in", lang, name=me["name"], unit=me["unit"],
                         role=t(f"mu_role_{me['role']}", lang)))
    if st.sidebar.button(t("mu_logout", lang), key="mu_logout"):
        from etl.pg import users

        with db() as con:
            users.logout(con, me["token"])
        signed_out()
        st.session_state[COOKIE_KEY] = ""
        st.session_state[LEFT_KEY] = me["token"]
        if _oidc_user() is not None:
            st.logout()  # and at the province's provider, or the next run signs in again
        st.rerun()


def _login_form(lang: str) -> None:
    from etl.pg import users

    st.title(t("mu_login_title", lang))
    st.caption(t("mu_login_intro", lang))
    with st.form("mu_login_form"):
        name = st.text_input(t("mu_name", lang), key="mu_name")
        password = st.text_input(t("mu_password", lang), type="password", key="mu_password")
        go = st.form_submit_button(t("mu_login", lang))
    if oidc_configured() and _oidc_user() is None:
        st.button(t("mu_oidc_login", lang), key="mu_oidc_login", on_click=st.login)
    if go:
        with db() as con:
            token = users.login(con, name.strip(), password)
        if token is None:
            st.error(t("mu_bad_login", lang))
            return
        st.session_state[TOKEN_KEY] = token
        st.session_state[COOKIE_KEY] = token
        st.rerun()


def page() -> st.Page:
    """The report-entry page, registered by app.py in multi-user mode."""
    return st.Page("app_pages/report_entry.py", title=t("page_report_entry",
                   st.session_state.get("lang", "vi")), url_path="report",
                   icon=":material/edit_note:")
