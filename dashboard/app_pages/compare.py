"""So sánh và xếp hạng / Compare and rank: ranking table, offline map, provinces side by side."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, figcache, html_table, prep, style, view
from dashboard.charts.maps import geo_map_file, geojson_path
from dashboard.export.streamlit_buttons import chart_downloads, table_downloads
from dashboard.i18n import fmt_num, name, t
from etl import ref


def on_map(v: view.View, vintage: str) -> str | None:
    """The view's province as a code of `vintage`'s map: itself; an old province's new one;
    a province the merger left unchanged in either geography; else None (a merged province
    has no single tile on the old map: its predecessors are named beside it)."""
    if v.vintage == vintage:
        return v.province
    if vintage == ref.NEW:
        return ref.successor(v.province)
    return v.province if v.subject.unchanged else None


def ranking_table(rank: pd.DataFrame, lang: str, groups: pd.DataFrame) -> pd.DataFrame:
    """The ranking as shown: rank, province, score (decimal comma in vi), group."""
    gname = {int(r["group_no"]): name(r, lang) for _, r in groups.iterrows()}
    return pd.DataFrame({
        t("col_rank", lang): [str(int(r)) if pd.notna(r) else "–" for r in rank["rank"]],
        t("col_province", lang): [name(r, lang) for _, r in rank.iterrows()],
        t("col_score", lang): [fmt_num(x, lang) if pd.notna(x) else t("not_published", lang)
                               for x in rank["value"]],
        t("col_group", lang): [gname.get(int(g), "") if pd.notna(g) else ""
                               for g in rank["performance_group"]],
    })


def _map(v: view.View, rank: pd.DataFrame, item: str, item_label: str, groups: pd.DataFrame,
         year_vintage: str) -> None:
    lang = v.lang
    c1, c2 = st.columns(2)
    with c1:
        if year_vintage == ref.NEW:  # scores by the 34: their own map, nothing to regroup
            vintage = ref.NEW
            st.caption(t("map_own_34", lang, year=v.year))
        else:
            vintage = view.synced(st.radio, "map", ["63", "34"], "63", t("map_vintage", lang),
                                  format_func=lambda c: t(f"vintage_{c}", lang),
                                  horizontal=True)
    with c2:
        color_by = view.synced(st.radio, "color", ["value", "group"], "value",
                               t("color_by", lang), horizontal=True,
                               format_func=lambda c: t("by_score" if c == "value" else
                                                       "by_group", lang))
    title = t("map_title", lang, item=item_label, year=v.year)
    regrouped = vintage == ref.NEW and year_vintage == ref.OLD
    if regrouped:
        st.caption(t("predecessors_note", lang))
        title += f" – {t('vintage_34', lang)}"

    def frame() -> pd.DataFrame:
        if regrouped:
            return prep.predecessors(rank, data.merge_2025(), data.provinces("34"), lang)
        return rank.assign(label=[name(r, lang) for _, r in rank.iterrows()])

    path63, path34 = geojson_path("63"), geojson_path("34")

    def make() -> go.Figure:
        d = frame()
        if year_vintage == ref.NEW and path34 is not None:
            return geo_map_file(d, str(path34), lang, title=title, year=v.year,
                                color_by=color_by, groups=groups)
        if year_vintage == ref.OLD and path63 is not None:
            outline = str(path34) if vintage == "34" and path34 else None
            return geo_map_file(d, str(path63), lang, outline_path=outline, title=title,
                                year=v.year, color_by=color_by, groups=groups)
        return charts.tile_map(d, lang, title=title, year=v.year, color_by=color_by,
                               groups=groups, vintage=vintage, highlight=on_map(v, vintage))

    paths = (None if path63 is None else str(path63), None if path34 is None else str(path34))
    fig = figcache.of_view(v, "compare_map", make, item, vintage, color_by, year_vintage, paths)
    st.plotly_chart(fig, key="compare_map")
    chart_downloads(fig, f"papi_map_{vintage}_{v.year}", lang)
    if regrouped:
        table = frame().drop_duplicates("new_code")[["new_label", "hover"]]
        table = table.rename(columns={"new_label": t("new_province", lang),
                                      "hover": t("predecessors", lang)})
        html_table.show(table, lang, label=t("predecessors", lang))
        with st.popover(t("btn_table", lang)):
            table_downloads(table, "papi_provinces_34_predecessors",
                            {"title": t("predecessors_note", lang), "year": v.year,
                             "lang": lang}, lang)


def _side_by_side(v: view.View, rank: pd.DataFrame, item: str, item_label: str,
                  year_vintage: str) -> None:
    lang = v.lang
    provs = data.provinces(year_vintage)
    names = {r["code"]: name(r, lang) for _, r in provs.iterrows()}
    best = rank["province_code"].iat[0] if len(rank) else v.province
    mine = [c for c in [on_map(v, year_vintage)] if c is not None]
    default = list(dict.fromkeys([*mine, best]))
    chosen = view.synced_multi("cmp", list(names), default, t("compare_provinces", lang),
                               format_func=lambda c: names.get(c, c), max_selections=6)
    if not chosen:
        return
    order = {c: i for i, c in enumerate(chosen)}

    def make_bars() -> go.Figure:
        dims = list(data.items(level="dimension")["item_code"])
        sc = data.scores(None, dims, v.year, vintage=year_vintage)
        sc = sc[sc["province_code"].isin(chosen)]
        sc = sc.sort_values(["province_code", "sort_order"], key=lambda s: s.map(order)
                            if s.name == "province_code" else s)
        bars = pd.DataFrame({"item_label": sc["item_code"], "value": sc["value"],
                             "province_label": sc["province_code"].map(names)})
        return charts.compare_bars(bars, lang, title=t("compare_title", lang, year=v.year),
                                   year=v.year)

    fig = figcache.of_view(v, "compare_bars", make_bars, tuple(chosen), year_vintage)
    st.plotly_chart(fig, key="compare_bars")
    chart_downloads(fig, f"papi_compare_dimensions_{v.year}", lang)
    fig = figcache.of_view(v, "compare_trend",
                           lambda: _trend(lang, chosen, names, order, item, item_label,
                                          year_vintage),
                           item, tuple(chosen), year_vintage)
    if year_vintage == ref.NEW:
        st.caption(t("continuity_note", lang))
    st.plotly_chart(fig, key="compare_trend")
    chart_downloads(fig, f"papi_compare_trend_{item}", lang)


def _trend(lang: str, chosen: list[str], names: dict[str, str], order: dict[str, int],
           item: str, item_label: str, year_vintage: str) -> go.Figure:
    """The chosen provinces' lines of the item (each 34-province with its territory's
    history to 2024)."""
    tr = data.scores(None, [item], vintage=year_vintage)
    tr = tr[tr["province_code"].isin(chosen)]
    lines = pd.DataFrame({"year": tr["year"], "value": tr["value"],
                          "province_label": tr["province_code"].map(names),
                          "o": tr["province_code"].map(order), "p": 0})
    if year_vintage == ref.NEW:  # the history to 2024 of each chosen province's territory
        old = data.scores(None, [item], vintage=ref.OLD)
        for code in chosen:
            for pred in ref.predecessors(code):  # unchanged: its own line goes on
                label = names[code] if ref.is_unchanged(code) else t(
                    "predecessor_of", lang, name=ref.province_name(pred, ref.OLD, lang),
                    new=names[code])
                part = old[old["province_code"] == pred]
                lines = pd.concat([lines, pd.DataFrame(
                    {"year": part["year"], "value": part["value"], "province_label": label,
                     "o": order[code], "p": 1})], ignore_index=True)
    lines = lines.sort_values(["o", "p", "province_label", "year"], kind="stable").drop(
        columns=["o", "p"])
    years = sorted(int(y) for y in lines["year"].unique())
    return charts.compare_trend(lines, lang, title=t("compare_trend", lang, item=item_label),
                                breaks=prep.breaks_for(data.methodology_breaks(), item, lang,
                                                       years),
                                cuts=[prep.BREAK_2018 - 0.5] if item == "TOTAL" else [])


def render(v: view.View) -> None:
    lang = v.lang
    st.title(t("page_compare", lang))
    its = data.items()
    its = its[its["level"].isin(["total", "dimension"]) & (its["item_code"] != "TOTAL_W")]
    labels = {r["item_code"]: prep.item_label(r, lang) for _, r in its.iterrows()}
    item = view.synced(st.selectbox, "item", list(labels), "TOTAL", t("item", lang),
                       format_func=lambda c: labels.get(c, c))
    groups = style.groups(data.performance_groups())
    published = [y for y in data.years() if y <= v.year]
    year = v.subject.score_year or (published[-1] if published else v.year)
    v = replace(v, year=year)
    year_vintage = ref.vintage_for_year(year)
    rank = data.ranking(year, item, vintage=year_vintage)
    left, right = st.columns([2, 3])
    with left:
        st.subheader(t("ranking", lang, item=labels[item], year=v.year))
        title = t("ranking", lang, item=labels[item], year=v.year)
        table = ranking_table(rank, lang, groups)
        html_table.show(table, lang, label=title, max_height=560)
        with st.popover(t("btn_table", lang)):
            table_downloads(table, f"papi_ranking_{item}_{v.year}",
                            {"title": title, "year": v.year, "lang": lang}, lang)
        if item != "TOTAL":
            st.caption(t("group_ranked_note", lang))
    with right:
        _map(v, rank, item, labels[item], groups, year_vintage)
    st.subheader(t("compare_provinces", lang))
    _side_by_side(v, rank, item, labels[item], year_vintage)

    def make() -> go.Figure:
        d = rank.assign(label=[name(r, lang) for _, r in rank.iterrows()])
        return charts.ranking_bars(d, lang, title=t("ranking", lang, item=labels[item],
                                                    year=v.year),
                                   year=v.year, groups=groups, highlight=on_map(v, year_vintage))

    fig = figcache.of_view(v, "compare_ranking_bars", make, item, year_vintage)
    st.plotly_chart(fig, key="compare_ranking_bars")
    chart_downloads(fig, f"papi_ranking_bars_{item}_{v.year}", lang)


render(view.current())
