"""Đơn vị / Units: one lead unit's scorecard — its actions, overdue, last report, dimensions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, figcache, fmt, html_table, prep, subject, task_table, view
from dashboard.export.streamlit_buttons import chart_downloads, table_downloads
from dashboard.i18n import completion_text, fmt_date, t, years_label
from dashboard.task_table import apply_filters


def dimension_scores(s: subject.Subject, dims: list[str], lang: str) -> pd.DataFrame:
    """year, label, value of the province's own scores on the dimensions, up to the view's
    year; across the 01/07/2025 merger each geography is its own line (never joined)."""
    sc = s.own_scores(dims)
    if sc.empty:
        return pd.DataFrame(columns=["year", "label", "value"])
    sc = prep.displayed(sc)
    cross = sc["vintage"].nunique() > 1
    sc["label"] = [prep.item_label(r, lang) + (f" ({r['vintage']})" if cross else "")
                   for r in sc.to_dict("records")]
    return sc[["year", "label", "value"]]


def scorecard(v: view.View, unit: str) -> None:
    """Every figure and table of the page: the view's actions (its year) that `unit` leads."""
    lang, name, s = v.lang, fmt.label(unit), v.subject
    acts = apply_filters(s.actions, {"unit": unit})
    n = subject.count(acts)
    c = st.columns([1, 2, 1, 1])
    c[0].metric(t("n_actions", lang), n.n)
    with c[1]:
        view.overdue_metric(st, n.n_overdue, lang, s.as_of_text())
    c[2].metric(t("last_report", lang), fmt_date(n.last_reported_on, lang)
                if n.last_reported_on is not None else fmt.MISSING)
    c[3].metric(t("completion", lang),
                completion_text(n.completion_rate, n.n, n.n_not_reported, lang))
    st.subheader(t("unit_actions", lang, unit=unit))
    table = prep.task_export_frame(acts, lang, data.task_statuses(),
                                   task_table.dimension_names(lang))
    html_table.show(table, lang, label=t("unit_actions", lang, unit=unit))
    st.caption(t("task_source", lang) + f" ({s.as_of_text()})"
               + (f" · {fmt.DEMO_MARK}" if fmt.is_demo() else ""))
    with st.popover(t("btn_table", lang)):
        table_downloads(table, f"papi_unit_{v.province}_{v.year}",
                        {"title": f"{t('unit_actions', lang, unit=unit)} – {v.province_name}",
                         "province": v.province_name, "lang": lang, "year": v.year,
                         "source": t("task_source", lang)}, lang)
    left, right = st.columns(2)
    counts = task_table.status_counts(acts, "dimension_code")
    if not counts.empty:
        dims_names = task_table.dimension_names(lang)
        counts["label"] = [dims_names.get(d, d) for d in counts["dimension_code"]]
        fig = figcache.figure(charts.status_bars, counts, lang,
                              title=t("unit_status_dims", lang, unit=name), category="label",
                              years=v.year, statuses=data.task_statuses())
        with left:
            st.plotly_chart(fig, key="unit_status")
            chart_downloads(fig, f"papi_unit_status_{v.province}_{v.year}", lang)
    dims = sorted({d for d in acts["dimension_code"] if isinstance(d, str) and
                   d.startswith("D")})
    with right:
        if not dims:
            st.info(t("unit_no_dims", lang))
            return
        df = dimension_scores(s, dims, lang)
        years = sorted(int(y) for y in df["year"].unique())
        mb = data.methodology_breaks()
        brk = {b for d in dims for b in prep.breaks_for(mb, d, lang, years)}
        fig = figcache.figure(charts.dimension_lines, df, lang,
                              title=t("unit_dims", lang, unit=name), breaks=sorted(brk))
        st.plotly_chart(fig, key="unit_dims")
        chart_downloads(fig, f"papi_unit_dimensions_{v.province}_{v.year}", lang)


def render(v: view.View) -> None:
    lang = v.lang
    st.title(f"{t('page_units', lang)}: {v.province_name}, {v.year}")
    if not task_table.units(v.province, vintage=v.vintage):
        st.info(t("unit_none", lang))
        return
    # the units that lead an action of the view's year (the scorecard counts that year)
    units = sorted({u for us in v.subject.actions["lead_units"] if us is not None for u in us})
    if not units:
        years = task_table.options(v.province, vintage=v.vintage)[1]
        st.info(t("unit_none_year", lang, year=v.year, years=years_label(years)))
        return
    unit = view.synced(st.selectbox, "unit", units, units[0], t("unit_pick", lang))
    scorecard(v, unit)


render(view.current())
