"""Two tidy files disagreeing: one error naming both cells, readable (no 'nan' for a CSV's sheet)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.problems import InputError
from etl.steps.warehouse import build
from tests.factories import full_tidy_rows, tidy_csv


def test_disagreeing_csv_files_name_both_cells_without_nan(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    tidy_csv(tmp_path / "in" / "a.csv", full_tidy_rows(2024, lambda p, s: 1.5))
    tidy_csv(tmp_path / "in" / "b.csv",
             full_tidy_rows(2024, lambda p, s: 1.6 if (p, s) == ("01", "D1.1") else 1.5))
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    [p] = [p for p in err.value.problems if p.severity == "error"]
    text = p.describe()
    assert "sources disagree on D1.1 value for province 01 in 2024" in text
    assert "a.csv › 2024 row" in p.found and "b.csv › 2024 row" in p.found
    assert "1.5000" in p.found and "1.6000" in p.found
    assert " › nan" not in text  # a CSV has no sheet: nothing between file and row
    assert p.sheet is None and not (tmp_path / "w.duckdb").exists()
