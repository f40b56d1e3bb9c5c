"""Score charts: dimensions against median and best, and a score line over the years."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import style
from dashboard.charts.common import TITLE_WIDTH, add_breaks, finish, room_for_outside_labels, wrap
from dashboard.i18n import fmt_num, t

NOT_PUBLISHED_NAME = "not_published"
OTHER_COLORS = ("#8c6d31", "#7b4173", "#637939", "#843c39", "#3182bd")


def dimension_bars(df: pd.DataFrame, lang: str = "vi", *, title: str, year: int,
                   province_label: str, best_label: str | None = None,
                   unit: str | None = None) -> go.Figure:
    """Horizontal bars per dimension: the province, the national median, the best province.

    df columns: label, value, median, best_value (optional: best_name, shown in hover).
    The best province is the lighter bar; a missing value is annotated 'not published'.
    """
    d = df.reset_index(drop=True).iloc[::-1]
    d = d.assign(label=[wrap(x) for x in d["label"]])
    unit = unit or t("points", lang)
    fig = go.Figure()
    hover = "%{y}: %{customdata}<extra>%{fullData.name}</extra>"
    fig.add_bar(y=d["label"], x=d["best_value"], orientation="h",
                name=best_label or t("best_province", lang), marker_color=style.BEST_COLOR,
                customdata=[_best_hover(r, lang) for _, r in d.iterrows()],
                hovertemplate=hover)
    fig.add_bar(y=d["label"], x=d["median"], orientation="h", name=t("national_median", lang),
                marker_color=style.MEDIAN_COLOR,
                customdata=[fmt_num(v, lang) for v in d["median"]], hovertemplate=hover)
    fig.add_bar(y=d["label"], x=d["value"], orientation="h", name=province_label,
                marker_color=style.PROVINCE_COLOR,
                text=[fmt_num(v, lang) if pd.notna(v) else "" for v in d["value"]],
                textposition="outside", cliponaxis=False,
                customdata=[fmt_num(v, lang) for v in d["value"]], hovertemplate=hover)
    height = max(360, 70 * len(d) + 140)
    slot = (height - 175) / max(len(d), 1) * 0.75 / 3  # the province bar's offset (px)
    for _, r in d[d["value"].isna()].iterrows():
        fig.add_annotation(x=0, y=r["label"], text=t("not_published", lang), showarrow=False,
                           xanchor="left", yshift=slot, font={"color": "#555", "size": 11},
                           name=NOT_PUBLISHED_NAME)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_layout(legend={"traceorder": "reversed"})
    fig.update_yaxes(automargin=True)
    room_for_outside_labels(fig, d[["value", "median", "best_value"]])
    return finish(fig, title, lang, year, x_title=t("score_axis", lang, unit=unit),
                  height=height)


def _best_hover(row: pd.Series, lang: str) -> str:
    name = row.get("best_name")
    value = fmt_num(row.get("best_value"), lang)
    return f"{value} ({name})" if isinstance(name, str) and name else value


def score_trend(df: pd.DataFrame, lang: str = "vi", *, title: str, series_label: str,
                unit: str | None = None, median: pd.DataFrame | None = None,
                breaks: list[tuple[float, str]] | None = None,
                actions: pd.DataFrame | None = None, statuses: pd.DataFrame | None = None,
                height: int | None = None, others: pd.DataFrame | None = None,
                cut: float | None = None, cuts: list[float] | None = None,
                wide: bool = False) -> go.Figure:
    """A score over the years, with gaps (never zero) where PAPI did not publish.

    df: year, value, status ('published'|'not_published'), optional ci_low, ci_high → a 95%
    CI band. median: year, median → dashed national-median line. breaks: (x, label) vertical
    lines, e.g. (2017.5, '2018: 6 → 8 dimensions'). actions: year, status_code, n → a stacked
    bar subplot of plan actions by status on the same time axis, coloured by `statuses`
    (style.statuses() frame; default fallback colours). others: year, value, label → one
    thinner line per label (e.g. the predecessors of a new province, up to 2024). cut: an x
    (2024.5, the 2025 merger) that no line crosses; cuts: more such x (2017.5 for the total,
    whose scale went from 6–60 to 8–80): every line is broken there, never joined across.
    wide: drawn across a whole page (the legend keeps about four entries a row, the title
    wraps later) rather than in a half-width column (one entry a row).
    """
    gaps = sorted({*(cuts or []), *([cut] if cut is not None else [])})
    unit = unit or t("points", lang)
    d = df.copy()
    all_years = list(d["year"])
    if others is not None and not others.empty:
        all_years += list(others["year"])
    if median is not None and not median.empty:
        all_years += list(median["year"])
    if actions is not None and not actions.empty:
        all_years += list(actions["year"])
    span = range(int(min(all_years)), int(max(all_years)) + 1) if all_years else range(0)
    d = pd.DataFrame({"year": list(span)}).merge(d, on="year", how="left")
    with_actions = actions is not None and not actions.empty
    if with_actions:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                            row_heights=[0.68, 0.32])
        kw: dict = {"row": 1, "col": 1}
    else:
        fig, kw = go.Figure(), {}
    if {"ci_low", "ci_high"} <= set(d.columns):
        for i, seg in enumerate(_segments(d)):
            if len(seg) == 1:  # a lone year: a short band, so it is drawn, not zero-wide
                y = int(seg["year"].iat[0])
                seg = pd.concat([seg, seg]).assign(year=[y - 0.15, y + 0.15])
            fig.add_trace(go.Scatter(
                x=list(seg["year"]) + list(seg["year"][::-1]),
                y=list(seg["ci_high"]) + list(seg["ci_low"][::-1]), mode="lines",
                fill="toself", fillcolor="rgba(31,78,121,0.18)", line={"width": 0},
                name=t("ci95", lang), legendgroup="ci", showlegend=i == 0, hoverinfo="skip"),
                **kw)
    if median is not None and not median.empty:
        m = pd.DataFrame({"year": list(span)}).merge(
            median.drop_duplicates("year"), on="year", how="left")
        for i, part in enumerate(_pieces(m, gaps, "median")):
            fig.add_trace(go.Scatter(x=part["year"], y=part["median"], mode="lines+markers",
                                     name=t("national_median", lang), connectgaps=False,
                                     legendgroup="median", showlegend=i == 0,
                                     line={"color": style.MEDIAN_COLOR, "dash": "dash"},
                                     customdata=[fmt_num(v, lang) for v in part["median"]],
                                     hovertemplate="%{x}: %{customdata}<extra>"
                                                   "%{fullData.name}</extra>"), **kw)
    for i, (label, part) in enumerate(_groups(others)):
        whole = pd.DataFrame({"year": list(span)}).merge(part, on="year", how="left")
        for j, o in enumerate(_pieces(whole, gaps, "value")):
            fig.add_trace(go.Scatter(x=o["year"], y=o["value"], mode="lines+markers",
                                 name=label, connectgaps=False, legendgroup=f"other-{i}",
                                 showlegend=j == 0,
                                 line={"color": OTHER_COLORS[i % len(OTHER_COLORS)],
                                       "width": 2, "dash": "dot"},
                                 marker={"symbol": "circle-open", "size": 7},
                                 customdata=[fmt_num(v, lang) for v in o["value"]],
                                 hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}"
                                               "</extra>"), **kw)
    if others is not None and not others.empty and not d["value"].notna().any():
        # beside other lines, a legend entry with nothing drawn says why (a new province
        # before its first PAPI year)
        series_label = t("series_no_score", lang, label=series_label)
    for j, own in enumerate(_pieces(d, gaps, "value") or [d]):
        fig.add_trace(go.Scatter(x=own["year"], y=own["value"], mode="lines+markers",
                                 name=series_label, connectgaps=False, legendgroup="own",
                                 showlegend=j == 0,
                                 line={"color": style.PROVINCE_COLOR, "width": 3},
                                 marker={"size": 9},
                                 customdata=[fmt_num(v, lang) for v in own["value"]],
                                 hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}"
                                               "</extra>"), **kw)
    if "status" in d.columns:
        for year in d.loc[d["status"] == "not_published", "year"]:
            fig.add_vrect(x0=year - 0.4, x1=year + 0.4, fillcolor=style.NOT_PUBLISHED_COLOR,
                          opacity=0.5, line_width=0, layer="below", **kw)
            fig.add_annotation(x=year, y=1, yref="y domain", text=t("not_published", lang),
                               textangle=-90, showarrow=False, yanchor="top",
                               font={"size": 10, "color": "#555"}, name=NOT_PUBLISHED_NAME)
    add_breaks(fig, breaks, span)
    if with_actions and actions is not None:  # with_actions: actions given, not empty
        _add_action_bars(fig, actions, statuses, lang)
        per_year = actions.groupby("year")["n"].sum() if len(actions) else pd.Series([0])
        # whole actions: never a '0,5 nhiệm vụ' tick
        fig.update_yaxes(title_text=t("n_axis", lang), row=2, col=1, rangemode="tozero",
                         tickformat="d", dtick=1 if per_year.max() <= 8 else None)
        fig.update_yaxes(title_text=t("score_axis", lang, unit=unit), row=1, col=1)
        fig.update_xaxes(title_text=t("year_axis", lang), row=2, col=1)
        fig.update_layout(barmode="stack")
    x_range = [span.start - 0.5, span.stop - 0.5] if span else None
    fig.update_xaxes(dtick=1, range=x_range)
    shown = list(d.loc[d["value"].notna(), "year"])
    if others is not None and not others.empty:
        shown += list(others.loc[others["value"].notna(), "year"])
    # in a half-width column each legend entry takes a row (a line-and-marker entry: ~29 px);
    # across a page about four share one
    entries = sum(1 for tr in fig.data if tr.showlegend is not False and tr.name)
    rows = -(-entries // 4) if wide else max(1, entries - 1)
    return finish(fig, title, lang, shown,
                  x_title=None if with_actions else t("year_axis", lang),
                  y_title=None if with_actions else t("score_axis", lang, unit=unit),
                  height=height or (560 if with_actions else 420),
                  legend_rows=rows, legend_row_px=29, title_width=100 if wide else TITLE_WIDTH)


def _groups(others: pd.DataFrame | None) -> list[tuple[str, pd.DataFrame]]:
    if others is None or others.empty:
        return []
    return [(str(label), part[["year", "value"]])
            for label, part in others.groupby("label", sort=False)]


def _segments(d: pd.DataFrame) -> list[pd.DataFrame]:
    """Runs of consecutive years with both CI bounds (a band never bridges a gap)."""
    ok = d["ci_low"].notna() & d["ci_high"].notna()
    runs = (~ok).cumsum()
    return [g for _, g in d[ok].groupby(runs[ok]) if len(g)]


def _pieces(frame: pd.DataFrame, cuts: list[float], column: str) -> list[pd.DataFrame]:
    """`frame` (one row a year) split at each cut into the pieces that hold a `column` value:
    each piece is its own trace, so no line (and no trace) spans a cut."""
    edges = [float("-inf"), *sorted(cuts), float("inf")]
    parts = [frame[(frame["year"] > lo) & (frame["year"] < hi)]
             for lo, hi in zip(edges, edges[1:], strict=False)]
    return [p for p in parts if p[column].notna().any()]


def _add_action_bars(fig: go.Figure, actions: pd.DataFrame, statuses: pd.DataFrame | None,
                     lang: str) -> None:
    st = style.statuses(statuses)
    for _, s in st.iterrows():
        a = actions[actions["status_code"] == s["status_code"]]
        if a.empty:
            continue
        label = s["name_en"] if lang == "en" else s["name_vi"]
        fig.add_trace(go.Bar(x=a["year"], y=a["n"], name=label, marker_color=s["color"],
                             legendgroup="status",
                             hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>"),
                      row=2, col=1)
