"""The readers' columns: a row taken at once reads as parse_number reads each cell; the view."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from etl.readers.base import Dataset, Observation
from etl.readers.cells import number_row, parse_number

CELLS = [1.5, 2.0, -0.0, 7, 0, None, float("nan"), float("inf"), "KCDL", "1,5", True, 3.25]


@pytest.mark.parametrize("seed", range(200))
def test_a_row_taken_at_once_reads_as_cell_by_cell(seed: int) -> None:
    rnd = random.Random(seed)
    row = [rnd.choice(CELLS) for _ in range(rnd.randint(1, 6))]
    for blanks in (True, False):
        got = number_row(list(row), blanks)
        parsed = [parse_number(c) for c in row]
        simple = all(type(c) in (float, int) and c - c == 0 or (blanks and c is None) for c in row)
        assert (got is not None) == simple, row
        if got is None:
            continue
        values, statuses, raws = got
        n = len(row)
        assert [(v, s, repr(v) if r is None else r) for v, s, r in
                zip(values, statuses or ["published"] * n, raws or [None] * n, strict=True)] \
            == [(p.value, p.status, p.raw) for p in parsed]


def test_the_view_gives_the_observations_and_keeps_a_changed_value_s_text() -> None:
    ds = Dataset(Path("x.xlsx"), "2023", 2023, "provinces_in_columns")
    ds.cols.append("01", "D1", "value", 4.25, "published", "C5", None)
    ds.observations.append(Observation(2023, "02", "D1", "value", None, "not_published", "D5", ""))
    assert list(ds.observations) == [
        Observation(2023, "01", "D1", "value", 4.25, "published", "C5", "4.25"),
        Observation(2023, "02", "D1", "value", None, "not_published", "D5", "")]
    ds.cols.set_value(0, 0.0425)
    assert ds.cols.raw_text(0) == "4.25" and ds.observations[0].value == 0.0425
    ds.observations = [o for o in ds.observations if o.status == "published"]
    assert len(ds.observations) == 1 and ds.cols.cell == ["C5"]
    with pytest.raises(ValueError):
        ds.observations.append(Observation(2022, "01", "D1", "value", 1.0, "published", "C6"))
