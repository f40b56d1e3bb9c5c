"""Multi-user mode: sign-in against the write store, the session token in the URL, its strings."""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator

import streamlit as st

from dashboard import i18n
from dashboard.i18n import t

LOG = logging.getLogger("papi.dashboard.auth")
USER_KEY = "mu_user"  # this run's signed-in user, set from the database on every run
# The session token lives in a cookie (kept out of links, history and Referer): it survives a
# reload and reaches any replica; only its hash is stored, in the database, with an expiry.
COOKIE = "papi_session"
TOKEN_KEY = "mu_token"  # this browser session's token until the next connection reads the cookie
COOKIE_KEY = "mu_cookie"  # a cookie to write (a token) or clear ("") on this run
LEFT_KEY = "mu_left"  # the token this browser session signed out of

STRINGS: dict[str, tuple[str, str]] = {
    "mu_login_title": ("Đăng nhập", "Sign in"),
    "mu_login_intro": ("Đăng nhập bằng tài khoản do Văn phòng UBND tỉnh cấp để báo cáo nhiệm vụ.",
                       "Sign in with the account the provincial office gave you to report tasks."),
    "mu_name": ("Tên đăng nhập", "User name"),
    "mu_password": ("Mật khẩu", "Password"),
    "mu_login": ("Đăng nhập", "Sign in"),
    "mu_logout": ("Đăng xuất", "Sign out"),
    "mu_bad_login": ("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
                     "Wrong user name or password, or the account is disabled."),
    "mu_expired": ("Phiên làm việc đã hết hạn hoặc tài khoản đã bị khóa. Hãy đăng nhập lại.",
                   "Your session has expired or the account was disabled. Please sign in again."),
    "mu_no_store": ("Không kết nối được cơ sở dữ liệu báo cáo. Hãy báo quản trị viên (mã {ref}).",
                    "The reporting database cannot be reached. Tell the administrator (ref {ref})."),
    "mu_signed_in": ("{name} — {role}, {unit}", "{name} — {role}, {unit}"),
    "mu_role_reporter": ("người báo cáo", "reporter"),
    "mu_role_approver": ("lãnh đạo đơn vị (phê duyệt)", "unit approver"),
    "mu_role_province_office": ("Văn phòng UBND tỉnh", "province office"),
    "mu_role_viewer": ("người xem", "viewer"),
    "page_report_entry": ("Báo cáo nhiệm vụ", "Report tasks"),
    "mu_year": ("Năm", "Year"),
    "mu_period": ("Kỳ báo cáo", "Reporting period"),
    "mu_no_tasks": ("Đơn vị của bạn chưa có nhiệm vụ nào trong kỳ này.",
                    "Your unit has no tasks for this period."),
    "mu_status": ("Tình trạng", "Status"),
    "mu_percent": ("% hoàn thành", "% done"),
    "mu_result": ("Kết quả", "Result"),
    "mu_evidence": ("Minh chứng (số văn bản, đường dẫn…)", "Evidence (document number, link…)"),
    "mu_reported_on": ("Ngày báo cáo", "Report date"),
    "mu_save": ("Lưu báo cáo", "Save report"),
    "mu_saved": ("Đã lưu phiên bản {version}.", "Saved as version {version}."),
    "mu_stale": ("Người khác đã lưu phiên bản mới hơn ({version}, {who}): {status}, {pct}%, "
                 "“{result}”. Báo cáo của bạn CHƯA được lưu; hãy xem lại rồi lưu lại.",
                 "Someone saved a newer version first ({version}, {who}): {status}, {pct}%, "
                 "“{result}”. Your report was NOT saved; review it and save again."),
    "mu_refused": ("Không lưu được: {reason}", "Not saved: {reason}"),
    "mu_step": ("Bước hiện tại", "Current step"),
    "mu_step_": ("chờ phê duyệt", "awaiting approval"),
    "mu_step_none": ("chưa báo cáo", "not reported"),
    "mu_step_approve": ("đã phê duyệt, chờ tỉnh chấp nhận", "approved, awaiting acceptance"),
    "mu_step_return": ("bị trả lại", "returned"),
    "mu_step_accept": ("đã chấp nhận (khóa)", "accepted (locked)"),
    "mu_step_reopen": ("mở lại", "reopened"),
    "mu_reason": ("Lý do (bắt buộc khi trả lại hoặc mở lại)", "Reason (needed to return or reopen)"),
    "mu_approve": ("Phê duyệt", "Approve"),
    "mu_return": ("Trả lại", "Return"),
    "mu_accept": ("Chấp nhận", "Accept"),
    "mu_reopen": ("Mở lại", "Reopen"),
    "mu_done": ("Đã ghi: {what}.", "Recorded: {what}."),
    "mu_version": ("Phiên bản {version}, lưu bởi {who}", "Version {version}, saved by {who}"),
    "mu_need_reason": ("Hãy ghi lý do.", "Please give a reason."),
    "mu_err_Forbidden": ("nhiệm vụ không thuộc đơn vị của bạn hoặc vai trò của bạn không được làm "
                         "việc này; không có gì thay đổi", "the task is not your unit's or your "
                         "role may not do this; nothing changed"),
    "mu_err_Locked": ("nhiệm vụ đã được phê duyệt hoặc chấp nhận nên đang khóa; chỉ sửa được sau "
                      "khi bị trả lại hoặc mở lại", "the task is approved or accepted and locked; "
                      "it can change only after it is returned or reopened"),
    "mu_err_NotSignedIn": ("phiên làm việc hết hạn hoặc tài khoản đã bị khóa",
                           "the session expired or the account was disabled"),
    "mu_err_StaleEdit": ("đã có phiên bản mới hơn; tải lại trang để xem",
                         "a newer version exists; reload to see it"),
}
for _key, _pair in STRINGS.items():  # the project's one string table (dashboard.i18n)
    i18n._STRINGS.setdefault(_key, _pair)


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
    _login_form(lang)
    return None


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
        st.rerun()


def _login_form(lang: str) -> None:
    from etl.pg import users

    st.title(t("mu_login_title", lang))
    st.caption(t("mu_login_intro", lang))
    with st.form("mu_login_form"):
        name = st.text_input(t("mu_name", lang), key="mu_name")
        password = st.text_input(t("mu_password", lang), type="password", key="mu_password")
        go = st.form_submit_button(t("mu_login", lang))
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
