"""Theo dõi nhiệm vụ / Task tracker: actions by unit and dimension, statuses, overdue, export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, figcache, fmt, style, task_table, view
from dashboard.export.streamlit_buttons import TEXT, chart_downloads, table_downloads
from dashboard.i18n import fmt_date, t

ALL = task_table.ALL
_dim_names = task_table.dimension_names


def _filters(v: view.View) -> dict[str, str]:
    lang = v.lang
    units, years = task_table.options(v.province, vintage=v.vintage)
    dims = _dim_names(lang)
    sts = style.statuses(data.task_statuses())
    st_names = {r["status_code"]: r[f"name_{lang}"] for _, r in sts.iterrows()}
    c = st.columns(5)
    with c[0]:
        unit = view.synced(st.selectbox, "unit", [ALL, *units], ALL, t("unit", lang),
                           format_func=lambda x: t("all", lang) if x == ALL else x)
    with c[1]:
        dim = view.synced(st.selectbox, "tdim", [ALL, *dims], ALL, t("dimension", lang),
                          format_func=lambda x: t("all", lang) if x == ALL else dims[x])
    with c[2]:
        status = view.synced(st.selectbox, "status", [ALL, *st_names], ALL, t("status", lang),
                             format_func=lambda x: t("all", lang) if x == ALL else st_names[x])
    with c[3]:
        year = view.synced(st.selectbox, "tyear", [ALL, *[str(y) for y in years]], ALL,
                           t("year", lang),
                           format_func=lambda x: t("all", lang) if x == ALL else x)
    with c[4]:
        overdue = view.synced(st.selectbox, "overdue", ["0", "1"], "0", t("overdue_only", lang),
                              format_func=lambda x: t("yes" if x == "1" else "no", lang))
    return {"unit": unit, "dimension": dim, "status": status, "year": year, "overdue": overdue}


def _unit_frames(acts: pd.DataFrame, unit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """unit_progress- and dimension_progress-shaped frames of one unit's actions."""
    a = acts.assign(unit=unit)
    return task_table.status_counts(a, "unit"), task_table.status_counts(a, "dimension_code")


def _charts(v: view.View, year: int | None, unit: str = ALL,
            acts: pd.DataFrame | None = None) -> None:
    """Both charts; filtered to `unit` (from its actions `acts`) when one is chosen."""
    lang = v.lang
    statuses = data.task_statuses()
    if unit != ALL and acts is not None:
        units, dims = _unit_frames(acts, unit)
        years = sorted(int(y) for y in acts["report_year"].dropna().unique())
    else:
        units = data.unit_progress(v.province, year, vintage=v.vintage)
        dims = data.dimension_progress(v.province, year, vintage=v.vintage)
        years = sorted(int(y) for y in units["year"].unique())
    measures = [c for c in charts.tasks.STATUS_COUNT_COLUMNS.values() if c in units.columns]
    left, right = st.columns(2)
    if not units.empty:
        u = units.groupby("unit", as_index=False)[measures].sum()
        fig = figcache.figure(charts.status_bars, u, lang, title=t("by_unit", lang),
                              category="unit", years=years, statuses=statuses)
        with left:
            st.plotly_chart(fig, key="tasks_by_unit")
            chart_downloads(fig, f"papi_tasks_by_unit_{v.province}", lang)
    if not dims.empty:
        names = _dim_names(lang)
        d = dims.groupby("dimension_code", as_index=False)[measures].sum()
        d["label"] = d["dimension_code"].map(names).fillna(d["dimension_code"])
        fig = figcache.figure(charts.status_bars, d, lang, title=t("by_dimension", lang),
                              category="label", years=years, statuses=statuses)
        with right:
            st.plotly_chart(fig, key="tasks_by_dimension")
            chart_downloads(fig, f"papi_tasks_by_dimension_{v.province}", lang)


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_tasks", lang))
    st.subheader(v.province_name)
    if data.count_actions(v.province, vintage=v.vintage) == 0:
        st.info(t("no_plan", lang))
        return
    filters = _filters(v)
    unit_acts = (task_table.filtered_actions(v.province, {**filters, "status": ALL, "overdue": "0"},
                                             vintage=v.vintage)
                 if filters["unit"] != ALL else None)  # only one unit's actions: small
    _charts(v, None if filters["year"] == ALL else int(filters["year"]), filters["unit"], unit_acts)
    summary = task_table.summary(v.province, filters, vintage=v.vintage)  # counts from one aggregate
    last = summary["last_reported_on"]
    c1, c2, c3 = st.columns(3)
    c1.metric(t("n_actions", lang), summary["n"])
    c2.metric(t("overdue", lang), summary["n_overdue"])
    c3.metric(t("last_report", lang), fmt_date(last, lang) if last is not None and
              pd.notna(last) else "–")
    pages = max(1, -(-summary["n"] // task_table.PAGE_SIZE))
    page = st.number_input(t("page", lang, n=pages), 1, pages, 1, key="tasks_page") if pages > 1 \
        else 1
    table = task_table.export_frame(v.province, filters, lang, limit=task_table.PAGE_SIZE,
                                    offset=(int(page) - 1) * task_table.PAGE_SIZE,
                                    vintage=v.vintage)
    st.dataframe(table, hide_index=True, key="tasks_table")
    st.caption(t("task_source", lang) + (f" · {fmt.DEMO_MARK}" if fmt.is_demo() else ""))
    with st.popover(TEXT.get(lang, TEXT["vi"])["table"]):  # the whole filtered table, on click
        table_downloads(lambda: task_table.export_frame(v.province, filters, lang,
                                                                vintage=v.vintage),
                        f"papi_tasks_{v.province}",
                        {"title": f"{t('page_tasks', lang)} – {v.province_name}",
                         "province": v.province_name, "lang": lang,
                         "source": t("task_source", lang),
                         "year": None if filters["year"] == ALL else int(filters["year"])}, lang)


render(view.current())
