"""A small warehouse with both geographies (63 until 2024, 34 from 2025), written from code."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import ref
from etl.schema import SCHEMA_VERSION

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
        _ref_tables(con)
        con.execute(
            "CREATE TABLE mart.province_year AS SELECT year, vintage, province_code, "
            "value AS total, CASE WHEN value IS NULL THEN NULL ELSE rank() OVER "
            "(PARTITION BY year, vintage ORDER BY value DESC NULLS LAST) END AS rank, "
            "CAST(NULL AS INTEGER) AS performance_group, 8 AS n_dimensions, "
            "count(value) OVER (PARTITION BY year, vintage) AS n_ranked "
            "FROM mart.score WHERE item_code = 'TOTAL'")
        con.execute(
            "CREATE TABLE mart.national AS SELECT year, vintage, item_code, count(value) AS "
            "n_provinces, median(value) AS median, avg(value) AS mean, min(value) AS min, "
            "max(value) AS max, arg_max(province_code, value) AS best_province_code, "
            "max(value) AS best_value FROM mart.score GROUP BY ALL")
        con.execute("CREATE SCHEMA meta")  # the schema version the dashboard checks
        con.execute("CREATE TABLE meta.build AS SELECT false AS is_demo, ? AS schema_version",
                    [SCHEMA_VERSION])
    finally:
        con.close()
    return path


def _ref_tables(con: duckdb.DuckDBPyConnection) -> None:
    """ref.province, ref.province_merge_2025 and ref.item (the items of ITEMS) from etl.ref."""
    con.execute("CREATE SCHEMA ref")
    con.execute("CREATE TABLE ref.province (vintage VARCHAR, code VARCHAR, name_vi VARCHAR, "
                "name_en VARCHAR, name_ascii VARCHAR, full_name_vi VARCHAR, region_vi VARCHAR, "
                "region_en VARCHAR)")
    con.executemany("INSERT INTO ref.province VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(p["vintage"], p["code"], p["name_vi"], p["name_en"], p["name_ascii"],
                      p["full_name_vi"], p["region_vi"], p["region_en"])
                     for p in ref.provinces()])
    con.execute("CREATE TABLE ref.province_merge_2025 (old_code VARCHAR, new_code VARCHAR)")
    con.executemany("INSERT INTO ref.province_merge_2025 VALUES (?, ?)",
                    list(ref.merge_2025().items()))
    con.execute("CREATE TABLE ref.item (item_code VARCHAR, level VARCHAR, parent_code VARCHAR, "
                "name_vi VARCHAR, name_en VARCHAR, unit VARCHAR, scale_min DOUBLE, "
                "scale_max DOUBLE, sort_order INTEGER)")
    items = ref.era_for(2024).items
    con.executemany("INSERT INTO ref.item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(c, items[c].level, items[c].parent_code, items[c].name_vi,
                      items[c].name_en, items[c].unit, items[c].scale_min, items[c].scale_max,
                      i) for i, c in enumerate(ITEMS)])


PLAN_2026 = ("25-2026-SNV-12", "12/KH-SNV", "2026-02-10", 2026, "25", "Phú Thọ", "Sở Nội vụ")
PLAN_2026_ACTIONS = (  # (seq, dimension, text, lead unit)
    (1, "D1", "Niêm yết công khai kế hoạch thực hiện dân chủ ở xã, phường mới sau sáp nhập.",
     "Phòng Xây dựng chính quyền"),
    (2, "D3", "Tổ chức đối thoại định kỳ giữa lãnh đạo tỉnh với người dân các xã mới.",
     "Văn phòng Sở"),
    (3, "D5", "Chuẩn hóa quy trình một cửa liên thông tại trung tâm phục vụ hành chính công.",
     "Phòng Cải cách hành chính"),
)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_schema = 'mart' AND table_name = ?",
                                      [table]).fetchall()}


def _has_34_scores(con: duckdb.DuckDBPyConnection) -> bool:
    return "vintage" in _columns(con, "score") and con.execute(
        "SELECT count(*) FROM mart.score WHERE vintage = '34'").fetchone()[0] > 0


def _has_2026_plan(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM mart.plan WHERE province_code = '25' "
                       "AND year >= 2026").fetchone()[0] > 0


def has_34_scores(db: Path) -> bool:
    """Whether the demo already has what issue 11 adds: 2025 scores by the 34 provinces and a
    2026 plan of the new Phú Thọ (then the tests use it as it is)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return _has_34_scores(con) and _has_2026_plan(con)
    finally:
        con.close()


