"""Issue 21, item 1: a tidy CSV row whose field count differs from the header is an error naming
the row; a value never parses by dropping a field; decimal commas only where the file's dialect
(its separator) says so, never guessed cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.problems import InputError
from etl.readers import tidy_csv
from etl.steps.warehouse import build
from tests.reliability import corpus as C

HEADER = "year,gso_code,subdim_no,score"


def _lines(sep: str = ",", decimal: str = ".") -> list[str]:
    return [sep.join([str(y), str(c), str(s), f"{v}".replace(".", decimal)])
            for y, c, s, v in C.tidy_rows(2022)]


def _errors(path: Path) -> list[tuple[str | None, str, str | None]]:
    return [(p.cell, p.message, p.found) for p in tidy_csv.read(path).problems.errors]


def test_unquoted_decimal_comma_in_a_comma_file_is_an_error_naming_the_row(tmp_path: Path) -> None:
    lines = _lines()
    year, code, sub, _ = lines[3].split(",")
    lines[3] = f"{year},{code},{sub},1,427016"  # the row of '…,1,427016,…': 5 fields, header 4
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "scores.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    assert _errors(path) == [("row 5", "the row has 5 fields, the header 4", "1 | 427016")]
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    [p] = err.value.problems
    assert p.cell == "row 5" and p.message_vi.startswith("dòng có 5 trường")
    assert not (tmp_path / "w.duckdb").exists()


def test_short_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    lines = _lines()
    lines[0] = lines[0].rsplit(",", 1)[0]  # the score left out: 3 fields
    path = tmp_path / "s.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    [(cell, message, _)] = _errors(path)
    assert (cell, message) == ("row 2", "the row has 3 fields, the header 4")


def test_quoted_decimal_comma_in_a_comma_file_is_not_guessed(tmp_path: Path) -> None:
    lines = _lines()
    year, code, sub, _ = lines[2].split(",")
    lines[2] = f'{year},{code},{sub},"1,427016"'
    path = tmp_path / "q.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    [(cell, message, found)] = _errors(path)
    assert (cell, found) == ("row 4, column score", "1,427016")
    assert "decimal comma" in message


def test_semicolon_file_decimal_point_among_decimal_commas_is_an_error(tmp_path: Path) -> None:
    lines = _lines(";", ",")
    lines[6] = lines[6].replace(",", ".")
    path = tmp_path / "vi.csv"
    path.write_text("\n".join([HEADER.replace(",", ";"), *lines]) + "\n", encoding="utf-8")
    [(cell, message, _)] = _errors(path)
    assert cell == "row 8, column score" and "decimal point" in message


def test_semicolon_file_with_a_comma_in_a_column_name_is_read(tmp_path: Path) -> None:
    """Before: the comma in 'ghi chú, nguồn' made the file comma-separated, nothing matched the
    contract, and the file was skipped as 'not a PAPI score file' without a word."""
    header = "year;gso_code;subdim_no;score;ghi chú, nguồn"
    lines = [line + ";" for line in _lines(";", ",")]
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "vi.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    assert tidy_csv.looks_like(path)
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    from tests.warehouse_query import q
    assert q(db, "SELECT kind, status, rows FROM meta.source_file") == [
        ("tidy_csv", "loaded", len(lines))]
