"""Pure pandas shaping between data.py frames and the chart builders (shared with exports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import SupportsFloat

import pandas as pd

from dashboard import style
from dashboard.i18n import name, t

BREAK_2018 = 2018
MERGER_X = 2024.5  # the 01/07/2025 merger between the last year by 63 and the first by 34


def scale_factor(unit: object, scale_max: SupportsFloat | str | None) -> float:
    """100 for shares (0–1, shown in %) and percent items stored as 0–1 shares, else 1."""
    if unit == "share":
        return 100.0
    if scale_max is None:  # no scale: as any unreadable one below
        return 100.0 if unit == "percent" else 1.0
    try:
        return 100.0 if unit == "percent" and float(scale_max) <= 1.0 else 1.0
    except (TypeError, ValueError):
        return 100.0 if unit == "percent" else 1.0


def displayed(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores with value/ci/median/best scaled for display (percent shares → %)."""
    d = scores.copy()
    if d.empty or "unit" not in d.columns:
        return d
    f = [scale_factor(u, m) for u, m in zip(d["unit"], d["scale_max"], strict=True)]
    for col in ("value", "ci_low", "ci_high", "median", "best_value"):
        if col in d.columns:
            d[col] = d[col].astype(float) * f
    return d


def item_label(row: pd.Series | dict, lang: str, code: bool = True) -> str:
    """'D1.1 – Tri thức công dân' (or just the name)."""
    text = name(row, lang)
    item_code = row.get("item_code")
    return f"{item_code} – {text}" if code and item_code and item_code != "TOTAL" else text


def breaks_for(mb: pd.DataFrame, item_code: str, lang: str,
               years: list[int] | None = None) -> list[tuple[float, str]]:
    """Vertical break lines for an item: the 2018 six → eight break plus ref.methodology_break
    rows for the item, its sub-items, or TOTAL; one line per year, labels joined."""
    notes: dict[int, list[str]] = {BREAK_2018: [t("break_2018", lang)]}
    col = "note_en" if lang == "en" else "note_vi"
    for _, r in mb.iterrows():
        code = str(r["item_code"] or "")
        if code == item_code or code.startswith(item_code + ".") or (
                item_code.startswith(code + ".")):
            year = int(r["year"])
            text = str(r[col] or "")
            if year == BREAK_2018 and code in ("TOTAL", item_code) and not text:
                continue
            notes.setdefault(year, []).append(f"{year}: {text}" if text else str(year))
    out = []
    for year in sorted(notes):
        if years and not (min(years) < year <= max(years)):
            continue
        label = notes[year][0] if year == BREAK_2018 else "; ".join(notes[year])
        if year == BREAK_2018 and len(notes[year]) > 1:
            label = notes[year][0]
        out.append((year - 0.5, label))
    if years and min(years) < MERGER_X < max(years):
        out.append((MERGER_X, t("merger_break", lang)))
    return out


