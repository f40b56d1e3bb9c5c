"""Chỉ số thành phần / Drill-down: sub-dimensions and indicators vs the national median."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, figcache, prep, view
from dashboard.export.streamlit_buttons import chart_downloads
from dashboard.i18n import t, unit_label


def _trends(v: view.View, codes: list[str], title: str, key: str, unit: str) -> None:
    sc = prep.displayed(data.scores(v.province, codes, vintage=v.vintage))
    sc = sc[sc["year"] <= v.year]
    if sc.empty:
        st.info(t("no_data", v.lang))
        return
    d = sc.assign(label=[prep.item_label(r, v.lang) for _, r in sc.iterrows()])
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
    _trends(v, list(subs["item_code"]), t("subdims", lang, dim=v.dimension_name),
            "drill_subdims", t("points", lang))
    if not subs.empty:
        labels = {r["item_code"]: prep.item_label(r, lang) for _, r in subs.iterrows()}
        sub = view.synced(st.selectbox, "sub", list(labels), list(labels)[0],
                          t("subdimension", lang), format_func=lambda c: labels.get(c, c))
        inds = data.items(level="indicator", parent_code=sub)
        if not inds.empty:
            unit = unit_label(inds["unit"].iat[0], lang)  # one axis per unit when they differ
            _trends(v, list(inds["item_code"]), t("indicators_of", lang, sub=labels[sub]),
                    "drill_indicators", unit)
    all_subs = data.items(level="subdimension")
    moved, years = prep.movers(data.scores(v.province, list(all_subs["item_code"]),
                                           vintage=v.vintage), lang, upto=v.year)
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
