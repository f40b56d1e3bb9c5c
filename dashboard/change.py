"""One year-on-year change of a PAPI score: comparable or not (merger, methodology), rank, margin.

The contract shared by the pages, the movers table, the briefing deck and the notebooks:

    score_change(province_code, vintage, item_code, year, prev_year, path=None) -> Change

`province_code` is a GSO code of `vintage` ('63' or '34', see etl.ref) for `year`. The previous
year is read in the geography of that year (etl.ref.vintage_for_year):

- same geography → the same province;
- a 34-province compared with a year ≤ 2024: allowed only for a province whose territory did not
  change on 01/07/2025 (etl.ref.is_unchanged: Hà Nội, Cao Bằng, Lạng Sơn, …), with its ranks out
  of different numbers of provinces ("5/34 so với 12/61"); a merged province is never compared
  with a predecessor (comparable False, delta None, reason "Không so sánh được: tỉnh mới sáp
  nhập từ 01/07/2025 (tiền thân: …)"); the same rule applies the other way round.
- a methodology break (etl/ref/methodology_breaks.csv) of the item, of its dimension, or of
  TOTAL for TOTAL, in (prev_year, year], or a different scale of the item in the two years'
  eras → not comparable, with the break's year and note as the reason;
- a year not published (or absent) → not comparable, "Không so sánh được: {year} không công bố".

`delta` = value − previous, only when comparable. Rank and rank_of come from the year's own
geography (TOTAL: mart.province_year; other items: by value, ties share the better rank);
`rank_move` (previous − current rank, positive = up) exists only within one geography.

`margin` says whether the change exceeds the published margin of error (issue 14):
'exceeds' | 'within' | 'unknown'. With a standard error for both years: |delta| > 1,96 ·
√(se₁² + se₀²); otherwise with 95% intervals: the half-widths h = (ci_high − ci_low)/2 combine
the same way, |delta| > √(h₁² + h₀²) (one year's half-width alone where only one is published).
Nothing published, or not comparable → 'unknown' ("không có biên sai số công bố").

Pure apart from reading the warehouse through dashboard.data; `compare()` is the rule on two
already-read points, for callers that hold the rows (movers tables, the deck).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cache

from dashboard import data
from dashboard.i18n import fmt_date, t
from etl import ref

Z95 = 1.959964


@dataclass(frozen=True)
class Point:
    """One province-year-item as read: value (None = not published), margin, rank."""

    year: int
    vintage: str
    province_code: str
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    std_error: float | None = None
    rank: int | None = None
    rank_of: int | None = None


@dataclass(frozen=True)
class Change:
    """A change from `prev_year` to `year`; delta None whenever comparable is False."""

    province_code: str
    vintage: str
    item_code: str
    year: int
    prev_year: int
    prev_vintage: str
    prev_province_code: str | None
    value: float | None
    previous: float | None
    delta: float | None
    comparable: bool
    reason_vi: str
    reason_en: str
    rank: int | None
    rank_of: int | None
    prev_rank: int | None
    prev_rank_of: int | None
    margin: str  # 'exceeds' | 'within' | 'unknown'

    def reason(self, lang: str = "vi") -> str:
        return self.reason_en if lang == "en" else self.reason_vi

    @property
    def rank_move(self) -> int | None:
        """Places gained (positive) or lost; None across geographies or when not comparable."""
        if (not self.comparable or self.vintage != self.prev_vintage or self.rank is None
                or self.prev_rank is None):
            return None
        return self.prev_rank - self.rank

    def rank_text(self, lang: str = "vi") -> str:
        """'5/34 so với 12/61' ('vs' in English); '' without both ranks."""
        if self.rank is None or self.prev_rank is None or not self.comparable:
            return ""
        return t("chg_rank_vs", lang, rank=self.rank, of=self.rank_of, prev=self.prev_rank,
                 prev_of=self.prev_rank_of)

    def margin_text(self, lang: str = "vi") -> str:
        """'vượt biên sai số' / 'trong biên sai số' / 'không có biên sai số công bố'."""
        return t(f"chg_margin_{self.margin}", lang)


def _num(x: object) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _half_width(p: Point) -> float | None:
    if p.std_error is not None:
        return Z95 * p.std_error
    if p.ci_low is not None and p.ci_high is not None:
        return (p.ci_high - p.ci_low) / 2
    return None


def margin_verdict(cur: Point, prev: Point, delta: float | None) -> str:
    """'exceeds' | 'within' | 'unknown' for a delta between two points (rule in the module doc)."""
    if delta is None:
        return "unknown"
    widths = [h for h in (_half_width(cur), _half_width(prev)) if h is not None]
    if not widths:
        return "unknown"
    return "exceeds" if abs(delta) > math.sqrt(sum(h * h for h in widths)) else "within"


@cache
def _breaks() -> tuple[tuple[int, str, str, str], ...]:
    return tuple((int(r["year"]), r["item_code"], r["note_vi"], r["note_en"])
                 for r in ref.read_csv("methodology_breaks.csv"))


def _item_scope(item_code: str) -> set[str]:
    """The item and, for a sub-dimension or indicator (D5.1, D5.1.2), its dimension (D5)."""
    return {item_code, item_code.split(".")[0]}


def method_break(item_code: str, year: int, prev_year: int) -> tuple[str, str] | None:
    """(reason_vi, reason_en) when a methodology break separates the two years for the item."""
    lo, hi = sorted((year, prev_year))
    scope = _item_scope(item_code)
    for b_year, b_item, note_vi, note_en in _breaks():
        if lo < b_year <= hi and b_item in scope:
            return (t("chg_method", "vi", year=b_year, note=note_vi),
                    t("chg_method", "en", year=b_year, note=note_en))
    scales = []
    for y in (year, prev_year):
        era = ref.era_for(y)
        item = era.items.get(item_code) if era else None
        scales.append((item.scale_min, item.scale_max) if item else None)
    if None not in scales and scales[0] != scales[1]:
        return (t("chg_scale", "vi", year=hi), t("chg_scale", "en", year=hi))
    return None


def counterpart(province_code: str, vintage: str, prev_year: int) -> tuple[str, str | None]:
    """(vintage, code) of the same territory in prev_year's geography; code None if merged."""
    prev_vintage = ref.vintage_for_year(prev_year)
    if prev_vintage == vintage:
        return vintage, province_code
    if vintage == ref.NEW:
        return prev_vintage, province_code if ref.is_unchanged(province_code) else None
    new = ref.successor(province_code)
    return prev_vintage, new if new == province_code and ref.is_unchanged(new) else None


