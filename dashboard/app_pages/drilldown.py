"""Chỉ số thành phần / Drill-down: sub-dimensions and indicators vs the national median."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, figcache, prep, view
from dashboard.export.streamlit_buttons import chart_downloads
from dashboard.i18n import t, unit_label
from etl import ref


def lineage_scores(v: view.View, codes: list[str], predecessor: str | None) -> pd.DataFrame:
    """The items' scores up to the view's year: the province's own (its territory's, as
    dashboard.subject decides), and for a merged province one chosen predecessor's own lines
    to 2024, labelled with its name: two geographies are never one line."""
    s = v.subject
    own = prep.displayed(s.own_scores(codes))
    own = own.assign(label=[prep.item_label(r, v.lang) for _, r in own.iterrows()])
    if predecessor is None:
        return own
    old = prep.displayed(data.scores(predecessor, codes, vintage=ref.OLD))
    old = old[old["year"] <= min(v.year, ref.LAST_OLD_YEAR)]
    pname = t("predecessor_series", v.lang, name=ref.province_name(predecessor, ref.OLD, v.lang))
    old = old.assign(label=[f"{prep.item_label(r, v.lang)} – {pname}" for _, r in old.iterrows()])
    if not own.empty:
        mine = t("sel_34", v.lang, name=v.province_name)
        own = own.assign(label=[f"{lab} – {mine}" for lab in own["label"]])
    return pd.concat([old, own], ignore_index=True)


def _trends(v: view.View, codes: list[str], title: str, key: str, unit: str,
            predecessor: str | None = None) -> None:
    d = lineage_scores(v, codes, predecessor)
    if d.empty:
        st.info(t("no_data", v.lang))
        return
    years = sorted(d["year"].unique())
    fig = figcache.figure(charts.subitem_trends, d, v.lang, title=title, unit=unit,
                          breaks=prep.breaks_for(data.methodology_breaks(), v.dimension,
                                                 v.lang, years))
    st.plotly_chart(fig, key=key)
    chart_downloads(fig, f"papi_{key}_{v.dimension}_{v.province}", v.lang)


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_drill", lang))
    st.subheader(f"{v.province_name} · {v.dimension_name}")
    subs = data.items(level="subdimension", parent_code=v.dimension)
    pred = None
    if v.subject.is_new and not v.subject.unchanged:  # a merged province: one predecessor
        olds = v.subject.predecessors
        pred = view.synced(st.radio, "pred", olds, olds[0], t("predecessor_pick", lang),
                           format_func=lambda c: ref.province_name(c, ref.OLD, lang),
                           horizontal=True)
    _trends(v, list(subs["item_code"]), t("subdims", lang, dim=v.dimension_name),
            "drill_subdims", t("points", lang), pred)
    if not subs.empty:
        labels = {r["item_code"]: prep.item_label(r, lang) for _, r in subs.iterrows()}
        sub = view.synced(st.selectbox, "sub", list(labels), list(labels)[0],
                          t("subdimension", lang), format_func=lambda c: labels.get(c, c))
        inds = data.items(level="indicator", parent_code=sub)
        if not inds.empty:
            unit = unit_label(inds["unit"].iat[0], lang)  # one axis per unit when they differ
            _trends(v, list(inds["item_code"]), t("indicators_of", lang, sub=labels[sub]),
                    "drill_indicators", unit, pred)
    all_subs = data.items(level="subdimension")
    moved, years = prep.movers(v.subject.own_scores(list(all_subs["item_code"])), lang,
                               upto=v.year)
    if years is None or moved.empty:
        st.info(t("no_movers", lang))
        return
    shown = moved.assign(label=[f"{lab} {prep.MARGIN_MARK[m]}"
                                for lab, m in zip(moved["label"], moved["margin"],
                                                  strict=True)])
    fig = figcache.figure(charts.movers_bars, shown, lang,
                          title=t("movers", lang, y0=years[0], y1=years[1]), years=years)
    st.plotly_chart(fig, key="drill_movers")
    st.caption(t("margin_legend", lang))
    chart_downloads(fig, f"papi_drill_movers_{v.province}_{years[0]}_{years[1]}", lang)


render(view.current())
