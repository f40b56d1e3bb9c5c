"""Oracle: derived figures as they were on main at b6657b6 (province by province), unchanged."""

from __future__ import annotations

from functools import partial

import pandas as pd

from etl import ref
from etl.problems import ProblemLog

DIM_TOL = 0.02
TOTAL_TOL = 0.05


def derive_and_complete(scores: pd.DataFrame, problems: ProblemLog) -> pd.DataFrame:
    """Add missing dimension and total values as sums, cross-check given ones, fill gaps.

    `scores` has one row per year × vintage × province × item × measure (status published /
    not_published). In the vintage a year is expected in (63 up to 2024, 34 from 2025), every
    province of that vintage ends up with a 'value' row per item of the year's era; what no source
    gives and cannot be summed is 'not_published', value NULL. Data of the other vintage (e.g. the
    old provinces in a later year) is completed only for the provinces it gives: absorbed
    provinces are never padded into the years after the merger.
    """
    vals = scores[scores["measure"] == "value"]
    cols = [vals[c].to_numpy(dtype=object) for c in ("year", "vintage", "province_code",
                                                      "item_code", "value", "status")]
    lookup = {(y, vi, p, i): (v, st) for y, vi, p, i, v, st in zip(*cols, strict=True)}
    new_rows = []
    pairs = scores[["year", "vintage"]].drop_duplicates()
    for year, vintage in sorted(zip(pairs["year"].tolist(), pairs["vintage"].to_numpy(dtype=object),
                                    strict=True)):
        era = ref.era_for(int(year))
        if era is None:
            continue
        if vintage == ref.vintage_for_year(int(year)):
            provinces = ref.province_codes(vintage)
        else:
            provinces = sorted(set(vals.loc[(vals["year"] == year) & (vals["vintage"] == vintage),
                                            "province_code"]))
        _row = partial(_new_row, vintage)
        tree = [(dim, era.subdimensions(dim)) for dim in era.dimensions()]
        for prov in provinces:
            dim_values = []
            for dim, sub_codes in tree:
                subs = [lookup.get((year, vintage, prov, s)) for s in sub_codes]
                for s, got in zip(sub_codes, subs, strict=True):
                    if got is None:
                        new_rows.append(_row(year, prov, s, None, "not_published", "absent from all sources"))
                parts = [v for v, st in (x for x in subs if x) if st == "published"]
                complete = len(parts) == len(subs)
                given = lookup.get((year, vintage, prov, dim))
                value = _check_or_sum(given, parts, complete, DIM_TOL, problems,
                                      f"{dim} for province {prov} in {year}", "sub-dimensions")
                if given is None:
                    status = "published" if value is not None else "not_published"
                    new_rows.append(_row(year, prov, dim, value, status,
                                         "derived: sum of sub-dimensions" if value is not None
                                         else "absent from all sources"))
                dim_values.append(value)
            complete = all(v is not None for v in dim_values)
            given = lookup.get((year, vintage, prov, "TOTAL"))
            total = _check_or_sum(given, [v for v in dim_values if v is not None], complete,
                                  TOTAL_TOL, problems, f"TOTAL for province {prov} in {year}",
                                  "dimensions")
            if given is None:
                new_rows.append(_row(year, prov, "TOTAL", total,
                                     "published" if total is not None else "not_published",
                                     "derived: sum of dimensions" if total is not None
                                     else "absent from all sources"))
    if new_rows:
        scores = pd.concat([scores, pd.DataFrame(new_rows)], ignore_index=True)
    return scores


def _check_or_sum(given, parts, complete, tol, problems, what, part_name):
    """The given value if published (cross-checked against the sum), else the sum if complete."""
    total = sum(parts) if complete else None
    if given is not None:
        value, status = given
        if status != "published":
            return None
        if total is not None and abs(value - total) > tol:
            problems.warning("(cross-check)", f"{what} is {value:.4f} but its {part_name} sum to "
                             f"{total:.4f}", action="check the source file")
        return value
    return total


def _new_row(vintage, year, prov, item, value, status, source):
    return {"year": year, "vintage": vintage, "province_code": prov, "item_code": item, "measure": "value",
            "value": value, "status": status, "source": source, "sources": source,
            "file": None, "sheet": None, "cell": None, "priority": 99}
