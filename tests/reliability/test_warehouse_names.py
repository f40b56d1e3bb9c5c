"""A warehouse may be called after a schema (mart.duckdb, ref.duckdb …): build and dashboard still work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import data
from etl.steps.warehouse import build
from tests.reliability import corpus as C
from tests.warehouse_query import q


@pytest.mark.parametrize("name", ["mart.duckdb", "ref.duckdb", "meta"])
def test_warehouse_named_like_a_schema(demo_db: Path, tmp_path: Path, name: str) -> None:
    # A build into such a name used to fail with DuckDB's "Ambiguous reference to catalog or
    # schema": the database was named after its hidden temp file (".mart.duckdb.building-…").
    inputs = tmp_path / "in"
    inputs.mkdir()
    C.good_csv(inputs)  # an empty input folder is refused (nothing to build)
    db = build([inputs], tmp_path / name, progress=False)
    # (read through the data module: opened directly, the file itself is catalog "ref" …)
    try:
        got = data.query("SELECT count(*) AS n FROM ref.province WHERE vintage = '34'", path=db)
        assert got["n"].tolist() == [34]
    finally:
        data.close_all()
    # The dashboard opens a version through a hard link beside it: the same clash, same fix.
    copy = tmp_path / "dash" / name
    copy.parent.mkdir()
    shutil.copyfile(demo_db, copy)
    try:
        assert sorted(data.years(path=copy)) == sorted(
            r[0] for r in q(demo_db, "SELECT DISTINCT year FROM mart.province_year"))
    finally:
        data.close_all()
