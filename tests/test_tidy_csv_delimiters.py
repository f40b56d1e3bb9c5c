"""A tidy CSV saved by Excel under Vietnamese regional settings (';' between fields, decimal
commas, Windows-1258) loads exactly as the same data written with commas; a tab-separated
export too. Before, such a file was skipped as 'not a PAPI score file' with exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.steps.warehouse import build
from tests.reliability import corpus as C
from tests.warehouse_query import q

SCORES = "SELECT year, province_code, item_code, value, status FROM mart.score ORDER BY ALL"


def _as(rows: list[list[object]], sep: str, decimal: str) -> str:
    header = ["year", "gso_code", "subdim_no", "score"]
    lines = [sep.join(header)]
    for r in rows:
        cells = [str(r[0]), str(r[1]), str(r[2]),
                 "" if r[3] in (None, "") else f"{r[3]}".replace(".", decimal)]
        lines.append(sep.join(cells))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(("sep", "decimal", "encoding"),
                         [(";", ",", "cp1258"), (";", ",", "utf-8-sig"), ("\t", ".", "utf-8")],
                         ids=["excel-vi-semicolon-cp1258", "semicolon-utf8-bom", "tab"])
def test_other_separators_load_as_the_contract(tmp_path: Path, sep: str, decimal: str,
                                               encoding: str) -> None:
    rows = C.tidy_rows(2022)
    (tmp_path / "comma").mkdir()
    C.write_csv(tmp_path / "comma" / "scores.csv", rows)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "scores.csv").write_bytes(_as(rows, sep, decimal).encode(encoding))
    want = q(build([tmp_path / "comma"], tmp_path / "a.duckdb", progress=False), SCORES)
    db = build([tmp_path / "other"], tmp_path / "b.duckdb", progress=False)
    assert want and q(db, SCORES) == want
    assert q(db, "SELECT kind, status FROM meta.source_file") == [("tidy_csv", "loaded")]


def test_semicolon_file_with_a_bad_cell_names_it(tmp_path: Path) -> None:
    from etl.problems import InputError

    rows = C.tidy_rows(2022)
    rows[4][3] = "cao"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.csv").write_text(_as(rows, ";", ","), encoding="utf-8")
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    [p] = err.value.problems
    assert (Path(p.file).name, p.cell, p.found, p.message) == (
        "s.csv", "row 6, column score", "cao", "text in a number cell")
