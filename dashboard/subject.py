"""One province, one year, one language, one as-of day: every figure a page, slide or notebook
shows of that view, fetched once (the view object, issue 19).

A `Subject` is the province of its geography (`vintage` '63' until 30/06/2025, '34' after)
with its predecessors or successor, the chosen year, the language and the day the statuses
are computed for (`as_of`, the warehouse's build day: one clock for every page, slide and
notebook). Its properties are computed on first use and kept:

- `score_year`: the one rule for which year's scores stand beside the view's year — the
  latest year ≤ the view's year that PAPI published in the geography this province's
  figures come from that year (`score_source`). A 2026 plan is read beside the 2025
  scores; old Yên Bái in 2025 beside its 2024 scores; a province unchanged by the merger
  (Hà Nội, Lạng Sơn …) has its own 2011–2024 values, read from the 63 (same territory).
- `headline`: total, rank/n, performance group and the change from the previous year with
  its margin of error, or the reason it is not computed.
- `actions`: the plan actions of the view's year with due date, status as of `as_of` and
  days overdue; `counts` their counts by status — the one overdue figure of the view.

Pages, the briefing deck and the notebooks read these; none computes them again.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from dashboard import change, data, task_table
from dashboard.i18n import fmt_date, t
from dashboard.task_table import overdue_first, with_days_overdue
from etl import ref

STATUS_CODES = task_table.STATUS_ORDER
DONE = ("done_on_time", "done_late")


@dataclass(frozen=True)
class Headline:
    """The view's total: figures of `score_year` (None with `note` saying why)."""

    score_year: int | None
    source: tuple[str, str] | None  # (code, vintage) whose published figures these are
    total: float | None
    rank: int | None
    n_ranked: int | None
    group: int | None
    prev_year: int | None
    change: change.Change | None
    note: str  # why nothing or another year is shown ('' when the view's own year is shown)

    @property
    def rank_text(self) -> str:
        return f"{self.rank}/{self.n_ranked}" if self.rank is not None else "–"

    @property
    def rank_move(self) -> int | None:
        return self.change.rank_move if self.change is not None else None

    @property
    def delta(self) -> float | None:
        c = self.change
        return c.delta if c is not None and c.comparable else None


@dataclass(frozen=True)
class Counts:
    """The view's actions counted: total, per status, overdue, last report, completion."""

    n: int
    by_status: dict[str, int]
    last_reported_on: date | None

    @property
    def n_overdue(self) -> int:
        return self.by_status.get("overdue", 0)

    @property
    def n_not_reported(self) -> int:
        return self.by_status.get("not_reported", 0)

    @property
    def n_done(self) -> int:
        return sum(self.by_status.get(c, 0) for c in DONE)

    @property
    def completion_rate(self) -> float | None:
        return self.n_done / self.n if self.n else None


def count(actions: pd.DataFrame) -> Counts:
    """Counts of an actions frame (the view's, or a filtered part of it)."""
    by = actions["status_code"].value_counts() if len(actions) else pd.Series(dtype=int)
    last = actions["reported_on"].dropna().max() if len(actions) else None
    return Counts(len(actions), {c: int(by.get(c, 0)) for c in STATUS_CODES},
                  None if last is None or pd.isna(last) else pd.Timestamp(last).date())


def warehouse_as_of(path: str | os.PathLike[str] | None) -> date:
    """The day the warehouse's statuses were computed (meta.build.as_of, else its build day)."""
    info = data.build_info(path)
    for key in ("as_of", "built_at"):
        value = info.get(key)
        if value is not None and not pd.isna(value):
            return pd.Timestamp(value).date()
    return date.today()


