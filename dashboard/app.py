"""PAPI dashboard entry point: `streamlit run dashboard/app.py` (pages in app_pages/)."""

from __future__ import annotations

import logging
import os
import sys
import uuid
from pathlib import Path

import streamlit as st

try:
    from dashboard import data, fmt, view
except ModuleNotFoundError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from dashboard import data, fmt, view
from dashboard.i18n import t

PAGES = [
    ("app_pages/overview.py", "page_overview", "overview", ":material/dashboard:"),
    ("app_pages/dimensions.py", "page_dimensions", "dimensions", ":material/timeline:"),
    ("app_pages/drilldown.py", "page_drill", "drilldown", ":material/account_tree:"),
    ("app_pages/compare.py", "page_compare", "compare", ":material/leaderboard:"),
    ("app_pages/tasks.py", "page_tasks", "tasks", ":material/task_alt:"),
    ("app_pages/units.py", "page_units", "units", ":material/groups:"),
    ("app_pages/method.py", "page_method", "method", ":material/info:"),
]


LOG = logging.getLogger("papi.dashboard")


def friendly_error(lang: str, what: str, detail: object) -> None:
    """A short message with a reference; the details (paths, SQL, traceback) go to the server
    log only, never to the browser."""
    ref = uuid.uuid4().hex[:8]
    if isinstance(detail, BaseException):
        LOG.error("%s (ref %s)", what, ref, exc_info=detail)
    else:
        LOG.error("%s (ref %s): %s", what, ref, detail)
    st.error(t("app_error", lang, ref=ref))


def main() -> None:
    st.set_page_config(page_title="PAPI", page_icon="📊", layout="wide")
    lang = "vi"
    try:
        lang = view.language()
        _run(lang)
    except Exception as exc:  # noqa: BLE001 - Streamlit's own control flow is a BaseException
        friendly_error(lang, "page failed", exc)


def _run(lang: str) -> None:
    pages = [st.Page(path, title=t(key, lang), url_path=url, icon=icon, default=i == 0)
             for i, (path, key, url, icon) in enumerate(PAGES)]
    if os.environ.get("PAPI_MULTIUSER") == "1" or os.environ.get("PAPI_PG"):  # sign-in first
        from dashboard import auth

        if auth.signed_in(lang) is None:
            return
        pages.append(auth.page())
    nav = st.navigation(pages)
    st.sidebar.caption(t("app_subtitle", lang))
    status = data.status()
    if not status.ok:
        st.title(t("app_title", lang))
        if status.state == "error":  # a damaged file: its path and the database's text stay in the log
            friendly_error(lang, f"warehouse {status.path} cannot be read", status.error)
        else:
            view.unavailable(status, lang)
        return
    view.sidebar(lang)
    fmt.set_demo(data.is_demo())  # every chart and file of this run carries the demo mark
    if data.is_demo():
        view.demo_banner(lang)
    st.sidebar.caption(t("view_link", lang))
    nav.run()


main()
