"""Task-tracker charts: actions per unit or dimension stacked by the official statuses."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import style
from dashboard.charts.common import finish, wrap
from dashboard.i18n import t

STATUS_COUNT_COLUMNS = {
    "done_on_time": "n_done_on_time", "done_late": "n_done_late",
    "in_progress": "n_in_progress", "overdue": "n_overdue", "not_reported": "n_not_reported",
}


def status_bars(df: pd.DataFrame, lang: str = "vi", *, title: str, category: str,
                years: list[int] | int | None = None,
                statuses: pd.DataFrame | None = None) -> go.Figure:
    """Horizontal stacked bars: one row per `category` value, one segment per status.

    df: a mart.dimension_progress / mart.unit_progress-shaped frame (column `category` plus
    n_done_on_time, n_done_late, n_in_progress, n_overdue, n_not_reported), one row per
    category (sum beforehand if needed). statuses: style.statuses() frame.
    """
    st = style.statuses(statuses)
    d = df.iloc[::-1]
    fig = go.Figure()
    for _, s in st.iterrows():
        col = STATUS_COUNT_COLUMNS.get(s["status_code"])
        if col is None or col not in d.columns:
            continue
        fig.add_bar(y=[wrap(x) for x in d[category].astype(str)], x=d[col], orientation="h",
                    name=s["name_en"] if lang == "en" else s["name_vi"],
                    marker_color=s["color"],
                    hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(automargin=True)
    return finish(fig, title, lang, years, x_title=t("n_axis", lang),
                  height=max(300, 36 * len(d) + 170), source="tasks")
