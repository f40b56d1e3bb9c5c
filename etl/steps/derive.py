"""Derived figures: dimensions from sub-dimensions, totals from dimensions; gaps as 'not published'."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from etl import ref
from etl.problems import ProblemLog, num_vi
from etl.steps.reconcile import ITEM, MEASURE, PROV, STATUS, VALUE, VINTAGE, YEAR, take

PARTS_VI = {"sub-dimensions": "chỉ số nội dung thành phần", "dimensions": "chỉ số nội dung"}

DIM_TOL = 0.02
# the columns of the reconciled scores complete() reads
READS = ("year", "vintage", "province_code", "item_code", "measure", "value", "status")
TOTAL_TOL = 0.05


def derive_and_complete(rows: list[list], problems: ProblemLog) -> list[list]:
    """The rows to add: missing dimension and total values as sums, given ones cross-checked,
    gaps filled.

    `rows` are the reconciled scores (etl.steps.reconcile: OBS_COLS, then vintage and PICK_COLS),
    one per year × vintage × province × item × measure (status published / not_published). In the
    vintage a year is expected in (63 up to 2024, 34 from 2025), every province of that vintage
    ends up with a 'value' row per item of the year's era; what no source gives and cannot be
    summed is 'not_published', value NULL. Data of the other vintage (e.g. the old provinces in
    a later year) is completed only for the provinces it gives: absorbed provinces are never
    padded into the years after the merger. The rows returned have the same layout.

    Worked a year × vintage at a time on a province × item grid (numpy); sums add the parts in
    the era's order, as Python's sum does; rows and warnings come in province, then item order.
    """
    names = ["year", "province_code", "item_code", "measure", "value", "status"]
    at = (YEAR, PROV, ITEM, MEASURE, VALUE, STATUS, VINTAGE)
    cols = {name: [r[i] for r in rows] for name, i in zip([*names, "vintage"], at, strict=True)}
    return complete(cols, problems)


def complete(cols: Mapping[str, Sequence], problems: ProblemLog) -> list[list]:
    """derive_and_complete() on the reconciled scores as columns (year, vintage, province_code,
    item_code, measure, value, status at least)."""
    measure = cols["measure"]
    idx = [i for i, m in enumerate(measure) if m == "value"]
    at: dict[tuple, list[int]] = {}
    for i, pair in enumerate(zip(take(cols["year"], idx), take(cols["vintage"], idx),
                                 strict=True)):
        got = at.get(pair)
        if got is None:
            at[pair] = [i]
        else:
            got.append(i)
    prov_all = np.array(take(cols["province_code"], idx), dtype=object)
    item_all = np.array(take(cols["item_code"], idx), dtype=object)
    value_all = np.array([np.nan if v is None else v for v in take(cols["value"], idx)],
                         dtype=np.float64)
    pub_all = np.array([s == "published" for s in take(cols["status"], idx)], dtype=bool)
    new: list[list] = []
    for year, vintage in sorted(set(zip(cols["year"], cols["vintage"], strict=True))):
        era = ref.era_for(int(year))
        if era is None:
            continue
        at_pair = np.array(at.get((year, vintage), []), dtype=np.intp)
        if vintage == ref.vintage_for_year(int(year)):
            provinces = ref.province_codes(vintage)
        else:
            provinces = sorted(set(prov_all[at_pair]))
        _derive_pair(year, vintage, era, provinces, prov_all[at_pair], item_all[at_pair],
                     value_all[at_pair], pub_all[at_pair], new, problems)
    return new


def _row(year: int, vintage: str, province: str, item: str, value: float | None, status: str,
         source: str) -> list:
    """A derived row in the layout of the reconciled rows (no file, sheet or cell; priority 99)."""
    return [year, province, item, "value", value, status, source, None, None, None, 99, vintage,
            source, None, None]


def _derive_pair(year: int, vintage: str, era: ref.Era, provinces: list[str], prov: np.ndarray,
                 item: np.ndarray, value: np.ndarray, pub: np.ndarray, new: list[list],
                 problems: ProblemLog) -> None:
    """Complete one year × vintage: `prov`, `item`, `value`, `pub` are its 'value' rows."""
    tree = [(dim, era.subdimensions(dim)) for dim in era.dimensions()]
    columns = [s for _, subs in tree for s in subs] + [d for d, _ in tree] + ["TOTAL"]
    col_of = {c: i for i, c in enumerate(columns)}
    n_prov = len(provinces)
    place = {p: i for i, p in enumerate(provinces)}
    pi = np.array([place.get(p, -1) for p in prov], dtype=np.intp)
    ci = np.array([col_of.get(i, -1) for i in item], dtype=np.intp)
    keep = (pi >= 0) & (ci >= 0)
    shape = (n_prov, len(columns))
    given = np.zeros(shape, dtype=bool)
    is_pub = np.zeros(shape, dtype=bool)
    val = np.full(shape, np.nan)
    given[pi[keep], ci[keep]] = True
    is_pub[pi[keep], ci[keep]] = pub[keep]
    val[pi[keep], ci[keep]] = value[keep]
    warnings: list[tuple] = []
    added: list[tuple] = []  # ((province, sequence), row): sorted into the per-province order
    sequence = 0  # an item's place in the original province-by-province order

    def settle(code: str, part_vals: list[np.ndarray], part_has: list[np.ndarray],
               tol: float, part_name: str, derived: str) -> tuple[np.ndarray, np.ndarray]:
        """Value and has-value per province of one dimension (or the total) from its parts."""
        nonlocal sequence
        c = col_of[code]
        complete = np.logical_and.reduce(part_has) if part_has else np.ones(n_prov, dtype=bool)
        total = np.zeros(n_prov)
        for v in part_vals:
            total = total + v
        g, gp, gv = given[:, c], is_pub[:, c], val[:, c]
        for p in np.flatnonzero(g & gp & complete & (np.abs(gv - total) > tol)):
            warnings.append(((p, sequence), f"{code} for province {provinces[p]} in {year} is "
                             f"{gv[p]:.4f} but its {part_name} sum to {total[p]:.4f}",
                             f"{code} của tỉnh {provinces[p]} năm {year} là "
                             f"{num_vi(gv[p], '.4f')} nhưng tổng các {PARTS_VI[part_name]} là "
                             f"{num_vi(total[p], '.4f')}"))
        has = np.where(g, gp, complete)
        out = np.where(g, gv, total)
        added.extend(
            ((p, sequence), (year, vintage, provinces[p], code,
                             float(out[p]) if has[p] else None,
                             "published" if has[p] else "not_published",
                             derived if has[p] else "absent from all sources"))
            for p in np.flatnonzero(~g))
        sequence += 1
        return out, has

    dim_vals, dim_has = [], []
    for dim, subs in tree:
        for s in subs:
            c = col_of[s]
            added.extend(((p, sequence), (year, vintage, provinces[p], s, None, "not_published",
                                          "absent from all sources"))
                         for p in np.flatnonzero(~given[:, c]))
            sequence += 1
        cs = [col_of[s] for s in subs]
        out, has = settle(dim, [val[:, c] for c in cs], [is_pub[:, c] for c in cs],
                          DIM_TOL, "sub-dimensions", "derived: sum of sub-dimensions")
        dim_vals.append(out)
        dim_has.append(has)
    settle("TOTAL", dim_vals, dim_has, TOTAL_TOL, "dimensions", "derived: sum of dimensions")
    for _, message, message_vi in sorted(warnings, key=lambda w: w[0]):
        problems.warning("(cross-check)", message, action="check the source file",
                         message_vi=message_vi, action_vi="kiểm tra tệp nguồn")
    new += [_row(*row) for _, row in sorted(added, key=lambda a: a[0])]
