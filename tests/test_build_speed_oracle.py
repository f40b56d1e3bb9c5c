"""The set-based reconcile and copied-year check give what the per-key code before them gave.

The previous implementations (main at a6cb75f) are kept unchanged in tests/reference as oracles;
both run on the same generated sources — agreeing, disagreeing, withheld, repeated in one file,
corrected, with and without --keep-going — and must return the same frame and the same problems
(severity, file, sheet, cell, text, found, in the same order)."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pandas as pd
import pytest

from etl.problems import ProblemLog
from etl.readers.base import Dataset, Observation
from etl.steps import reconcile, validate
from etl.steps.corrections import Correction
from tests.reference import english, old_reconcile, old_validate

PROVINCES = [f"{i:02d}" for i in (1, 2, 4, 6, 8, 10, 11, 12)]
ITEMS = ["D1.1", "D1.2", "D2.1", "D2.2", "D3.1", "D1", "D2", "TOTAL"]
LAYOUTS = ["provinces_in_columns", "provinces_in_rows", "tidy_csv", "provinces_in_columns_34"]


def _sources(seed: int) -> list[Dataset]:
    """Several files giving overlapping years with agreements, conflicts and gaps."""
    rnd = random.Random(seed)
    truth = {(y, p, i): round(rnd.uniform(0.5, 2.5), 4)
             for y in (2019, 2020) for p in PROVINCES for i in ITEMS}
    out = []
    for f in range(4):
        for year in (2019, 2020):
            ds = Dataset(Path(f"/in/src{f}.xlsx"), f"{year}" if f % 2 == 0 else None, year,
                         LAYOUTS[f], vintage="63")
            for p in PROVINCES:
                for item in ITEMS:
                    if rnd.random() < 0.25:
                        continue  # not in this source
                    value, status = truth[(year, p, item)], "published"
                    r = rnd.random()
                    if r < 0.06:
                        value += rnd.choice([0.5, -0.3, 0.00005])  # a disagreement (or within TOL)
                    elif r < 0.1:
                        value, status = None, "not_published"
                    cell = f"{'ABCDEFGH'[PROVINCES.index(p)]}{ITEMS.index(item) + 2}"
                    ds.observations.append(Observation(year, p, item, "value", value, status, cell))
                    if rnd.random() < 0.03:  # the same key twice in one file
                        ds.observations.append(Observation(year, p, item, "value",
                                                           (value or 1.0) + 0.2, "published",
                                                           cell + "x"))
                    if rnd.random() < 0.3:
                        ds.observations.append(Observation(year, p, item, "ci_low",
                                                           truth[(year, p, item)] - 0.1,
                                                           "published", cell + "c"))
            out.append(ds)
    return out


def _corrections(seed: int) -> dict:
    rnd = random.Random(seed + 1)
    keys = rnd.sample([(y, p, i) for y in (2019, 2020) for p in PROVINCES for i in ITEMS], 6)
    return {k: Correction(*k, None if n % 3 == 0 else 1.2345, f"src{n}", "checked", n + 2)
            for n, k in enumerate(keys)}


def _problems(log: ProblemLog) -> list[dict]:
    """The problems as dicts; a missing sheet is None on both sides (the previous code passed
    pandas' NaN for a CSV's sheet and printed it as 'nan': that bug is fixed, not kept)."""
    out = [dict(p.__dict__) for p in english(log.items)]
    for d in out:
        if isinstance(d.get("sheet"), float) and d["sheet"] != d["sheet"]:
            d["sheet"] = None
    return out


def _plain(frame: pd.DataFrame) -> list[list]:
    """A frame's rows as Python values, a gap (NaN, None) as None: what the rows compare with."""
    return [[None if v is None or (isinstance(v, float) and v != v) else v for v in row]
            for row in frame.astype(object).itertuples(index=False)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("keep_going", [False, True])
@pytest.mark.parametrize("with_corrections", [False, True])
def test_reconcile_matches_the_per_key_reconcile(seed: int, keep_going: bool,
                                                 with_corrections: bool) -> None:
    """The reconcile on plain rows (no frame library in the build) against the pandas oracle."""
    datasets = _sources(seed)
    obs = reconcile.observations(datasets)
    old_obs = old_reconcile.observations_frame(datasets)
    assert list(old_obs.columns) == reconcile.OBS_COLS
    assert obs == _plain(old_obs)
    fixes = _corrections(seed) if with_corrections else None
    new_log, old_log = ProblemLog(), ProblemLog()
    got = reconcile.reconcile([list(r) for r in obs], new_log, keep_going=keep_going,
                              corrections=fixes)
    want = old_reconcile.reconcile(old_obs.copy(), old_log, keep_going=keep_going,
                                   corrections=fixes)
    assert list(want.columns) == reconcile.OBS_COLS + reconcile.PICK_COLS
    assert got == _plain(want)
    assert _problems(new_log) == _problems(old_log)
    severities = {p.severity for p in new_log.items}
    assert "warning" in severities  # the generated sources do exercise the flagged paths
    assert ("error" in severities) == (not keep_going)
    if with_corrections:
        assert "corrected" in {r[-2] for r in got}


def _years(seed: int) -> list[Dataset]:
    """Datasets of 2017–2021 in three files; some years repeat another year's numbers."""
    rnd = random.Random(seed)
    subs = [f"D{d}.{s}" for d in range(1, 7) for s in range(1, 4)]
    base = {y: {(p, i): round(rnd.uniform(0.5, 2.5), 4) for p in PROVINCES for i in subs}
            for y in range(2017, 2022)}
    base[2020] = dict(base[2019])  # a copied year
    if seed % 2:
        base[2021] = {k: (v if rnd.random() < 0.97 else v + 0.3) for k, v in base[2019].items()}
    out = []
    for f, years in enumerate([(2017, 2018, 2019, 2020, 2021), (2019, 2020), (2018, 2021)]):
        for y in years:
            ds = Dataset(Path(f"/in/book{f}.xlsx"), str(y), y, "provinces_in_columns", vintage="63")
            vals = dict(base[y])
            if f == 1 and y == 2020 and seed % 3 == 0:  # an independent source confirms 2020
                vals = dict(base[2019])
            elif f > 0:  # an independent source with the true numbers of its year
                vals = {k: round(v + rnd.uniform(0.01, 0.2), 4) for k, v in vals.items()}
            for (p, i), v in vals.items():
                ds.observations.append(Observation(y, p, i, "value", v, "published", f"{p}{i}"))
            ds.observations.append(Observation(y, "01", "D1", "value", 5.0, "published", "X1"))
            out.append(ds)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_copied_year_check_matches_the_pairwise_check(seed: int) -> None:
    new, old = _years(seed), _years(seed)
    new_log, old_log = ProblemLog(), ProblemLog()
    validate.refuse_copied_years(new, new_log)
    old_validate.refuse_copied_years(old, old_log)
    assert [d.refused for d in new] == [d.refused for d in old]
    assert _problems(new_log) == _problems(old_log)
    assert any(d.refused for d in new)  # the generated copy is found


def test_check_scales_matches_the_uncached_check() -> None:
    rnd = random.Random(7)
    ds = Dataset(Path("/in/a.xlsx"), "2019", 2019, "provinces_in_columns", vintage="63")
    for p in PROVINCES:
        for item in ("D1.1", "D1", "TOTAL", "D2.2"):
            v = rnd.choice([0.0, 1.5, 3.2, 7.0, 12.0, 90.0])
            for m in ("value", "ci_low", "std_error"):
                ds.observations.append(Observation(2019, p, item, m, v, "published", p + item, str(v)))
    other = copy.deepcopy(ds)
    new_log, old_log = ProblemLog(), ProblemLog()
    validate.check_scales(ds, new_log)
    old_validate.check_scales(other, old_log)
    assert ds.observations == other.observations
    assert _problems(new_log) == _problems(old_log)
    assert {p.severity for p in new_log.items} == {"error", "info"}
