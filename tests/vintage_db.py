"""A small warehouse with both geographies (63 until 2024, 34 from 2025), written from code."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import ref

ITEMS = ("TOTAL", "D1", "D2", "D2.1")
WITHHELD_2024 = ("82", "96")  # 2024: 61 of the 63 provinces published
# (year, vintage, code, item) → (value, ci_low, ci_high, std_error): the provinces tests read
EXPLICIT: dict[tuple[int, str, str, str], tuple[float, float | None, float | None, float | None]] = {
    (2024, "63", "20", "TOTAL"): (44.15, 43.55, 44.75, None),
    (2025, "34", "20", "TOTAL"): (45.00, 44.40, 45.60, None),
    (2025, "34", "25", "TOTAL"): (46.00, 45.50, 46.50, None),
    (2023, "63", "01", "D1"): (5.00, None, None, 0.10),
    (2024, "63", "01", "D1"): (5.50, None, None, 0.10),
    (2023, "63", "04", "D1"): (5.00, None, None, 0.20),
    (2024, "63", "04", "D1"): (5.20, None, None, 0.20),
    (2023, "63", "22", "D1"): (5.00, None, None, None),
    (2024, "63", "22", "D1"): (5.30, None, None, None),
    (2017, "63", "01", "D1"): (5.10, None, None, None),
    (2018, "63", "01", "D1"): (5.40, None, None, None),
}


def filler(year: int, code: str, item: str) -> float:
    """Every other value: 30 + 0,2 × code for TOTAL (×0,1 of it for parts), + 0,1 per year."""
    base = 30 + int(code) * 0.2 + (year - 2023) * 0.1
    return round(base if item == "TOTAL" else base / 10, 2)


def build_vintage_db(path: Path, years63: tuple[int, ...] = (2017, 2018, 2023, 2024),
                     years34: tuple[int, ...] = (2025,)) -> Path:
    """mart.score / mart.province_year / mart.national with the vintage column (CONTRACT)."""
    rows = []
    for vintage, years in ((ref.OLD, years63), (ref.NEW, years34)):
        for year in years:
            for code in ref.province_codes(vintage):
                for item in ITEMS:
                    v, lo, hi, se = EXPLICIT.get((year, vintage, code, item),
                                                 (filler(year, code, item), None, None, None))
                    if year == 2024 and code in WITHHELD_2024:
                        v = lo = hi = se = None
                    rows.append((year, vintage, code, item, v, lo, hi, se,
                                 "published" if v is not None else "not_published"))
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA mart")
        con.execute("CREATE TABLE mart.score (year INTEGER, vintage VARCHAR, province_code "
                    "VARCHAR, item_code VARCHAR, value DOUBLE, ci_low DOUBLE, ci_high DOUBLE, "
                    "std_error DOUBLE, status VARCHAR, source VARCHAR, flag VARCHAR, "
                    "competing VARCHAR)")
        con.executemany("INSERT INTO mart.score VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', "
                        "NULL, NULL)", rows)
        con.execute(
            "CREATE TABLE mart.province_year AS SELECT year, vintage, province_code, "
            "value AS total, CASE WHEN value IS NULL THEN NULL ELSE rank() OVER "
            "(PARTITION BY year, vintage ORDER BY value DESC NULLS LAST) END AS rank, "
            "CAST(NULL AS INTEGER) AS performance_group, 8 AS n_dimensions, "
            "count(value) OVER (PARTITION BY year, vintage) AS n_ranked "
            "FROM mart.score WHERE item_code = 'TOTAL'")
    finally:
        con.close()
    return path
