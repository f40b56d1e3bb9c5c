"""Tổng quan / Overview: total, rank, group, dimensions vs median and best, trend, plan."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import change, charts, continuity, data, figcache, prep, style, view
from dashboard.export.streamlit_buttons import briefing_button, chart_downloads
from dashboard.i18n import completion_text, fmt_date, fmt_num, name, t
from etl import ref

BRIEFING = {"vi": "Báo cáo tóm tắt cho cuộc họp", "en": "Briefing pack"}


def prev_year(year: int) -> int | None:
    """The latest year before `year` with scores (in either geography)."""
    earlier = [y for y in data.years() if y < year]
    return earlier[-1] if earlier else None


def change_caption(c: change.Change, lang: str) -> str:
    """One line under the metrics: the reason a change is not computed, or the rank
    comparison across geographies and whether the change exceeds the margin of error."""
    if not c.comparable:
        return c.reason(lang)
    parts = [c.reason(lang)] if c.reason(lang) else []
    if c.vintage != c.prev_vintage and c.rank_text(lang):
        parts.append(t("rank_vs_caption", lang, text=c.rank_text(lang)))
    parts.append(f"{t('margin_col', lang)}: {c.margin_text(lang)}")
    return " · ".join(parts)


def _metrics(v: view.View) -> None:
    lang = v.lang
    year = continuity.score_year(v.year)
    py = data.province_year(year, v.province, vintage=v.vintage)
    total = py["total"].iat[0] if len(py) else None
    rank = py["rank"].iat[0] if len(py) else None
    group = py["performance_group"].iat[0] if len(py) else None
    c1, c2, c3, c4 = st.columns(4)
    py0 = prev_year(year)
    chg = change.score_change(v.province, v.vintage, "TOTAL", year, py0) \
        if py0 is not None else None
    if total is None or pd.isna(total):
        c1.metric(t("total", lang), t("not_published", lang))
        c2.metric(t("rank", lang), "–")
    else:
        d_total = d_rank = None
        if chg is not None and chg.comparable and chg.delta is not None:
            d_total = t("vs_prev_margin", lang, delta=fmt_num(chg.delta, lang, sign=True),
                        year=py0, margin=chg.margin_text(lang))
            if chg.rank_move is not None:
                d_rank = f"{chg.rank_move:+d} {t('vs_prev', lang, year=py0)}"
        label = t("total", lang) + (f" {year}" if year != v.year else "")
        c1.metric(label, fmt_num(total, lang), d_total)
        n = int(py["n_ranked"].iat[0])
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
    prog = data.dimension_progress(v.province, v.year, vintage=v.vintage)
    if prog.empty or prog["n_actions"].sum() == 0:
        c4.metric(t("completion", lang), "–")
        st.caption(t("no_plan", lang))
    elif prog["n_not_reported"].sum() == prog["n_actions"].sum():
        c4.metric(t("completion", lang), "–")
        st.caption(t("nothing_reported", lang, n=int(prog["n_actions"].sum())))
    else:
        done = prog["n_done_on_time"].sum() + prog["n_done_late"].sum()
        c4.metric(t("completion", lang),
                  completion_text(done / prog["n_actions"].sum(), prog["n_actions"].sum(),
                                  prog["n_not_reported"].sum(), lang),
                  f"{int(prog['n_overdue'].sum())} {t('overdue', lang).lower()}",
                  delta_color="off")
    if chg is not None and total is not None and pd.notna(total):
        st.caption(change_caption(chg, lang))
    _geography_note(v)


def _geography_note(v: view.View) -> None:
    """Why an old province has nothing after 2024, or a new one nothing before 2025."""
    day = fmt_date(ref.MERGER_DATE)
    if v.vintage == ref.OLD and v.year > ref.LAST_OLD_YEAR:
        new = ref.successor(v.province)
        st.info(t("absorbed_note", v.lang, name=v.province_name, date=day,
                  new=ref.province_name(new, ref.NEW, v.lang)))
    elif v.vintage == ref.NEW and v.year <= ref.LAST_OLD_YEAR:
        st.info(t("before_province", v.lang, name=v.province_name, date=day))


def _dimensions(v: view.View) -> None:
    lang = v.lang
    codes = list(data.items(level="dimension")["item_code"])
    year = continuity.score_year(v.year)
    sc = data.scores(v.province, codes, year, vintage=v.vintage)
    if sc.empty:
        st.info(t("no_data", lang))
        return
    frame = prep.dimension_frame(sc, data.provinces(v.vintage), lang)
    fig = figcache.figure(charts.dimension_bars, frame, lang, title=t("dims_vs", lang, year=year),
                          year=year, province_label=v.province_name)
    st.plotly_chart(fig, key="overview_dimensions")
    chart_downloads(fig, f"papi_overview_dimensions_{v.province}_{year}", lang)


def _trend(v: view.View) -> None:
    inputs = continuity.trend_inputs(v, window=6)
    if inputs is None:
        return
    fig = figcache.figure(continuity.trend_chart, **inputs)
    st.plotly_chart(fig, key="overview_trend")
    if v.vintage == ref.NEW:
        st.caption(t("continuity_note", v.lang))
    chart_downloads(fig, f"papi_overview_trend_{v.province}_{v.year}", v.lang)


def _plan(v: view.View) -> None:
    lang = v.lang
    prog = data.dimension_progress(v.province, v.year, vintage=v.vintage)
    if prog.empty:
        return
    dims = {r["item_code"]: prep.item_label(r, lang)
            for _, r in data.items(level="dimension").iterrows()}
    prog = prog.assign(label=[dims.get(c, t("general", lang) if c == "GENERAL" else c)
                              for c in prog["dimension_code"]])
    fig = figcache.figure(charts.status_bars, prog, lang, category="label", years=v.year,
                          title=f"{t('by_dimension', lang)} – {v.year}",
                          statuses=data.task_statuses())
    st.plotly_chart(fig, key="overview_plan")
    chart_downloads(fig, f"papi_overview_plan_{v.province}_{v.year}", lang)


def render(v: view.View) -> None:
    st.title(f"{t('page_overview', v.lang)}: {v.province_name}, {v.year}")
    _metrics(v)
    with st.expander(BRIEFING.get(v.lang, BRIEFING["vi"]), icon=":material/slideshow:"):
        briefing_button(v.province, v.year, v.lang, vintage=v.vintage)
    left, right = st.columns([3, 2])
    with left:
        _dimensions(v)
    with right:
        _trend(v)
        _plan(v)


render(view.current())
