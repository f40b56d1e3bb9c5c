"""etl.steps.table writes a table from Python values with the column types and values a pandas
frame of the same values gave (the build wrote its tables from frames before; their types are
part of the warehouse), including the edge cases: gaps, no value at all, no row at all."""

from __future__ import annotations

import random
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.steps import table

CASES = {
    "ints": [1, 2, 3],
    "ints with a gap": [1, None, 3],
    "big ints": [2**40, 1],
    "floats": [1.5, 2.25],
    "floats with a gap": [None, 1.5],
    "ints and floats": [1, 2.5],
    "numpy floats": [np.float64(1.5), None],
    "bools": [True, False],
    "bools with a gap": [True, None],
    "bools and ints": [True, 2],
    "text": ["a", "b"],
    "text with a gap": [None, "b"],
    "text and numbers": ["a", 1],
    "all None": [None, None],
    "dates": [date(2025, 7, 1), None],
    "datetimes": [datetime(2026, 12, 3, 23, 5, 7, 123456)],
    "empty": [],
}


def _by_pandas(con: duckdb.DuckDBPyConnection, values: list, as_object: bool) -> tuple:
    frame = pd.DataFrame({"x": values}) if values else pd.DataFrame([], columns=["x"])
    if as_object:
        frame = frame.astype(object).where(frame.notna(), None)
    con.register("frame", frame)
    try:
        con.execute("CREATE OR REPLACE TABLE want AS SELECT * FROM frame")
    except duckdb.Error as exc:  # a mix DuckDB refuses: refused the same way
        return ("refused", type(exc).__name__)
    finally:
        con.unregister("frame")
    return _read(con, "want")


def _by_table(con: duckdb.DuckDBPyConnection, values: list, as_object: bool) -> tuple:
    try:
        table.store(con, "got", {"x": values}, as_object=as_object)
    except duckdb.Error as exc:
        return ("refused", type(exc).__name__)
    return _read(con, "got")


def _read(con: duckdb.DuckDBPyConnection, name: str) -> tuple:
    kind = con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = ?",
                       [name]).fetchall()
    return kind, con.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()  # noqa: S608


@pytest.mark.parametrize("as_object", [False, True])
@pytest.mark.parametrize("name", list(CASES))
def test_column_types_and_values_as_a_frame_gave(name: str, as_object: bool) -> None:
    con = duckdb.connect()
    values = CASES[name]
    got = _by_table(con, values, as_object)
    assert got == _by_pandas(con, values, as_object)
    assert got[0] != "refused" or name == "bools and ints"


def test_random_columns_as_a_frame_gave() -> None:
    rnd = random.Random(5)
    pools = [[None], [0, 7, -3], [0.5, 2.0, float("nan")], [True, False], ["x", "ý", ""],
             [date(2020, 1, 2)]]
    con = duckdb.connect()
    kinds = set()
    for _ in range(150):
        chosen = rnd.sample(pools, rnd.randint(1, 2))
        values = [rnd.choice(rnd.choice(chosen)) for _ in range(rnd.randint(0, 6))]
        as_object = rnd.random() < 0.5
        got, want = _by_table(con, values, as_object), _by_pandas(con, values, as_object)
        assert got == want, (values, as_object)
        if got[0] != "refused":
            kinds.add(got[0][0][0])
    assert {"BIGINT", "DOUBLE", "BOOLEAN", "VARCHAR", '"NULL"', "DATE"} <= kinds


def test_rows_and_casts() -> None:
    con = duckdb.connect()
    table.store_rows(con, "t", ["a", "b"], [(1, "x"), (2, None)], {"a": "INTEGER"})
    assert _read(con, "t") == ([("INTEGER",), ("VARCHAR",)], [(1, "x"), (2, None)])
    table.store_rows(con, "t", ["a", "b"], [], {"b": "VARCHAR"})
    assert _read(con, "t") == ([('"NULL"',), ("VARCHAR",)], [])


def _scores_write(datasets: list) -> dict[str, str]:
    """staging.score's column types after the scores step writes these datasets."""
    from pathlib import Path

    from etl.steps import ref_step, scores_step
    from etl.steps.context import BuildContext

    con = duckdb.connect()
    for schema in ("ref", "raw", "staging", "mart", "meta"):
        con.execute(f"CREATE SCHEMA {schema}")
    ctx = BuildContext(con, [Path("/in")], keep_going=True, progress=False)
    ref_step.run(ctx)
    scores_step.write(ctx, datasets, {})
    return dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                            "WHERE schema_name = 'staging' AND table_name = 'score'").fetchall())


def _year(year: int, vintage: str, published: bool, workbook: bool, skip: str = "") -> list:
    """A tidy CSV's dataset giving every item of the year for every province (published or
    not), and optionally a regrouped workbook sheet with the same keys (outranked by the CSV)."""
    from pathlib import Path

    from etl import ref
    from etl.readers.base import Dataset, Observation

    items = [i for i in ref.era_for(year).items if i != skip]
    csv = Dataset(Path("/in/t.csv"), None, year, "tidy_csv", vintage=vintage)
    sheet = Dataset(Path("/in/w.xlsx"), str(year), year, "provinces_in_columns_34",
                    vintage=vintage)
    for p in ref.province_codes(vintage):
        for n, item in enumerate(items):
            value = 1.0 + n / 100
            csv.observations.append(Observation(year, p, item, "value", value if published
                                                else None, "published" if published
                                                else "not_published", f"row {n}"))
            sheet.observations.append(Observation(year, p, item, "value", value, "published",
                                                  f"C{n}"))
    return [csv, sheet] if workbook else [csv]


@pytest.mark.parametrize(("case", "value", "sheet"), [
    ("every key from the CSV", "DOUBLE", "VARCHAR"),
    ("every kept row withheld", "DOUBLE", "VARCHAR"),
    ("CSV only", "DOUBLE", '"NULL"'),
    ("withheld, rows derived", '"NULL"', '"NULL"'),
    ("withheld, and a vintage with no number", '"NULL"', '"NULL"'),
])
def test_staging_types_as_the_frame_gave_them(case: str, value: str, sheet: str) -> None:
    """Where the kept rows alone would not say it, staging.score's `value` and `sheet` have the
    types the pandas frame gave them (checked against main at 9ec7614 with the same datasets)."""
    datasets = {
        "every key from the CSV": lambda: _year(2019, "63", True, True),
        "every kept row withheld": lambda: _year(2019, "63", False, True),
        "CSV only": lambda: _year(2019, "63", True, False),
        "withheld, rows derived": lambda: _year(2019, "63", False, True, skip="TOTAL"),
        "withheld, and a vintage with no number": lambda: (_year(2019, "63", False, True)
                                                           + _year(2025, "34", False, False)),
    }[case]()
    types = _scores_write(datasets)
    assert (types["value"], types["sheet"]) == (value, sheet)
    assert types["flag"] == types["competing"] == "VARCHAR"
