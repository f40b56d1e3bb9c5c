"""task_table.status_counts (one grouped count) against the loop it replaced, on random frames."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from dashboard import task_table
from dashboard.task_table import STATUSES


def _loop(acts: pd.DataFrame, category: str) -> pd.DataFrame:
    """The previous status_counts: a value_counts per category value."""
    cols = {f"n_{c}": 0 for c in STATUSES}
    if acts.empty:
        return pd.DataFrame(columns=[category, *cols])
    rows = []
    for value, g in acts.groupby(category, sort=True):
        counts = g["status_code"].value_counts()
        rows.append({category: value, **{f"n_{c}": int(counts.get(c, 0)) for c in STATUSES}})
    return pd.DataFrame(rows)


def _frame(rng: random.Random) -> pd.DataFrame:
    n = rng.choice([0, 1, 2, 5, 40])
    cats = rng.choice([["D1", "D2", "GENERAL"], ["Sở Nội vụ", "Văn phòng", "–"], [2023, 2024],
                       ["D1", None]])
    statuses = [*STATUSES, "unknown", None] if rng.random() < 0.3 else list(STATUSES)
    return pd.DataFrame({"cat": [rng.choice(cats) for _ in range(n)],
                         "status_code": [rng.choice(statuses) for _ in range(n)]})


@pytest.mark.parametrize("seed", range(60))
def test_status_counts_as_the_loop_gave(seed: int) -> None:
    acts = _frame(random.Random(seed))
    new, old = task_table.status_counts(acts, "cat"), _loop(acts, "cat")
    pd.testing.assert_frame_equal(new, old)


def test_status_counts_of_a_category_with_only_unknown_statuses() -> None:
    acts = pd.DataFrame({"cat": ["a", "b", "b"], "status_code": ["x", "overdue", None]})
    pd.testing.assert_frame_equal(task_table.status_counts(acts, "cat"), _loop(acts, "cat"))
