"""Đơn vị / Units: one lead unit's scorecard — its actions, overdue, last report, dimensions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, figcache, fmt, prep, task_table, view
from dashboard.export.streamlit_buttons import TEXT, chart_downloads, table_downloads
from dashboard.i18n import completion_text, fmt_date, t


def dimension_scores(province: str, dims: list[str], lang: str) -> pd.DataFrame:
    """year, label, value of the province's scores on the given dimensions."""
    sc = data.scores(province, dims)
    if sc.empty:
        return pd.DataFrame(columns=["year", "label", "value"])
    sc = prep.displayed(sc)
    sc["label"] = [prep.item_label(r, lang) for r in sc.to_dict("records")]
    return sc[["year", "label", "value"]]


def scorecard(v: view.View, unit: str) -> None:
    """Every figure and table of the page, filtered to `unit`."""
    lang, name = v.lang, fmt.label(unit)
    acts = task_table.unit_actions(v.province, unit, vintage=v.vintage)
    last = acts["reported_on"].dropna().max() if len(acts) else None
    prog = data.unit_progress(v.province, vintage=v.vintage)
    prog = prog[prog["unit"] == unit]
    n_not = int((acts["status_code"] == "not_reported").sum())
    done = int(acts["status_code"].isin(["done_on_time", "done_late"]).sum())
    c = st.columns(4)
    c[0].metric(t("n_actions", lang), len(acts))
    c[1].metric(t("overdue", lang), int((acts["status_code"] == "overdue").sum()))
    c[2].metric(t("last_report", lang), fmt_date(last, lang) if last is not None and
                pd.notna(last) else fmt.MISSING)
    c[3].metric(t("completion", lang),
                completion_text(done / len(acts) if len(acts) else None, len(acts), n_not, lang))
    left, right = st.columns(2)
    by_year = task_table.status_counts(acts.assign(year=acts["report_year"].astype(str)), "year")
    if not by_year.empty:
        fig = figcache.figure(charts.status_bars, by_year, lang,
                              title=t("unit_status", lang, unit=name), category="year",
                              years=sorted(acts["report_year"].unique()),
                              statuses=data.task_statuses())
        with left:
            st.plotly_chart(fig, key="unit_status")
            chart_downloads(fig, f"papi_unit_status_{v.province}", lang)
    dims = sorted({d for d in acts["dimension_code"] if isinstance(d, str) and
                   d.startswith("D")})
    with right:
        if not dims:
            st.info(t("unit_no_dims", lang))
        else:
            df = dimension_scores(v.province, dims, lang)
            mb = data.methodology_breaks()
            brk = {b for d in dims for b in prep.breaks_for(mb, d, lang, list(df["year"]))}
            fig = figcache.figure(charts.dimension_lines, df, lang,
                                  title=t("unit_dims", lang, unit=name), breaks=sorted(brk))
            st.plotly_chart(fig, key="unit_dims")
            chart_downloads(fig, f"papi_unit_dimensions_{v.province}", lang)
    st.subheader(t("unit_actions", lang, unit=unit))
    table = task_table.export_frame(v.province, {"unit": unit}, lang, vintage=v.vintage)
    st.dataframe(table, hide_index=True, key="unit_table")
    if fmt.is_demo():
        st.caption(fmt.DEMO_MARK)
    st.caption(t("task_source", lang))
    with st.popover(TEXT.get(lang, TEXT["vi"])["table"]):
        table_downloads(table, f"papi_unit_{v.province}",
                        {"title": f"{t('unit_actions', lang, unit=unit)} – {v.province_name}",
                         "province": v.province_name, "lang": lang,
                         "source": t("task_source", lang)}, lang)
    if not prog.empty:
        parts = [(int(r.year), completion_text(r.completion_rate, r.n_actions, r.n_not_reported,
                                               lang)) for r in prog.itertuples()]
        st.caption(f"{t('completion', lang)}: " + " · ".join(f"{y}: {c}" for y, c in parts))


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_units", lang))
    st.subheader(v.province_name)
    units = task_table.units(v.province, vintage=v.vintage)
    if not units:
        st.info(t("unit_none", lang))
        return
    unit = view.synced(st.selectbox, "unit", units, units[0], t("unit_pick", lang))
    scorecard(v, unit)


render(view.current())
