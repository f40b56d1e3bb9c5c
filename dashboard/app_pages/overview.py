"""Tổng quan / Overview: total, rank, group, dimensions vs median and best, trend, plan."""

from __future__ import annotations

import html
from typing import Literal

import plotly.graph_objects as go
import streamlit as st

from dashboard import change, charts, continuity, data, figcache, prep, style, task_table, view
from dashboard.export.streamlit_buttons import briefing_button, chart_downloads
from dashboard.i18n import completion_text, fmt_date, fmt_num, name, t
from etl import ref


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
    lang, s = v.lang, v.subject
    h = s.headline
    c1, c2, c3, c4, c5 = st.columns([1.1, 1, 1.2, 1.3, 1.2])
    label = t("total", lang) + (f" {h.score_year}" if h.score_year not in (None, v.year) else "")
    if h.total is None:
        c1.metric(label, "–")
        c2.metric(t("rank", lang), "–")
    else:
        chg = h.change
        d_total = d_rank = None
        if chg is not None and chg.comparable and chg.delta is not None:
            d_total = f"{fmt_num(chg.delta, lang, sign=True)} {t('vs_prev', lang, year=h.prev_year)}"
            if chg.rank_move is not None:
                d_rank = f"{chg.rank_move:+d} {t('vs_prev', lang, year=h.prev_year)}"
        # a move inside the margin of error is not a rise or a fall: no red or green
        colour: Literal["normal", "off"] = "normal" if chg is not None and chg.margin == "exceeds" else "off"
        c1.metric(label, fmt_num(h.total, lang), d_total, delta_color=colour)
        c2.metric(t("rank", lang), h.rank_text, d_rank, delta_color=colour)
    groups = style.groups(data.performance_groups())
    gname = {int(r["group_no"]): name(r, lang) for _, r in groups.iterrows()}
    gcolor = style.group_colors(groups)
    with c3:
        # labelled as the metrics beside it are (size and colour), not as a grey caption
        st.markdown(f"<p data-testid='group-label' style='font-size:0.875rem;margin:0 0 0.5rem'>"
                    f"{html.escape(t('group', lang))}</p>", unsafe_allow_html=True)
        if h.group is not None:
            fill = gcolor[h.group]
            st.markdown(f"<span style='background:{fill};color:{style.text_on(fill)};"
                        "display:inline-block;padding:4px 10px;border-radius:6px;"
                        f"font-weight:600;line-height:1.4'>{gname[h.group]}</span>",
                        unsafe_allow_html=True)
        else:
            st.markdown("–")
    n = s.counts
    if n.n == 0:
        c4.metric(t("completion", lang), "–")
        c5.caption(t("no_plan", lang))
    else:
        c4.metric(t("completion", lang),
                  completion_text(n.completion_rate, n.n, n.n_not_reported, lang)
                  if n.n_not_reported < n.n else "–")
        view.overdue_metric(c5, n.n_overdue, lang, s.as_of_text())
    if h.total is None or h.note:
        st.info(h.note or t("not_published_year", lang, year=h.score_year))
    if h.change is not None and h.total is not None:
        st.caption(change_caption(h.change, lang))
    _geography_note(v)


def _geography_note(v: view.View) -> None:
    """Why an old province has nothing after 2024, or a new one nothing before 2025."""
    day = fmt_date(ref.MERGER_DATE)
    if v.vintage == ref.OLD and v.year > ref.LAST_OLD_YEAR:
        new = ref.successor(v.province)
        st.info(t("absorbed_note", v.lang, name=v.province_name, date=day,
                  new=ref.province_name(new, ref.NEW, v.lang)))
    elif v.vintage == ref.NEW and v.year <= ref.LAST_OLD_YEAR and not v.subject.unchanged:
        st.info(t("before_province", v.lang, name=v.province_name, date=day))


def _dimensions(v: view.View) -> None:
    lang = v.lang
    year = v.subject.score_year

    def make() -> go.Figure | None:
        sc = v.subject.dimension_scores()
        if sc.empty or year is None:  # no score year: dimension_scores() is empty
            return None
        frame = prep.dimension_frame(sc, data.provinces(sc["vintage"].iat[0]), lang)
        return charts.dimension_bars(frame, lang, title=t("dims_vs", lang, year=year),
                                     year=year, province_label=v.province_name)

    fig = figcache.of_view(v, "overview_dimensions", make)
    if fig is None:
        st.info(t("no_data", lang))
        return
    st.plotly_chart(fig, key="overview_dimensions")
    chart_downloads(fig, f"papi_overview_dimensions_{v.province}_{year}", lang)


def _trend(v: view.View) -> None:
    def make() -> go.Figure | None:
        inputs = continuity.trend_inputs(v.subject, window=6)
        return None if inputs is None else continuity.trend_chart(**inputs)

    fig = figcache.of_view(v, "overview_trend", make)
    if fig is None:
        return
    st.plotly_chart(fig, key="overview_trend")
    if v.vintage == ref.NEW:
        st.caption(t("continuity_note", v.lang))
    chart_downloads(fig, f"papi_overview_trend_{v.province}_{v.year}", v.lang)


def _plan(v: view.View) -> None:
    lang = v.lang

    def make() -> go.Figure | None:
        acts = v.subject.actions
        if acts.empty:
            return None
        dims = task_table.dimension_names(lang)
        prog = task_table.status_counts(acts, "dimension_code")
        prog = prog.assign(label=[dims.get(c, c) for c in prog["dimension_code"]])
        return charts.status_bars(prog, lang, category="label", years=v.year,
                                  title=f"{t('by_dimension', lang)} – {v.year}",
                                  statuses=data.task_statuses())

    fig = figcache.of_view(v, "overview_plan", make)
    if fig is None:
        return
    st.plotly_chart(fig, key="overview_plan")
    chart_downloads(fig, f"papi_overview_plan_{v.province}_{v.year}", lang)


def render(v: view.View) -> None:
    st.title(f"{t('page_overview', v.lang)}: {v.province_name}, {v.year}")
    _metrics(v)
    left, right = st.columns([3, 2])
    with left:
        _dimensions(v)
    with right:
        _trend(v)
        _plan(v)
    with st.expander(t("briefing_pack", v.lang), icon=":material/slideshow:"):
        briefing_button(v.province, v.year, v.lang, vintage=v.vintage)


render(view.current())
