"""Oracle: the copied-year check as it was on main at a6cb75f (pairwise pandas), unchanged."""

from __future__ import annotations

import pandas as pd

from etl import ref
from etl.problems import ProblemLog
from etl.readers.base import Dataset

SCALE_TOLERANCE = 0.01
DUPLICATE_SHARE = 0.95  # share of equal values above which two years' datasets are copies
AGREE_TOL = 1e-4


def item_scale(item_code: str, year: int) -> tuple[float, float] | None:
    era = ref.era_for(year)
    item = era.items.get(item_code) if era else None
    return (item.scale_min, item.scale_max) if item else None


def check_scales(ds: Dataset, problems: ProblemLog) -> None:
    """Zero in a score whose scale starts above 0 means 'not published'; outside scale is an error."""
    kept = []
    for o in ds.observations:
        scale = item_scale(o.item_code, o.year) if o.measure in ("value", "ci_low", "ci_high") else None
        if scale and o.status == "published" and o.value is not None:
            lo, hi = scale
            if o.value == 0 and lo > 0:
                o.status, o.value = "not_published", None
                if o.measure == "value" and o.item_code == "TOTAL":
                    problems.info(ds.file, f"0 for province {o.province_code} {o.year}: read as "
                                  "'not published' (0 is outside every PAPI scale)",
                                  sheet=ds.sheet, cell=o.cell)
            elif not lo - SCALE_TOLERANCE <= o.value <= hi + SCALE_TOLERANCE:
                problems.error(ds.file, f"score outside the scale of {o.item_code} in {o.year}",
                               sheet=ds.sheet, cell=o.cell, found=o.raw,
                               allowed=f"{lo:g}–{hi:g}", action="correct the value")
                continue
        kept.append(o)
    ds.observations = kept


def _vector(ds: Dataset) -> pd.Series:
    rows = [((o.province_code, o.item_code), o.value) for o in ds.observations
            if o.measure == "value" and o.status == "published" and o.item_code.count(".") == 1]
    if not rows:
        return pd.Series(dtype=float)
    idx, vals = zip(*rows, strict=True)
    s = pd.Series(vals, index=pd.MultiIndex.from_tuples(idx))
    return s[~s.index.duplicated()]


def _agreement(a: pd.Series, b: pd.Series) -> tuple[int, float]:
    common = a.index.intersection(b.index)
    if len(common) == 0:
        return 0, 0.0
    equal = ((a[common] - b[common]).abs() <= AGREE_TOL).sum()
    return len(common), equal / len(common)


def refuse_copied_years(datasets: list[Dataset], problems: ProblemLog) -> None:
    """Refuse datasets whose numbers repeat another year's, unless another source confirms them.

    A dataset is kept when an independent dataset of its own year agrees with it; a copy that
    another source contradicts, or that nothing can confirm, is refused with a clear message.
    """
    vectors = [_vector(d) for d in datasets]
    copies: dict[int, set[int]] = {}
    for i in range(len(datasets)):
        for j in range(i + 1, len(datasets)):
            if datasets[i].year == datasets[j].year:
                continue
            n, share = _agreement(vectors[i], vectors[j])
            if n >= 30 and share >= DUPLICATE_SHARE:
                copies.setdefault(i, set()).add(j)
                copies.setdefault(j, set()).add(i)
    for i, others in copies.items():
        ds = datasets[i]
        same_year = [k for k, d in enumerate(datasets)
                     if d.year == ds.year and k != i and d.file != ds.file]
        verdicts = [_agreement(vectors[i], vectors[k]) for k in same_year]
        confirmed = any(n >= 30 and share >= DUPLICATE_SHARE for n, share in verdicts)
        if confirmed:
            continue
        twins = ", ".join(sorted(f"{datasets[k].source} ({datasets[k].year})" for k in others))
        contradicted = any(n >= 30 for n, _ in verdicts)
        why = ("another source for the same year disagrees with them" if contradicted
               else "no other source confirms which year they belong to")
        ds.refused = f"its numbers are the same as {twins}; {why}"
        problems.warning(ds.file, f"sheet refused: its numbers duplicate another year's "
                         f"({twins}); {why}. Its {ds.year} values are not loaded.",
                         sheet=ds.sheet,
                         action=f"download the official {ds.year} file again from papi.org.vn")
