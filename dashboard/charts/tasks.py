"""Task-tracker charts: actions per unit or dimension stacked by the official statuses."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, style
from dashboard.charts.common import add_breaks, finish, wrap
from dashboard.i18n import t

STATUS_COUNT_COLUMNS = {
    "done_on_time": "n_done_on_time", "done_late": "n_done_late",
    "in_progress": "n_in_progress", "overdue": "n_overdue", "not_reported": "n_not_reported",
}


def status_bars(df: pd.DataFrame, lang: str = "vi", *, title: str, category: str,
                years: list[int] | int | None = None,
                statuses: pd.DataFrame | None = None, label_width: int = 22) -> go.Figure:
    """Horizontal stacked bars: one row per `category` value, one segment per status.

    df: a mart.dimension_progress / mart.unit_progress-shaped frame (column `category` plus
    n_done_on_time, n_done_late, n_in_progress, n_overdue, n_not_reported), one row per
    category (sum beforehand if needed). statuses: style.statuses() frame. label_width:
    characters of a category label's line.
    """
    st = style.statuses(statuses)
    d = df.iloc[::-1]
    fig = go.Figure()
    # once, not once per status; short lines: the chart often sits in a half-width column
    labels = [wrap(x, label_width) for x in d[category].astype(str)]
    for _, s in st.iterrows():
        col = STATUS_COUNT_COLUMNS.get(s["status_code"])
        if col is None or col not in d.columns:
            continue
        fig.add_bar(y=labels, x=d[col], orientation="h",
                    name=s["name_en"] if lang == "en" else s["name_vi"],
                    marker_color=s["color"],
                    hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(automargin=True)
    cols = [c for c in STATUS_COUNT_COLUMNS.values() if c in d.columns]
    biggest = float(d[cols].sum(axis=1).max()) if cols and len(d) else 0.0
    fig.update_xaxes(rangemode="tozero", dtick=1 if biggest <= 10 else None)  # whole actions
    rows = sum(18 * label.count("<br>") + 36 for label in labels)  # a wrapped label: taller
    # in a half-width column the legend (as wide as the plot, right of the labels) stacks
    # its statuses one a row: room for all of them under the title
    return finish(fig, title, lang, years, x_title=t("n_axis", lang),
                  height=max(300, rows + 170), source="tasks", legend_rows=len(fig.data))


def dimension_lines(df: pd.DataFrame, lang: str = "vi", *, title: str,
                    breaks: list[tuple[float, str]] | None = None) -> go.Figure:
    """Score lines over the years, one per dimension (gaps stay gaps, never zero).

    df columns: year, label, value. breaks: (x, label) methodology lines.
    """
    fig = go.Figure()
    years = sorted({int(y) for y in df["year"]}) if not df.empty else []
    span = range(years[0], years[-1] + 1) if years else None
    for label, g in df.groupby("label", sort=False):
        g = pd.DataFrame({"year": list(span or [])}).merge(g, on="year", how="left")
        fig.add_trace(go.Scatter(x=g["year"], y=g["value"], mode="lines+markers",
                                 name=fmt.label(label), connectgaps=False,
                                 customdata=[fmt.num(v, lang) for v in g["value"]],
                                 hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}"
                                               "</extra>"))
    add_breaks(fig, breaks, span)
    if span:
        fig.update_xaxes(dtick=1, range=[span.start - 0.5, span.stop - 0.5])
    fig.update_layout(showlegend=True)  # a unit leading one dimension still sees which one
    # one legend row per series above the plot (less one): room for them under the title
    return finish(fig, title, lang, years, x_title=t("year_axis", lang),
                  y_title=t("score_axis", lang, unit=t("points", lang)), height=460,
                  legend_rows=max(1, len(fig.data) - 1))
