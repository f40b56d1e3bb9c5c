"""Tổng quan / Overview: total, rank, group, dimensions vs median and best, trend, plan."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, prep, style, view
from dashboard.export.streamlit_buttons import briefing_button, chart_downloads
from dashboard.i18n import completion_text, fmt_num, name, t

BRIEFING = {"vi": "Báo cáo tóm tắt cho cuộc họp", "en": "Briefing pack"}


def _metrics(v: view.View) -> None:
    lang = v.lang
    py = data.province_year(province_code=v.province)
    row = py[py["year"] == v.year]
    prev = py[(py["year"] < v.year) & py["total"].notna()].tail(1)
    total = row["total"].iat[0] if len(row) else None
    rank = row["rank"].iat[0] if len(row) else None
    group = row["performance_group"].iat[0] if len(row) else None
    c1, c2, c3, c4 = st.columns(4)
    if total is None or pd.isna(total):
        c1.metric(t("total", lang), t("not_published", lang))
        c2.metric(t("rank", lang), "–")
    else:
        d_total = d_rank = None
        if len(prev):
            py0 = int(prev["year"].iat[0])
            d_total = (f"{fmt_num(total - prev['total'].iat[0], lang, sign=True)} "
                       f"{t('vs_prev', lang, year=py0)}")
            if pd.notna(prev["rank"].iat[0]) and pd.notna(rank):
                d_rank = f"{int(prev['rank'].iat[0]) - int(rank):+d} {t('vs_prev', lang, year=py0)}"
        c1.metric(t("total", lang), fmt_num(total, lang), d_total)
        n = int(row["n_ranked"].iat[0])
        c2.metric(t("rank", lang), f"{int(rank)}/{n}" if pd.notna(rank) else "–", d_rank)
    groups = style.groups(data.performance_groups())
    gname = {int(r["group_no"]): name(r, lang) for _, r in groups.iterrows()}
    gcolor = style.group_colors(groups)
    with c3:
        st.caption(t("group", lang))
        if pd.notna(group):
            st.markdown(f"<span style='background:{gcolor[int(group)]};padding:4px 10px;"
                        f"border-radius:6px;font-weight:600'>{gname[int(group)]}</span>",
                        unsafe_allow_html=True)
        else:
            st.markdown("–")
    prog = data.dimension_progress(v.province, v.year)
    if prog.empty or prog["n_actions"].sum() == 0:
        c4.metric(t("completion", lang), "–")
        st.caption(t("no_plan", lang))
    else:
        done = prog["n_done_on_time"].sum() + prog["n_done_late"].sum()
        c4.metric(t("completion", lang),
                  completion_text(done / prog["n_actions"].sum(), prog["n_actions"].sum(),
                                  prog["n_not_reported"].sum(), lang),
                  f"{int(prog['n_overdue'].sum())} {t('overdue', lang).lower()}",
                  delta_color="off")


def _dimensions(v: view.View) -> None:
    lang = v.lang
    codes = list(data.items(level="dimension")["item_code"])
    sc = data.scores(v.province, codes, v.year)
    if sc.empty:
        st.info(t("no_data", lang))
        return
    frame = prep.dimension_frame(sc, data.provinces("63"), lang)
    fig = charts.dimension_bars(frame, lang, title=t("dims_vs", lang, year=v.year),
                                year=v.year, province_label=v.province_name)
    st.plotly_chart(fig, key="overview_dimensions")
    chart_downloads(fig, f"papi_overview_dimensions_{v.province}_{v.year}", lang)


def _trend(v: view.View) -> None:
    lang = v.lang
    sc = data.scores(v.province, ["TOTAL"])
    first = prep.BREAK_2018 if v.year >= prep.BREAK_2018 else 0
    sc = sc[(sc["year"] <= v.year) & (sc["year"] >= max(first, v.year - 5))]
    if sc.empty:
        return
    fig = charts.score_trend(sc, lang, title=f"{t('trend_total', lang)} – {v.province_name}",
                             series_label=v.province_name, median=sc[["year", "median"]])
    st.plotly_chart(fig, key="overview_trend")
    chart_downloads(fig, f"papi_overview_trend_{v.province}_{v.year}", lang)


def _plan(v: view.View) -> None:
    lang = v.lang
    prog = data.dimension_progress(v.province, v.year)
    if prog.empty:
        return
    dims = {r["item_code"]: prep.item_label(r, lang)
            for _, r in data.items(level="dimension").iterrows()}
    prog = prog.assign(label=[dims.get(c, t("general", lang) if c == "GENERAL" else c)
                              for c in prog["dimension_code"]])
    fig = charts.status_bars(prog, lang, category="label", years=v.year,
                             title=f"{t('by_dimension', lang)} – {v.year}",
                             statuses=data.task_statuses())
    st.plotly_chart(fig, key="overview_plan")
    chart_downloads(fig, f"papi_overview_plan_{v.province}_{v.year}", lang)


def render(v: view.View) -> None:
    st.title(f"{t('page_overview', v.lang)}: {v.province_name}, {v.year}")
    _metrics(v)
    with st.expander(BRIEFING.get(v.lang, BRIEFING["vi"]), icon=":material/slideshow:"):
        briefing_button(v.province, v.year, v.lang)
    left, right = st.columns([3, 2])
    with left:
        _dimensions(v)
    with right:
        _trend(v)
        _plan(v)


render(view.current())
