"""Checks on read observations: scales, withheld zeros, and datasets that repeat another year."""

from __future__ import annotations

from itertools import compress

import numpy as np

from etl import ref
from etl.problems import ProblemLog
from etl.readers.base import Dataset

SCALE_TOLERANCE = 0.01
DUPLICATE_SHARE = 0.95  # share of equal values above which two years' datasets are copies
AGREE_TOL = 1e-4
_SCALED = ("value", "ci_low", "ci_high")  # the measures on the item's scale


def item_scale(item_code: str, year: int) -> tuple[float, float] | None:
    era = ref.era_for(year)
    item = era.items.get(item_code) if era else None
    if item is None or item.scale_min is None or item.scale_max is None:  # era items have both
        return None
    return item.scale_min, item.scale_max


def check_scales(ds: Dataset, problems: ProblemLog) -> None:
    """Zero in a score whose scale starts above 0 means 'not published'; outside scale is an error."""
    c, year = ds.cols, ds.year
    scales = {item: item_scale(item, year) for item in set(c.item_code)}
    dropped = []
    for i, (item, measure, status, value) in enumerate(zip(c.item_code, c.measure, c.status,
                                                           c.value, strict=True)):
        if value is None or status != "published" or measure not in _SCALED:
            continue
        scale = scales[item]
        if not scale:
            continue
        lo, hi = scale
        if value == 0 and lo > 0:
            c.set_value(i, None, "not_published")
            if measure == "value" and item == "TOTAL":
                code = c.province_code[i]
                problems.info(ds.file, f"0 for province {code} {year}: read as "
                              "'not published' (0 is outside every PAPI scale)",
                              sheet=ds.sheet, cell=c.cell[i],
                              message_vi=f"0 của tỉnh {code} năm {year}: đọc là "
                                         "'không công bố' (0 nằm ngoài mọi thang điểm PAPI)")
        elif not lo - SCALE_TOLERANCE <= value <= hi + SCALE_TOLERANCE:
            problems.error(ds.file, f"score outside the scale of {item} in {year}",
                           sheet=ds.sheet, cell=c.cell[i], found=c.raw_text(i),
                           allowed=f"{lo:g}–{hi:g}", action="correct the value",
                           message_vi=f"điểm ngoài thang đo của {item} năm {year}",
                           action_vi="sửa lại giá trị")
            dropped.append(i)
    if dropped:
        ds.cols = c.without(dropped)


def _vectors(datasets: list[Dataset]) -> tuple[np.ndarray, np.ndarray]:
    """Per dataset its published sub-dimension values on one shared (province, item) axis:
    (values, present) matrices; the first value of a key repeated in a dataset counts."""
    axis: dict[tuple[str, str], int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, ds in enumerate(datasets):
        c = ds.cols
        subs = {item for item in set(c.item_code) if item.count(".") == 1}
        sel = [item in subs and m == "value" and s == "published"
               for item, m, s in zip(c.item_code, c.measure, c.status, strict=True)]
        keys = list(compress(zip(c.province_code, c.item_code, strict=True), sel))
        first = dict(zip(reversed(keys), reversed(list(compress(c.value, sel))), strict=True))
        cols += [axis.setdefault(k, len(axis)) for k in first]  # order does not matter
        vals += [np.nan if v is None else v for v in first.values()]
        rows += [i] * len(first)
    values = np.full((len(datasets), len(axis)), np.nan)
    present = np.zeros((len(datasets), len(axis)), dtype=bool)
    if rows:
        ii, jj = np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)
        values[ii, jj] = np.array(vals, dtype=float)
        present[ii, jj] = True
    return values, present


def _agreements(values: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every pair of datasets: the keys both have, and the share of them with equal values."""
    n = np.zeros((len(values), len(values)), dtype=np.int64)
    equal = np.zeros_like(n)
    for i in range(len(values)):  # one dataset against all: memory datasets × keys
        both = present[i] & present
        n[i] = both.sum(axis=1)
        with np.errstate(invalid="ignore"):
            equal[i] = ((np.abs(values[i] - values) <= AGREE_TOL) & both).sum(axis=1)
    share = np.divide(equal, n, out=np.zeros(n.shape), where=n > 0)
    return n, share


def refuse_copied_years(datasets: list[Dataset], problems: ProblemLog) -> None:
    """Refuse datasets whose numbers repeat another year's, unless another source confirms them.

    A dataset is kept when an independent dataset of its own year agrees with it; a copy that
    another source contradicts, or that nothing can confirm, is refused with a clear message.
    """
    values, present = _vectors(datasets)
    common, shares = _agreements(values, present)
    copies: dict[int, set[int]] = {}
    for i in range(len(datasets)):
        for j in range(i + 1, len(datasets)):
            if datasets[i].year == datasets[j].year:
                continue
            n, share = int(common[i, j]), float(shares[i, j])
            if n >= 30 and share >= DUPLICATE_SHARE:
                copies.setdefault(i, set()).add(j)
                copies.setdefault(j, set()).add(i)
    for i, others in copies.items():
        ds = datasets[i]
        same_year = [k for k, d in enumerate(datasets)
                     if d.year == ds.year and k != i and d.file != ds.file]
        verdicts = [(int(common[i, k]), float(shares[i, k])) for k in same_year]
        confirmed = any(n >= 30 and share >= DUPLICATE_SHARE for n, share in verdicts)
        if confirmed:
            continue
        twins = ", ".join(sorted(f"{datasets[k].source} ({datasets[k].year})" for k in others))
        contradicted = any(n >= 30 for n, _ in verdicts)
        why = ("another source for the same year disagrees with them" if contradicted
               else "no other source confirms which year they belong to")
        why_vi = ("một nguồn khác của cùng năm cho số khác" if contradicted
                  else "không nguồn nào khác xác nhận chúng thuộc năm nào")
        ds.refused = f"its numbers are the same as {twins}; {why}"
        problems.warning(ds.file, f"sheet refused: its numbers duplicate another year's "
                         f"({twins}); {why}. Its {ds.year} values are not loaded.",
                         sheet=ds.sheet,
                         action=f"download the official {ds.year} file again from papi.org.vn",
                         message_vi=f"trang bị từ chối: số liệu trùng với năm khác ({twins}); "
                                    f"{why_vi}. Số liệu năm {ds.year} của trang không được nạp.",
                         action_vi=f"tải lại tệp chính thức năm {ds.year} từ papi.org.vn")
