"""Drill-down charts: sub-items of a dimension over the years, and the biggest movers."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.common import add_breaks, finish, wrap
from dashboard.charts.scores import NOT_PUBLISHED_NAME
from dashboard.i18n import fmt_num, t


def unit_groups(df: pd.DataFrame, lang: str) -> list[tuple[str, str, list[str]]]:
    """(axis key, axis unit label, labels) of df's sub-items when they have several units.

    Shares and percentages (both shown in %) share an axis; points share one only with the
    same scale; any other unit gets its own. One unit (or no 'unit' column): [] (one axis).
    """
    if "unit" not in df.columns or df.empty:
        return []
    groups: dict[str, tuple[str, list[str]]] = {}
    for label, g in df.groupby("label", sort=False):
        unit = g["unit"].iat[0]
        lo = g["scale_min"].iat[0] if "scale_min" in g.columns else None
        hi = g["scale_max"].iat[0] if "scale_max" in g.columns else None
        if unit in ("share", "percent"):
            key, text = "%", "%"
        elif unit == "points":
            scale = f" {fmt_num(lo, lang, 0)}–{fmt_num(hi, lang, 0)}" if pd.notna(lo) and pd.notna(hi) else ""
            key, text = f"points{scale}", f"{t('points', lang)}{scale}"
        else:
            key, text = f"other:{label}", str(label)
        groups.setdefault(key, (text, []))[1].append(label)
    return [(k, text, labels) for k, (text, labels) in groups.items()] if len(groups) > 1 else []


def subitem_trends(df: pd.DataFrame, lang: str = "vi", *, title: str, unit: str | None = None,
                   breaks: list[tuple[float, str]] | None = None) -> go.Figure:
    """One solid line per sub-item (the province) and a dashed line of the same colour (median).

    df columns: year, label, value, median, status; optionally unit, scale_min, scale_max
    (ref.item): sub-items of different units are drawn on separate stacked axes (small
    multiples, one unit per axis), never on one. Gaps where not published (never zero).
    """
    unit = unit or t("points", lang)
    groups = unit_groups(df, lang)
    row_of = {lab: i + 1 for i, (_, _, labels) in enumerate(groups) for lab in labels}
    if groups:
        fig = make_subplots(rows=len(groups), cols=1, shared_xaxes=True, vertical_spacing=0.08)
    else:
        fig = go.Figure()
    suffix_of = {lab: "%" for lab, g in df.groupby("label", sort=False)
                 if "unit" in df.columns and g["unit"].iat[0] in ("share", "percent")}
    colors = px.colors.qualitative.Safe + px.colors.qualitative.Vivid
    span = range(int(df["year"].min()), int(df["year"].max()) + 1) if not df.empty else range(0)
    frame = pd.DataFrame({"year": list(span)})
    # one colour per item: a predecessor's line and the new province's points of the same
    # item share it (lineage rows carry item_code; other frames are coloured by label)
    key = "item_code" if "item_code" in df.columns else "label"
    color_of = {k: colors[i % len(colors)] for i, k in enumerate(dict.fromkeys(df[key]))}
    for label, g in df.groupby("label", sort=False):
        color = color_of[g[key].iat[0]]
        g = frame.merge(g, on="year", how="left")
        cell = {"row": row_of[label], "col": 1} if groups else {}
        sfx = suffix_of.get(label, "")
        fig.add_scatter(x=g["year"], y=g["value"], mode="lines+markers", name=label,
                        legendgroup=label, line={"color": color}, connectgaps=False,
                        customdata=[fmt_num(v, lang) + sfx if pd.notna(v) else fmt_num(v, lang)
                                    for v in g["value"]],
                        hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>", **cell)
        fig.add_scatter(x=g["year"], y=g["median"], mode="lines", legendgroup=label,
                        name=f"{label} – {t('national_median', lang).lower()}",
                        showlegend=False, connectgaps=False,
                        line={"color": color, "dash": "dash", "width": 1},
                        customdata=[fmt_num(v, lang) + sfx if pd.notna(v) else fmt_num(v, lang)
                                    for v in g["median"]],
                        hovertemplate="%{x}: %{customdata}<extra>"
                                      + t("national_median", lang) + "</extra>", **cell)
    if "status" in df.columns and not df.empty:
        by_year = df.groupby("year")["status"].agg(lambda s: (s == "not_published").all())
        for year in by_year[by_year].index:
            fig.add_annotation(x=year, y=1, yref="paper", text=t("not_published", lang),
                               textangle=-90, showarrow=False, yanchor="top",
                               font={"size": 10, "color": "#555"}, name=NOT_PUBLISHED_NAME)
    add_breaks(fig, breaks, span)
    fig.update_xaxes(dtick=1)
    years = df.loc[df["value"].notna(), "year"] if not df.empty else []
    rows = -(-df["label"].nunique() // 2) if not df.empty else 1  # legend: two entries a row
    if not groups:
        return finish(fig, title, lang, years, x_title=t("year_axis", lang),
                      y_title=t("score_axis", lang, unit=unit), height=480, legend_rows=rows)
    fig = finish(fig, title, lang, years, height=max(480, 300 * len(groups) + 120),
                 legend_rows=rows)
    for i, (_, text, _) in enumerate(groups, start=1):
        fig.update_yaxes(title_text=t("score_axis", lang, unit=text), row=i, col=1)
    fig.update_xaxes(title_text=t("year_axis", lang), row=len(groups), col=1)
    return fig


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
