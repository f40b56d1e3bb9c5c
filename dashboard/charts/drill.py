"""Drill-down charts: sub-items of a dimension over the years, and the biggest movers."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard.charts.common import add_breaks, finish, wrap
from dashboard.charts.scores import NOT_PUBLISHED_NAME
from dashboard.i18n import fmt_num, t


def subitem_trends(df: pd.DataFrame, lang: str = "vi", *, title: str, unit: str | None = None,
                   breaks: list[tuple[float, str]] | None = None) -> go.Figure:
    """One solid line per sub-item (the province) and a dashed line of the same colour (median).

    df columns: year, label, value, median, status. Gaps where not published (never zero).
    """
    unit = unit or t("points", lang)
    fig = go.Figure()
    colors = px.colors.qualitative.Safe + px.colors.qualitative.Vivid
    span = range(int(df["year"].min()), int(df["year"].max()) + 1) if not df.empty else range(0)
    frame = pd.DataFrame({"year": list(span)})
    for i, (label, g) in enumerate(df.groupby("label", sort=False)):
        g = frame.merge(g, on="year", how="left")
        color = colors[i % len(colors)]
        fig.add_scatter(x=g["year"], y=g["value"], mode="lines+markers", name=label,
                        legendgroup=label, line={"color": color}, connectgaps=False,
                        customdata=[fmt_num(v, lang) for v in g["value"]],
                        hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>")
        fig.add_scatter(x=g["year"], y=g["median"], mode="lines", legendgroup=label,
                        name=f"{label} – {t('national_median', lang).lower()}",
                        showlegend=False, connectgaps=False,
                        line={"color": color, "dash": "dash", "width": 1},
                        customdata=[fmt_num(v, lang) for v in g["median"]],
                        hovertemplate="%{x}: %{customdata}<extra>"
                                      + t("national_median", lang) + "</extra>")
    if "status" in df.columns and not df.empty:
        by_year = df.groupby("year")["status"].agg(lambda s: (s == "not_published").all())
        for year in by_year[by_year].index:
            fig.add_annotation(x=year, y=1, yref="paper", text=t("not_published", lang),
                               textangle=-90, showarrow=False, yanchor="top",
                               font={"size": 10, "color": "#555"}, name=NOT_PUBLISHED_NAME)
    add_breaks(fig, breaks, span)
    fig.update_xaxes(dtick=1)
    years = df.loc[df["value"].notna(), "year"] if not df.empty else []
    return finish(fig, title, lang, years, x_title=t("year_axis", lang),
                  y_title=t("score_axis", lang, unit=unit), height=480)


def movers_bars(df: pd.DataFrame, lang: str = "vi", *, title: str, years: tuple[int, int],
                unit: str | None = None) -> go.Figure:
    """Horizontal bars of the change between two years, largest absolute change first.

    df columns: label, change (value in years[1] minus value in years[0]).
    """
    unit = unit or t("points", lang)
    d = df.assign(abs_change=df["change"].abs()).sort_values("abs_change").reset_index(drop=True)
    colors = ["#1a9641" if c >= 0 else "#d7191c" for c in d["change"]]
    fig = go.Figure(go.Bar(
        y=[wrap(x, 40) for x in d["label"]], x=d["change"], orientation="h", marker_color=colors,
        text=[fmt_num(c, lang, sign=True) for c in d["change"]], textposition="outside",
        cliponaxis=False,
        name=t("col_change", lang), hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_yaxes(automargin=True)
    if len(d):  # room for the outside labels on both sides
        lo, hi = min(float(d["change"].min()), 0.0), max(float(d["change"].max()), 0.0)
        pad = 0.25 * ((hi - lo) or 1.0)
        fig.update_xaxes(range=[lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0)])
    fig.update_layout(showlegend=False)
    return finish(fig, title, lang, list(years), x_title=t("change_axis", lang, unit=unit),
                  height=max(320, 34 * len(d) + 160))