@dataclass(frozen=True, eq=False)
class Subject:
    """The view: province `code` of `vintage`, `year`, `lang`, statuses as of `as_of`."""

    code: str
    vintage: str
    year: int
    lang: str
    as_of: date
    db: str | None  # the warehouse file (None: etl.paths.db_path())

    # -- who ------------------------------------------------------------------------------
    @property
    def province(self) -> str:  # the name pages and charts used before the view object
        return self.code

    @cached_property
    def province_name(self) -> str:
        return ref.province_name(self.code, self.vintage, self.lang)

    @property
    def is_new(self) -> bool:
        return self.vintage == ref.NEW

    @cached_property
    def predecessors(self) -> list[str]:
        """Old (63) codes merged into this new province ([] for an old province)."""
        return ref.predecessors(self.code) if self.is_new else []

    @cached_property
    def unchanged(self) -> bool:
        """Territory untouched by the merger of 01/07/2025 (Hà Nội, Lạng Sơn …)."""
        new = self.code if self.is_new else ref.successor(self.code)
        return ref.is_unchanged(new) and new == self.code

    @cached_property
    def successor(self) -> str | None:
        return None if self.is_new else ref.successor(self.code)

    # -- scores ---------------------------------------------------------------------------
    @cached_property
    def _published(self) -> dict[str, set[int]]:
        sv = data.score_vintages(self.db)
        sv = sv[sv["n_provinces"] > 0]
        return {v: {int(y) for y in sv.loc[sv["vintage"] == v, "year"]} for v in ref.VINTAGES}

    def score_source(self, year: int) -> tuple[str, str] | None:
        """(code, vintage) whose published figures are this province's in `year`, or None
        (a merged province before 01/07/2025, an absorbed one after: no own figures)."""
        published = self._published
        if self.is_new:
            if year in published[ref.NEW]:
                return self.code, ref.NEW
            if year in published[ref.OLD] and self.unchanged:
                return self.code, ref.OLD
            return None
        if year in published[ref.OLD]:
            return self.code, ref.OLD
        if year in published[ref.NEW] and self.unchanged:
            return self.code, ref.NEW
        return None

    @cached_property
    def score_years(self) -> list[int]:
        """Every year with figures of this province's own territory, ascending."""
        years = self._published[ref.OLD] | self._published[ref.NEW]
        return sorted(y for y in years if self.score_source(y) is not None)

    @cached_property
    def score_year(self) -> int | None:
        """The latest year ≤ the view's year with the province's own figures (None if none)."""
        upto = [y for y in self.score_years if y <= self.year]
        return upto[-1] if upto else None

    @cached_property
    def nearest_score_year(self) -> int | None:
        """When the view has no scores: the nearest year that has (offered to the user)."""
        if not self.score_years:
            return None
        return min(self.score_years, key=lambda y: (abs(y - self.year), -y))

    @cached_property
    def headline(self) -> Headline:
        year = self.score_year
        if year is None:
            return Headline(None, None, None, None, None, None, None, None, self._no_scores_note())
        code, vintage = self.score_source(year)  # type: ignore[misc]
        py = data.province_year(year, code, self.db, vintage=vintage)
        r = py.iloc[0] if len(py) else None

        def num(key: str) -> float | None:
            return None if r is None or pd.isna(r[key]) else float(r[key])

        total, rank, group = num("total"), num("rank"), num("performance_group")
        earlier = [y for y in data.years(self.db) if y < year]
        prev = earlier[-1] if earlier else None
        chg = change.score_change(code, vintage, "TOTAL", year, prev, self.db) \
            if prev is not None and total is not None else None
        note = t("score_year_note", self.lang, year=self.year, sy=year) if year != self.year else ""
        return Headline(year, (code, vintage), total, None if rank is None else int(rank),
                        int(r["n_ranked"]) if r is not None else None,
                        None if group is None else int(group), prev, chg, note)

    def _no_scores_note(self) -> str:
        day = fmt_date(ref.MERGER_DATE, self.lang)
        near = self.nearest_score_year
        if self.is_new and self.year <= ref.LAST_OLD_YEAR:
            names = ", ".join(ref.province_name(c, ref.OLD, self.lang) for c in self.predecessors)
            text = t("new_no_scores", self.lang, name=self.province_name, date=day, names=names)
        else:
            text = t("no_scores_year", self.lang, name=self.province_name, year=self.year)
        return text + (" " + t("nearest_year", self.lang, year=near) if near is not None else "")

    def change_of(self, item: str) -> change.Change | None:
        """The item's change from the previous published year to `score_year`."""
        year = self.score_year
        if year is None:
            return None
        code, vintage = self.score_source(year)  # type: ignore[misc]
        earlier = [y for y in data.years(self.db) if y < year]
        return change.score_change(code, vintage, item, year, earlier[-1], self.db) \
            if earlier else None

    def dimension_scores(self) -> pd.DataFrame:
        """data.scores() of the eight (six) dimensions in `score_year` (empty if none)."""
        year = self.score_year
        codes = list(data.items(level="dimension", path=self.db)["item_code"])
        if year is None:
            return data.scores(self.code, codes, -1, self.db, vintage=self.vintage)
        code, vintage = self.score_source(year)  # type: ignore[misc]
        return data.scores(code, codes, year, self.db, vintage=vintage)

    def own_scores(self, items: list[str]) -> pd.DataFrame:
        """data.scores() of the items for every year ≤ the view's year, each year from this
        province's own territory (score_source): never a predecessor's or successor's."""
        frames = []
        for vintage in ref.VINTAGES:
            years = [y for y in self.score_years if y <= self.year
                     and self.score_source(y) == (self.code, vintage)]
            if years:
                sc = data.scores(self.code, items, path=self.db, vintage=vintage)
                frames.append(sc[sc["year"].isin(years)])
        if not frames:
            return data.scores(self.code, items, -1, self.db, vintage=self.vintage)
        return pd.concat(frames, ignore_index=True)

    # -- plan actions ---------------------------------------------------------------------
    @cached_property
    def actions(self) -> pd.DataFrame:
        """The year's plan actions (data.ACTION_COLUMNS) with `days_overdue` (as of `as_of`
        for an overdue action, else NA); overdue first, then by dimension and order."""
        acts = data.actions(self.code, self.year, path=self.db, vintage=self.vintage)
        return overdue_first(with_days_overdue(acts, self.as_of))

    def actions_of(self, year: int | None) -> pd.DataFrame:
        """The actions of another report year (None: every action's latest report), on this
        view's clock; the view's own year is `actions` itself."""
        if year == self.year:
            return self.actions
        acts = data.actions(self.code, year, path=self.db, vintage=self.vintage)
        return overdue_first(with_days_overdue(acts, self.as_of))

    @cached_property
    def counts(self) -> Counts:
        return count(self.actions)

    @cached_property
    def has_plan(self) -> bool:
        """Whether the province has plan actions of any year."""
        return data.count_actions(self.code, path=self.db, vintage=self.vintage) > 0

    def status_by_year(self, dimension: str | None) -> pd.DataFrame:
        """Actions per year and status (task_table.status_by_year) on this view's clock."""
        return task_table.status_by_year(self.code, dimension, self.db, vintage=self.vintage,
                                         as_of=self.as_of)

    def as_of_text(self) -> str:
        """'tính đến 03/12/2026' / 'as of 03/12/2026'."""
        return t("as_of", self.lang, d=fmt_date(self.as_of, self.lang))


@functools.lru_cache(maxsize=64)
def _cached(code: str, vintage: str, year: int, lang: str, as_of: date, db: str | None,
            sig: object) -> Subject:
    return Subject(code, vintage, year, lang, as_of, db)


def subject(code: str, vintage: str, year: int, lang: str, as_of: date | None,
            db: str | os.PathLike[str] | None) -> Subject:
    """The view object, one per (view, warehouse version): pages of one run share it.
    `as_of` None: the warehouse's own day (warehouse_as_of)."""
    path = None if db is None else str(db)
    day = as_of if as_of is not None else warehouse_as_of(path)
    return _cached(code, vintage, int(year), lang, day, path, data.signature(path))
