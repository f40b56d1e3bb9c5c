"""Compare-and-rank charts: ranking bars by performance group, provinces side by side."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard import style
from dashboard.charts.common import add_breaks, finish, room_for_outside_labels
from dashboard.i18n import fmt_num, t


def ranking_bars(df: pd.DataFrame, lang: str = "vi", *, title: str, year: int,
                 unit: str | None = None, groups: pd.DataFrame | None = None,
                 highlight: str | None = None) -> go.Figure:
    """Horizontal bars of every province, best at top, coloured by performance group.

    df columns: province_code, label, value, rank, performance_group (1…4). Not-published
    provinces are listed at the bottom with no bar and the label 'not published'.
    groups: style.groups() frame (fallback colours if None). highlight: a province code drawn
    with a black outline.
    """
    unit = unit or t("points", lang)
    g = style.groups(groups)
    d = df.sort_values(["value", "label"], ascending=[True, False], na_position="first")
    fig = go.Figure()
    for _, grp in g.iterrows():
        part = d[d["performance_group"] == grp["group_no"]]
        fig.add_bar(y=part["label"], x=part["value"], orientation="h",
                    name=grp["name_en"] if lang == "en" else grp["name_vi"],
                    marker={"color": grp["color"],
                            "line": {"color": ["#000" if c == highlight else grp["color"]
                                               for c in part["province_code"]],
                                     "width": [2.5 if c == highlight else 0
                                               for c in part["province_code"]]}},
                    text=[fmt_num(v, lang) for v in part["value"]], textposition="outside",
                    cliponaxis=False, customdata=part["rank"],
                    hovertemplate="%{y}: %{text} (#%{customdata})<extra>%{fullData.name}"
                                  "</extra>")
    missing = d[d["value"].isna()]
    if not missing.empty:
        fig.add_bar(y=missing["label"], x=[0] * len(missing), orientation="h",
                    name=t("not_published", lang), marker_color=style.NOT_PUBLISHED_COLOR,
                    text=[t("not_published", lang)] * len(missing), textposition="outside",
                    hoverinfo="skip")
    fig.update_yaxes(categoryorder="array", categoryarray=list(d["label"]), automargin=True,
                     tickfont={"size": 10})
    fig.update_layout(barmode="overlay", bargap=0.15)
    room_for_outside_labels(fig, d[["value"]])
    return finish(fig, title, lang, year, x_title=t("score_axis", lang, unit=unit),
                  height=max(420, 17 * len(d) + 160))


def compare_bars(df: pd.DataFrame, lang: str = "vi", *, title: str, year: int,
                 unit: str | None = None) -> go.Figure:
    """Grouped bars: items (x) × provinces (colour). df columns: item_label, province_label,
    value."""
    unit = unit or t("points", lang)
    fig = go.Figure()
    colors = px.colors.qualitative.D3
    for i, (prov, part) in enumerate(df.groupby("province_label", sort=False)):
        fig.add_bar(x=part["item_label"], y=part["value"], name=prov,
                    marker_color=colors[i % len(colors)],
                    customdata=[fmt_num(v, lang) for v in part["value"]],
                    hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickangle=-20, automargin=True)
    return finish(fig, title, lang, year, y_title=t("score_axis", lang, unit=unit), height=460)


def compare_trend(df: pd.DataFrame, lang: str = "vi", *, title: str,
                  unit: str | None = None, breaks: list[tuple[float, str]] | None = None,
                  cuts: list[float] | None = None) -> go.Figure:
    """One line per province over the years (gaps where not published).

    df columns: year, province_label, value. breaks: (x, label) lines marked on the chart;
    cuts: x positions where every line is broken (a scale change such as 2018's six → eight
    dimensions of the total, or the 01/07/2025 merger): no segment joins the two sides.
    """
    unit = unit or t("points", lang)
    fig = go.Figure()
    colors = px.colors.qualitative.D3
    span = range(int(df["year"].min()), int(df["year"].max()) + 1) if not df.empty else range(0)
    gaps = pd.DataFrame({"year": [c for c in cuts or [] if span and span.start < c < span.stop]})
    for i, (prov, part) in enumerate(df.groupby("province_label", sort=False)):
        part = pd.DataFrame({"year": list(span)}).merge(part, on="year", how="left")
        part = pd.concat([part, gaps], ignore_index=True).sort_values("year")
        fig.add_scatter(x=part["year"], y=part["value"], mode="lines+markers", name=prov,
                        connectgaps=False, line={"color": colors[i % len(colors)]},
                        customdata=[fmt_num(v, lang) for v in part["value"]],
                        hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>")
    fig.update_xaxes(dtick=1)
    add_breaks(fig, breaks, span if len(span) else None)
    years = df.loc[df["value"].notna(), "year"] if not df.empty else []
    return finish(fig, title, lang, years, x_title=t("year_axis", lang),
                  y_title=t("score_axis", lang, unit=unit))
