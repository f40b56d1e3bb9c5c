"""PAPI dashboard entry point: `streamlit run dashboard/app.py` (pages in app_pages/)."""

from __future__ import annotations

import sys
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


def main() -> None:
    st.set_page_config(page_title="PAPI", page_icon="📊", layout="wide")
    lang = view.language()
    pages = [st.Page(path, title=t(key, lang), url_path=url, icon=icon, default=i == 0)
             for i, (path, key, url, icon) in enumerate(PAGES)]
    nav = st.navigation(pages)
    st.sidebar.caption(t("app_subtitle", lang))
    status = data.status()
    if not status.ok:
        st.title(t("app_title", lang))
        view.unavailable(status, lang)
        return
    view.sidebar(lang)
    fmt.set_demo(data.is_demo())  # every chart and file of this run carries the demo mark
    if data.is_demo():
        view.demo_banner(lang)
    st.sidebar.caption(t("view_link", lang))
    nav.run()


main()