def demo_2025(src: Path, dst: Path) -> Path:
    """The demo warehouse plus what issue 11 adds to it, for pages tests until it has them.

    2025 scores by the 34 provinces (each new province: its lowest-coded predecessor's 2024
    value + 0,5; TOTAL with a ±0,4 interval) with the vintage column, ranks/medians within the
    34, and a 2026 plan of the new Phú Thọ (25) with three actions not yet reported.
    """
    dst.write_bytes(src.read_bytes())
    con = duckdb.connect(str(dst))
    try:
        for table in ("score", "province_year", "national", "plan"):
            if "vintage" not in _columns(con, table):
                con.execute(f"ALTER TABLE mart.{table} ADD COLUMN vintage VARCHAR DEFAULT '63'")
        if not _has_34_scores(con):
            _add_2025(con)
        if not _has_2026_plan(con):
            _add_2026_plan(con)
    finally:
        con.close()
    return dst


def _add_2025(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "INSERT INTO mart.score BY NAME SELECT 2025 AS year, '34' AS vintage, "
        "m.new_code AS province_code, s.item_code, round(s.value + 0.5, 2) AS value, "
        "CASE WHEN s.item_code = 'TOTAL' THEN round(s.value + 0.1, 2) END AS ci_low, "
        "CASE WHEN s.item_code = 'TOTAL' THEN round(s.value + 0.9, 2) END AS ci_high, "
        "NULL AS std_error, 'published' AS status, 'demo 2025' AS source "
        "FROM mart.score s JOIN (SELECT new_code, min(old_code) AS old_code "
        "  FROM ref.province_merge_2025 GROUP BY new_code) m ON m.old_code = s.province_code "
        "WHERE s.year = 2024 AND s.value IS NOT NULL")
    con.execute(
        "INSERT INTO mart.province_year BY NAME SELECT year, vintage, province_code, "
        "value AS total, rank() OVER (ORDER BY value DESC) AS rank, "
        "ntile(4) OVER (ORDER BY value DESC) AS performance_group, 8 AS n_dimensions "
        "FROM mart.score WHERE year = 2025 AND item_code = 'TOTAL'")
    con.execute(
        "INSERT INTO mart.national BY NAME SELECT year, vintage, item_code, "
        "count(value) AS n_provinces, median(value) AS median, avg(value) AS mean, "
        "min(value) AS min, max(value) AS max, arg_max(province_code, value) "
        "AS best_province_code, max(value) AS best_value FROM mart.score "
        "WHERE year = 2025 GROUP BY ALL")


def _add_2026_plan(con: duckdb.DuckDBPyConnection) -> None:
    pid, number, issued, year, code, pname, agency = PLAN_2026
    con.execute("INSERT INTO mart.plan BY NAME SELECT ? AS plan_id, ? AS number, "
                "?::DATE AS issued_on, ? AS year, ? AS province_code, ? AS province_name, "
                "? AS agency, true AS is_demo, '34' AS vintage",
                [pid, number, issued, year, code, pname, agency])
    for seq, dim, text, unit in PLAN_2026_ACTIONS:
        con.execute("INSERT INTO mart.action BY NAME SELECT ? AS action_id, ? AS plan_id, "
                    "? AS seq, ? AS dimension_code, ? AS text, [?] AS lead_units, "
                    "[]::VARCHAR[] AS coordinating_units",
                    [f"{pid}-A{seq:02d}", pid, seq, dim, text, unit])
        con.execute("INSERT INTO mart.dimension_progress BY NAME SELECT ? AS province_code, "
                    "? AS year, ? AS dimension_code, 1 AS n_actions, 0 AS n_done_on_time, "
                    "0 AS n_done_late, 0 AS n_in_progress, 0 AS n_overdue, "
                    "1 AS n_not_reported", [code, year, dim])
