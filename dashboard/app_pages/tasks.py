"""Theo dõi nhiệm vụ / Task tracker: the view's actions by unit and dimension, overdue first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, figcache, fmt, html_table, prep, style, subject, task_table, view
from dashboard.export.streamlit_buttons import chart_downloads, table_downloads
from dashboard.i18n import fmt_date, t

ALL = task_table.ALL
_dim_names = task_table.dimension_names


def _filters(v: view.View) -> dict[str, str]:
    """Unit, dimension, status, year (the sidebar's by default) and 'overdue only'."""
    lang = v.lang
    units, years = task_table.options(v.province, vintage=v.vintage)
    dims = _dim_names(lang)
    sts = style.statuses(data.task_statuses())
    st_names = {r["status_code"]: r[f"name_{lang}"] for _, r in sts.iterrows()}
    year_options = [str(y) for y in sorted({*years, v.year}, reverse=True)]
    c = st.columns(5)
    with c[0]:
        year = view.synced(st.selectbox, "tyear", [*year_options, ALL], str(v.year),
                           t("year", lang),
                           format_func=lambda x: t("all", lang) if x == ALL else x)
    with c[1]:
        unit = view.synced(st.selectbox, "unit", [ALL, *units], ALL, t("unit", lang),
                           format_func=lambda x: t("all", lang) if x == ALL else x)
    with c[2]:
        dim = view.synced(st.selectbox, "tdim", [ALL, *dims], ALL, t("dimension", lang),
                          format_func=lambda x: t("all", lang) if x == ALL else dims[x])
    with c[3]:
        status = view.synced(st.selectbox, "status", [ALL, *st_names], ALL, t("status", lang),
                             format_func=lambda x: t("all", lang) if x == ALL else st_names[x])
    with c[4]:
        overdue = view.synced(st.selectbox, "overdue", ["0", "1"], "0", t("overdue_only", lang),
                              format_func=lambda x: t("yes" if x == "1" else "no", lang))
    return {"unit": unit, "dimension": dim, "status": status, "year": year, "overdue": overdue}


def _charts(v: view.View, acts: pd.DataFrame, years: list[int], unit: str) -> None:
    lang, statuses = v.lang, data.task_statuses()
    left, right = st.columns(2)
    units = task_table.unit_counts(acts)
    if unit != ALL:  # the chosen unit's row only (its actions' co-leads are not the filter)
        units = units[units["unit"] == unit]
    if not units.empty:
        fig = figcache.figure(charts.status_bars, units, lang, title=t("by_unit", lang),
                              category="unit", years=years, statuses=statuses)
        n, places = task_table.shared_leads(acts)
        with left:
            st.plotly_chart(fig, key="tasks_by_unit")
            if unit == ALL and places > n:
                st.caption(t("shared_leads", lang, n=n, places=places))
            chart_downloads(fig, f"papi_tasks_by_unit_{v.province}", lang)
    dims = task_table.status_counts(acts, "dimension_code")
    if not dims.empty:
        names = _dim_names(lang)
        dims["label"] = dims["dimension_code"].map(names).fillna(dims["dimension_code"])
        fig = figcache.figure(charts.status_bars, dims, lang, title=t("by_dimension", lang),
                              category="label", years=years, statuses=statuses)
        with right:
            st.plotly_chart(fig, key="tasks_by_dimension")
            chart_downloads(fig, f"papi_tasks_by_dimension_{v.province}", lang)


def render(v: view.View) -> None:
    lang, s = v.lang, v.subject
    st.title(f"{t('page_tasks', lang)}: {v.province_name}")
    if not s.has_plan:
        st.info(t("no_plan", lang))
        return
    filters = _filters(v)
    year = None if filters["year"] == ALL else int(filters["year"])
    acts = task_table.apply_filters(s.actions_of(year), filters)
    n = subject.count(acts)
    c1, c2, c3 = st.columns([1, 2, 1])
    c1.metric(t("n_actions", lang), n.n)
    with c2:
        view.overdue_metric(st, n.n_overdue, lang, s.as_of_text())
    c3.metric(t("last_report", lang), fmt_date(n.last_reported_on, lang)
              if n.last_reported_on is not None else "–")
    years = [s.year] if filters["year"] == str(s.year) else sorted(
        int(y) for y in acts["report_year"].dropna().unique())
    def table(rows: pd.DataFrame = acts) -> pd.DataFrame:  # row for row, in the same order
        return prep.task_export_frame(rows, lang, data.task_statuses(), _dim_names(lang))

    pages = max(1, -(-len(acts) // task_table.PAGE_SIZE))
    page = st.number_input(t("page", lang, n=pages), 1, pages, 1, key="tasks_page") \
        if pages > 1 else 1
    start = (int(page) - 1) * task_table.PAGE_SIZE
    # the page's rows only; the whole filtered table when a download is asked for
    html_table.show(table(acts.iloc[start:start + task_table.PAGE_SIZE]), lang,
                    label=f"{t('page_tasks', lang)} – {v.province_name}")
    st.caption(t("task_source", lang) + (f" · {fmt.DEMO_MARK}" if fmt.is_demo() else ""))
    with st.popover(t("btn_table", lang)):  # the whole filtered table
        table_downloads(table, f"papi_tasks_{v.province}",
                        {"title": f"{t('page_tasks', lang)} – {v.province_name}",
                         "province": v.province_name, "lang": lang,
                         "source": f"{t('task_source', lang)} ({s.as_of_text()})",
                         "year": None if filters["year"] == ALL else int(filters["year"])}, lang)
    _charts(v, acts, years, filters["unit"])


render(view.current())
