"""Chỉ số nội dung và hành động: a dimension's score over the years with its plan actions."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import continuity, data, figcache, html_table, prep, view
from dashboard.export.streamlit_buttons import chart_downloads, table_downloads
from dashboard.i18n import t
from etl import ref


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_dimensions", lang))
    st.subheader(f"{v.province_name} · {v.dimension_name}")
    mb = data.methodology_breaks()
    statuses = data.task_statuses()

    def make() -> go.Figure | None:
        acts_by_year = v.subject.status_by_year(v.dimension)
        inputs = continuity.trend_inputs(v.subject, v.dimension, title=t("dim_trend", lang,
                                                                 dim=v.dimension_name),
                                         actions=acts_by_year, statuses=statuses, wide=True)
        return None if inputs is None else continuity.trend_chart(**inputs)

    fig = figcache.of_view(v, "dimension_trend", make)
    if fig is None:
        st.info(t("no_data", lang))
    else:
        st.plotly_chart(fig, key="dimension_trend")
        if v.vintage == ref.NEW:
            st.caption(t("continuity_note", lang))
        chart_downloads(fig, f"papi_dimension_{v.dimension}_{v.province}", lang)
    notes = prep.break_notes(mb, v.dimension, lang)
    if not notes.empty:
        with st.expander(t("breaks_of", lang)):
            notes = notes.rename(columns={"year": t("col_year", lang),
                                          "item_code": t("col_code", lang),
                                          "note": t("col_note", lang)})
            html_table.show(notes, lang, label=t("breaks_of", lang))
            with st.popover(t("btn_table", lang)):
                table_downloads(notes, f"papi_breaks_{v.dimension}",
                                {"title": t("breaks_of", lang), "lang": lang}, lang)
    st.subheader(f"{t('actions_of', lang)} ({v.subject.as_of_text()})")
    acts = v.subject.actions_of(None)  # every year's actions of the dimension, latest report
    acts = acts[acts["dimension_code"] == v.dimension]
    if acts.empty:
        st.info(t("no_actions", lang))
        return
    table = prep.task_export_frame(acts, lang, statuses, {v.dimension: v.dimension_name})
    table = table.drop(columns=[t("col_dimension", lang)])
    st.caption(t("n_shown", lang, n=len(table)))
    html_table.show(table, lang, label=f"{t('actions_of', lang)} – {v.dimension_name}")
    with st.popover(t("btn_table", lang)):
        table_downloads(table, f"papi_actions_{v.dimension}_{v.province}",
                        {"title": f"{t('actions_of', lang)} – {v.dimension_name}",
                         "province": v.province_name, "year": v.year, "lang": lang}, lang)


render(view.current())
