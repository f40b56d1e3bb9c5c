"""The grid-based derive gives what the province-by-province code before it gave.

The previous implementation (main at b6657b6) is kept unchanged in tests/reference as an oracle;
both complete the same generated scores — gaps, not-published sub-dimensions and dimensions,
given dimensions and totals that agree or disagree with their parts, other measures, a year in
the other vintage, years outside every era — and must return the same frame and the same
problems in the same order."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from etl import ref
from etl.problems import ProblemLog
from etl.steps import derive
from tests.reference import english, old_derive

COLS = ["year", "province_code", "item_code", "measure", "value", "status", "source", "file",
        "sheet", "cell", "priority", "vintage", "sources", "flag", "competing"]


def _scores(seed: int) -> pd.DataFrame:
    rnd = random.Random(seed)
    rows = []
    plan = [(2013, "63"), (2019, "63"), (2024, "63"), (2025, "34"), (2025, "63"), (2005, "63")]
    for year, vintage in rnd.sample(plan, rnd.randrange(1, len(plan) + 1)):
        era = ref.era_for(year)
        codes = ref.province_codes(vintage)
        codes = rnd.sample(codes, rnd.randrange(1, min(len(codes), 12) + 1))
        for prov in codes:
            for dim in (era.dimensions() if era else ["D1"]):
                subs = era.subdimensions(dim) if era else ["D1.1"]
                sub_vals = []
                for sub in subs:
                    r = rnd.random()
                    if r < 0.1:
                        continue  # absent
                    v = round(rnd.uniform(0.2, 3.3), rnd.choice([2, 6, 12]))
                    status = "not_published" if r < 0.15 else "published"
                    rows.append(_row(year, vintage, prov, sub, v if status == "published" else None,
                                     status))
                    sub_vals.append(v)
                r = rnd.random()
                if r < 0.5:
                    v = sum(sub_vals) + rnd.choice([0, 0, 0.001, 0.5, -0.03])
                    status = "not_published" if r < 0.05 else "published"
                    rows.append(_row(year, vintage, prov, dim, v if status == "published" else None,
                                     status))
            if rnd.random() < 0.5:
                status = "not_published" if rnd.random() < 0.1 else "published"
                rows.append(_row(year, vintage, prov, "TOTAL",
                                 rnd.uniform(10, 60) if status == "published" else None, status))
            if rnd.random() < 0.3:
                rows.append(_row(year, vintage, prov, "TOTAL", 0.1, "published", "ci_low"))
    if not rows:
        return pd.DataFrame([], columns=COLS)
    return pd.DataFrame(rows, columns=COLS)


def _plain(frame: pd.DataFrame) -> list[list]:
    """A frame's rows as Python values (the build's rows), a gap (NaN, None) as None."""
    return [[None if v is None or (isinstance(v, float) and v != v) else v for v in row]
            for row in frame.astype(object).itertuples(index=False)]


def _row(year, vintage, prov, item, value, status, measure="value") -> tuple:
    return (year, prov, item, measure, value, status, "f.xlsx › s", "/in/f.xlsx", "s", "B2", 0,
            vintage, "f.xlsx › s", None, None)


@pytest.mark.parametrize("seed", range(30))
def test_derive_as_before(seed):
    scores = _scores(seed)
    old_log, new_log = ProblemLog(), ProblemLog()
    old = old_derive.derive_and_complete(scores.copy(), old_log)
    rows = _plain(scores)
    added = derive.derive_and_complete(rows, new_log)
    assert _plain(old.reindex(columns=COLS)) == rows + added
    assert english(new_log.items) == old_log.items


def test_derive_warns_when_parts_disagree():
    """The generated cases do include cross-check warnings (the comparison above is not empty)."""
    found = 0
    for seed in range(30):
        log = ProblemLog()
        derive.derive_and_complete(_plain(_scores(seed)), log)
        found += len(log.items)
    assert found > 10