def _merger_reason(province_code: str, vintage: str) -> tuple[str, str]:
    day = fmt_date(ref.MERGER_DATE)
    if vintage == ref.NEW:
        olds = ref.predecessors(province_code)
        return tuple(t("chg_merged", lang, date=day, names=", ".join(  # type: ignore[return-value]
            ref.province_name(c, ref.OLD, lang) for c in olds)) for lang in ("vi", "en"))
    new = ref.successor(province_code)
    return tuple(t("chg_absorbed", lang, date=day,  # type: ignore[return-value]
                   name=ref.province_name(new, ref.NEW, lang)) for lang in ("vi", "en"))


def compare(cur: Point, prev: Point | None, item_code: str, prev_year: int) -> Change:
    """The change between two read points (prev None: the territory has no counterpart)."""
    prev_vintage = prev.vintage if prev else ref.vintage_for_year(prev_year)
    reason: tuple[str, str] | None = None
    if prev is None:
        reason = _merger_reason(cur.province_code, cur.vintage)
    elif cur.value is None or prev.value is None:
        missing = cur.year if cur.value is None else prev_year
        reason = (t("chg_missing", "vi", year=missing), t("chg_missing", "en", year=missing))
    else:
        reason = method_break(item_code, cur.year, prev_year)
    comparable = reason is None
    if comparable and prev is not None and prev.vintage != cur.vintage:
        note = (t("chg_unchanged", "vi", date=fmt_date(ref.MERGER_DATE)),
                t("chg_unchanged", "en", date=fmt_date(ref.MERGER_DATE)))
    else:
        note = reason or ("", "")
    delta = (cur.value - prev.value) if comparable and prev and prev.value is not None \
        and cur.value is not None else None
    return Change(
        province_code=cur.province_code, vintage=cur.vintage, item_code=item_code,
        year=cur.year, prev_year=prev_year, prev_vintage=prev_vintage,
        prev_province_code=prev.province_code if prev else None,
        value=cur.value, previous=prev.value if prev else None, delta=delta,
        comparable=comparable, reason_vi=note[0], reason_en=note[1],
        rank=cur.rank, rank_of=cur.rank_of,
        prev_rank=prev.rank if prev else None, prev_rank_of=prev.rank_of if prev else None,
        margin=margin_verdict(cur, prev, delta) if prev else "unknown")


def read_point(province_code: str, vintage: str, item_code: str, year: int,
               path: str | os.PathLike[str] | None = None) -> Point:
    """The warehouse's point (value None where not published or absent)."""
    df = data.score_ranks(year, vintage, item_code, path)
    row = df[df["province_code"] == province_code]
    if row.empty:
        return Point(year, vintage, province_code)
    r = row.iloc[0]
    n = _num(r["n_ranked"])
    rank = _num(r["rank"])
    return Point(year, vintage, province_code, _num(r["value"]), _num(r["ci_low"]),
                 _num(r["ci_high"]), _num(r["std_error"]),
                 int(rank) if rank is not None else None, int(n) if n else None)


def score_change(province_code: str, vintage: str, item_code: str, year: int, prev_year: int,
                 path: str | os.PathLike[str] | None = None) -> Change:
    """The change of one item for one province from prev_year to year (contract above)."""
    cur = read_point(province_code, vintage, item_code, year, path)
    prev_vintage, prev_code = counterpart(province_code, vintage, prev_year)
    prev = read_point(prev_code, prev_vintage, item_code, prev_year, path) \
        if prev_code is not None else None
    return compare(cur, prev, item_code, prev_year)
