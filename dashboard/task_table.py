"""The task tracker's frames: filters, counts per unit and status, days overdue and order —
applied to the actions of the view object (dashboard.subject), on pages and in the deck alike."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd

from dashboard import data, prep
from dashboard.i18n import t

ALL = "__all__"
STATUSES = ("done_on_time", "done_late", "in_progress", "overdue", "not_reported")
STATUS_ORDER = ("overdue", "in_progress", "not_reported", "done_late", "done_on_time")  # shown


PAGE_SIZE = 50


def options(province: str, path: str | os.PathLike[str] | None = None, *,
            vintage: str | None = None) -> tuple[list[str], list[int]]:
    """(lead units, report years newest first) offered by the filters, from aggregates."""
    return (data.action_units(province, path, vintage=vintage),
            sorted(data.action_report_years(province, path, vintage=vintage), reverse=True))


def status_by_year(province: str, dimension: str | None,
                   path: str | os.PathLike[str] | None, *,
                   vintage: str | None, as_of: date) -> pd.DataFrame:
    """data.action_status_by_year plus the planned actions not yet reported: an action counts
    from its plan year until its first report (or up to the latest year shown, if never
    reported) as 'overdue' in a year by whose end (or `as_of`, the view's day) its due date has
    passed, else as 'not_reported'. Columns: year, status_code, n."""
    by = data.action_status_by_year(province, dimension, path, vintage=vintage)
    ay = data.action_years(province, dimension, path, vintage=vintage)
    today = as_of
    last = max([int(y) for y in by["year"]] + [int(y) for y in ay["plan_year"].dropna()],
               default=None)
    extra: dict[tuple[int, str], int] = {}  # (year, status) → actions
    for r in ay.itertuples():
        if pd.isna(r.plan_year) or last is None:  # a plan year: `last` is at least that year
            continue
        stop = int(r.first_report_year) if pd.notna(r.first_report_year) else int(last) + 1
        due = r.due_on.date() if isinstance(r.due_on, pd.Timestamp) else r.due_on
        for y in range(int(r.plan_year), stop):
            late = due is not None and pd.notna(due) and due < min(today, date(y, 12, 31))
            key = (y, "overdue" if late else "not_reported")
            extra[key] = extra.get(key, 0) + 1
    if not extra:
        return by
    add = pd.DataFrame({"year": [k[0] for k in extra], "status_code": [k[1] for k in extra],
                        "n": list(extra.values())})
    out = pd.concat([by, add], ignore_index=True)
    out = out.groupby(["year", "status_code"], as_index=False)["n"].sum()
    return out.sort_values(["year", "status_code"]).reset_index(drop=True)


def dimension_names(lang: str, path: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """{'D1': 'D1 – …', …, 'GENERAL': 'Chung'} in the language."""
    names = {r["item_code"]: prep.item_label(r, lang)
             for _, r in data.items(level="dimension", path=path).iterrows()}
    names["GENERAL"] = t("general", lang)
    return names


def units(province: str, path: str | os.PathLike[str] | None = None, *,
          vintage: str | None = None) -> list[str]:
    """Every lead unit of the province's actions, sorted."""
    return data.action_units(province, path, vintage=vintage)


def status_counts(acts: pd.DataFrame, category: str) -> pd.DataFrame:
    """Actions counted per `category` value and status: status_bars input (n_<status>), one
    row per category value in order (one grouped count: a loop per value took 0.2 s at 10×)."""
    cols = [f"n_{c}" for c in STATUSES]
    if acts.empty:
        return pd.DataFrame(columns=[category, *cols])
    values = acts.groupby(category, sort=True).size().index  # every value, gaps left out
    if not len(values):
        return pd.DataFrame()
    known = acts[acts["status_code"].isin(STATUSES)]
    table = (known.groupby([category, "status_code"], sort=True).size()
             .unstack(fill_value=0) if len(known) else pd.DataFrame(index=values))
    table = table.reindex(index=values, columns=list(STATUSES), fill_value=0)
    return pd.DataFrame({category: values.to_numpy(),
                         **{f"n_{c}": table[c].to_numpy(dtype="int64") for c in STATUSES}})


def apply_filters(acts: pd.DataFrame, filters: dict[str, str]) -> pd.DataFrame:
    """The filters that narrow charts, counts and table alike."""
    keep = pd.Series(True, index=acts.index)
    if filters.get("unit", ALL) != ALL:
        keep &= pd.Series([filters["unit"] in list(u if u is not None else [])
                           for u in acts["lead_units"]], index=acts.index, dtype=bool)
    if filters.get("dimension", ALL) != ALL:
        keep &= acts["dimension_code"] == filters["dimension"]
    if filters.get("status", ALL) != ALL:
        keep &= acts["status_code"] == filters["status"]
    if filters.get("overdue") == "1":
        keep &= acts["status_code"] == "overdue"
    return acts[keep].reset_index(drop=True)


def unit_counts(acts: pd.DataFrame) -> pd.DataFrame:
    """Actions per lead unit and status (an action with two lead units counts for each)."""
    rows = acts.assign(unit=acts["lead_units"]).explode("unit")  # no unit: one row, NaN
    rows["unit"] = rows["unit"].fillna("–")
    return status_counts(rows, "unit")


def shared_leads(acts: pd.DataFrame) -> tuple[int, int]:
    """(actions, lead-unit assignments): an action with two lead units counts for each in
    unit_counts, so the units' numbers add up to more than the actions when these differ."""
    places = sum(max(1, len(u)) if u is not None else 1 for u in acts["lead_units"]) \
        if len(acts) else 0
    return len(acts), int(places)


def with_days_overdue(acts: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """`acts` with days_overdue: as_of − due date for an overdue action, else NA."""
    due = pd.to_datetime(acts["due_on"]) if len(acts) else pd.Series(dtype="datetime64[ns]")
    days = (pd.Timestamp(as_of) - due).dt.days
    late = acts["status_code"] == "overdue"
    return acts.assign(days_overdue=days.where(late).astype("Int64"))


def overdue_first(acts: pd.DataFrame) -> pd.DataFrame:
    """Overdue first, then in progress, not reported, done late, done on time; within a
    status by dimension, plan date and order (the tracker's, deck's and units page's order)."""
    order = {c: i for i, c in enumerate(STATUS_ORDER)}
    out = acts.assign(_o=acts["status_code"].map(order).fillna(len(order)))
    return (out.sort_values(["_o", "dimension_code", "plan_issued_on", "seq"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))
