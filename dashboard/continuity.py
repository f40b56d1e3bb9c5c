"""Score trends across the 2025 merger: a new province's continuity view, an old one's line."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, data, prep
from dashboard.i18n import t
from dashboard.subject import Subject
from etl import ref


def trend_inputs(v: Subject, item: str = "TOTAL", *, title: str | None = None,
                 window: int | None = None, actions: pd.DataFrame | None = None,
                 statuses: pd.DataFrame | None = None, wide: bool = False
                 ) -> dict[str, Any] | None:
    """trend_chart's arguments for the item's trend up to the view's year, None when nothing is
    published: the figure is a pure function of them (dashboard.figcache caches it).

    A 34-province: the continuity view (each predecessor's own line to 2024, the province's
    own from 2025, the national median per year's geography, the merger marked at 2024.5,
    never a line or a change across it). A 63-province: its own line. `window`: the last
    n years (for TOTAL never before the 2018 scale change). `actions`: plan actions by year
    and status drawn below on the same time axis (years after the last score included).
    """
    lang = v.lang
    lo = 0
    if window is not None:
        first = prep.BREAK_2018 if v.year >= prep.BREAK_2018 and item == "TOTAL" else 0
        lo = max(first, v.year - window)
    if v.vintage == ref.NEW:
        cont = data.continuity(v.province, [item], v.db)
        cont = cont[(cont["year"] >= lo) & (cont["year"] <= v.year)]
        own, others = prep.continuity_series(cont, v.province, lang)
        label = t("sel_34", lang, name=v.province_name)
        median = cont[["year", "median"]]
        default_title = (f"{t('trend_total', lang)} – {v.province_name}" if v.unchanged
                         else t("continuity_title", lang, name=v.province_name))
    else:
        own = prep.displayed(data.scores(v.province, [item], path=v.db, vintage=v.vintage))
        own = own[(own["year"] >= lo) & (own["year"] <= v.year)]
        others, label, median = None, v.province_name, own[["year", "median"]]
        default_title = f"{t('trend_total', lang)} – {v.province_name}"
    years = sorted(set(own["year"]) | (set(others["year"]) if others is not None else set()))
    if not years:
        return None
    unit = "%" if len(own) and own["unit"].iat[0] == "percent" else t("points", lang)
    acts = actions if actions is not None and not actions.empty else None
    span = years + (list(acts["year"]) if acts is not None else [])
    return {"own": own, "lang": lang, "title": title or default_title, "series_label": label,
            "unit": unit, "others": others, "median": median,
            "breaks": prep.breaks_for(data.methodology_breaks(v.db), item, lang, span),
            "cuts": [prep.BREAK_2018 - 0.5] if item == "TOTAL" else [],
            "actions": acts, "statuses": statuses, "wide": wide}


def trend_chart(own: pd.DataFrame, lang: str, *, title: str, series_label: str, unit: str,
                others: pd.DataFrame | None, median: pd.DataFrame,
                breaks: list[tuple[float, str]], cuts: list[float],
                actions: pd.DataFrame | None, statuses: pd.DataFrame | None,
                wide: bool = False) -> go.Figure:
    """charts.score_trend with the merger cut and, for the total, the 2018 scale cut (lines are
    broken there, never joined; the break labels read leftwards near the right edge)."""
    return charts.score_trend(
        own, lang, title=title, series_label=series_label, unit=unit, others=others,
        median=median, cut=prep.MERGER_X, cuts=cuts, breaks=breaks, actions=actions,
        statuses=statuses, wide=wide)