def continuity_series(cont: pd.DataFrame, new_code: str, lang: str
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """data.continuity() of one item → (own series from 2025, predecessors' lines to 2024).

    own: year, value, status, ci_low, ci_high, median (the new province, vintage 34).
    others: year, value, label — each predecessor named '… (tỉnh tiền thân)', or for a
    province whose territory did not change, '… (63 tỉnh, đến 2024)'. Never aggregated.
    """
    from etl import ref

    d = displayed(cont)
    own = d[d["series"] == "own"]
    pre = d[d["series"] == "predecessor"]
    unchanged = ref.is_unchanged(new_code)
    key = "same_province_63" if unchanged else "predecessor_series"
    labels = {c: t(key, lang, name=ref.province_name(c, ref.OLD, lang))
              for c in pre["province_code"].unique()}
    others = pd.DataFrame({"year": pre["year"], "value": pre["value"],
                           "label": pre["province_code"].map(labels)})
    return own.reset_index(drop=True), others.reset_index(drop=True)


def break_notes(mb: pd.DataFrame, item_code: str, lang: str) -> pd.DataFrame:
    """Methodology-break rows touching an item (itself, sub-items, TOTAL): year, item, note."""
    if mb.empty:
        return pd.DataFrame(columns=["year", "item_code", "note"])
    code = mb["item_code"].fillna("").astype(str)
    keep = (code == item_code) | code.str.startswith(item_code + ".") | (code == "TOTAL")
    out = mb[keep].copy()
    out["note"] = out["note_en" if lang == "en" else "note_vi"]
    return out[["year", "item_code", "note"]].reset_index(drop=True)


def dimension_frame(scores: pd.DataFrame, provinces: pd.DataFrame, lang: str) -> pd.DataFrame:
    """mart.score rows of one province-year's dimensions → dimension_bars input."""
    names = {r["code"]: name(r, lang) for _, r in provinces.iterrows()}
    d = scores.sort_values("sort_order")
    return pd.DataFrame({
        "label": [item_label(r, lang) for _, r in d.iterrows()],
        "value": d["value"].to_numpy(), "median": d["median"].to_numpy(),
        "best_value": d["best_value"].to_numpy(),
        "best_name": [names.get(c, "") for c in d["best_province_code"]],
    })


MARGIN_MARK = {"exceeds": "◆", "within": "○", "unknown": "·"}


def movers(scores: pd.DataFrame, lang: str, upto: int | None = None, top: int = 10
           ) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    """Largest changes between the two latest years with data (≤ upto), one geography.

    Columns: label, change, margin ('exceeds'|'within'|'unknown', dashboard.change rule),
    margin_text. Items not comparable across the two years (a methodology break, a scale
    change) are left out; so is any pair across the 2025 merger (scores of one vintage only).
    """
    from dashboard.change import Point, compare

    cols = ["label", "change", "margin", "margin_text"]
    d = scores[scores["value"].notna()]
    if "vintage" in d.columns and d["vintage"].nunique() > 1:
        d = d[d["vintage"] == d.loc[d["year"].idxmax(), "vintage"]]
    if upto is not None:
        d = d[d["year"] <= upto]
    ys = sorted(d["year"].unique())
    if len(ys) < 2:
        return pd.DataFrame(columns=cols), None
    y0, y1 = int(ys[-2]), int(ys[-1])
    a = d[d["year"] == y0].set_index("item_code")
    b = d[d["year"] == y1].set_index("item_code")
    rows = []
    for code in (c for c in b.index if c in a.index):
        pts = [Point(int(r["year"]), str(r.get("vintage", "63")), str(r["province_code"]),
                     _float(r.get("value")), _float(r.get("ci_low")), _float(r.get("ci_high")),
                     _float(r.get("std_error")))
               for r in (b.loc[code], a.loc[code])]
        c = compare(pts[0], pts[1], code, y0)
        if not c.comparable or c.delta is None:
            continue
        rows.append({"label": item_label({**b.loc[code].to_dict(), "item_code": code}, lang),
                     "change": c.delta, "margin": c.margin, "margin_text": c.margin_text(lang)})
    out = pd.DataFrame(rows, columns=cols)
    out = out.reindex(out["change"].abs().sort_values(ascending=False).index).head(top)
    return out.reset_index(drop=True), (y0, y1)


def _float(x: SupportsFloat | str | None) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(f) else f


def predecessors(ranking: pd.DataFrame, merge: pd.DataFrame, provinces34: pd.DataFrame,
                 lang: str) -> pd.DataFrame:
    """One row per old province with its new (34) province: tile_map(vintage='34') input.

    Columns: province_code, label, value, performance_group, new_code, new_label, hover.
    """
    from dashboard.charts.maps import predecessor_text

    new_names = {r["code"]: name(r, lang) for _, r in provinces34.iterrows()}
    d = ranking.assign(label=[name(r, lang) for _, r in ranking.iterrows()])
    d = d.merge(merge, left_on="province_code", right_on="old_code", how="inner")
    d["new_label"] = d["new_code"].map(new_names).fillna(d["new_code"])
    hover = {code: predecessor_text(g["new_label"].iat[0], g, lang)
             for code, g in d.groupby("new_code")}
    d["hover"] = d["new_code"].map(hover)
    return d[["province_code", "label", "value", "performance_group", "new_code",
              "new_label", "hover"]]


def join_units(units: Iterable[object] | float | None) -> str:
    """A VARCHAR[] of units as '; '-joined text."""
    if units is None or isinstance(units, float):
        return ""
    return "; ".join(str(u) for u in list(units))


def task_export_frame(actions: pd.DataFrame, lang: str, statuses: pd.DataFrame | None = None,
                      dimensions: dict[str, str] | None = None) -> pd.DataFrame:
    """The task-tracker table as shown and downloaded (CSV and xlsx): status first, then the
    due date and days overdue; numbers stay numbers and dates stay dates (the page shows them
    dd/mm/yyyy, the CSV writes dd/mm/yyyy, the xlsx stores date cells).

    actions: data.actions() frame, with days_overdue where dashboard.subject added it.
    Columns are translated.
    """
    st_names = {r["status_code"]: r["name_en" if lang == "en" else "name_vi"]
                for _, r in style.statuses(statuses).iterrows()}
    dims = dimensions or {}
    a = actions

    def day(values: Iterable[object]) -> list[object]:
        col = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
        dates = pd.to_datetime(col).dt.date  # one pass over the column, not a Timestamp per cell
        return [None if d is pd.NaT else d for d in dates]

    late = a["days_overdue"] if "days_overdue" in a.columns else pd.Series(
        [pd.NA] * len(a), index=a.index, dtype="Int64")
    due = a["due_on"] if "due_on" in a.columns else pd.Series([None] * len(a), index=a.index)
    return pd.DataFrame({
        t("col_status", lang): [st_names.get(s, s) for s in a["status_code"]],
        t("col_due", lang): day(due),
        t("col_days_overdue", lang): pd.array(late, dtype="Int64"),
        t("col_action", lang): a["text"],
        t("col_dimension", lang): [dims.get(c, t("general", lang) if c == "GENERAL" else c)
                                   for c in a["dimension_code"]],
        t("col_units", lang): [join_units(u) for u in a["lead_units"]],
        t("col_coord", lang): [join_units(u) for u in a["coordinating_units"]],
        t("col_percent", lang): pd.array(a["percent_done"], dtype="Int64"),
        t("col_evidence", lang): a["result"].fillna(""),
        t("col_reported", lang): day(a["reported_on"]),
        t("col_plan", lang): a["plan_number"].astype(str),
        t("col_year", lang): pd.array(a["report_year"], dtype="Int64"),
    })
