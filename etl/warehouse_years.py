"""The years a built warehouse holds (scores, plans, reports), read with DuckDB alone and fast.

`papi briefing` checks --year against them before the deck's modules (pandas, plotly) load. The
dashboard's own list is dashboard.data.view_years; tests/test_cli_imports.py keeps the two equal.
"""

from __future__ import annotations

from pathlib import Path

_YEARS_SQL = ("SELECT DISTINCT year FROM mart.province_year UNION "
              "SELECT year FROM mart.plan UNION SELECT year FROM mart.action_status")
_SCORE_YEARS_SQL = "SELECT DISTINCT year FROM mart.province_year"


def warehouse_years(db: Path) -> list[int] | None:
    """Years of `db` with scores, plans or reports, ascending; None when it cannot be read here.

    One short read-only connection; None leaves the judgement to the caller's full path, which
    says what is wrong with the warehouse."""
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        try:
            rows = con.execute(_YEARS_SQL).fetchall()
        except duckdb.CatalogException:  # a warehouse without plans: the scores' years
            rows = con.execute(_SCORE_YEARS_SQL).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return sorted({int(y) for (y,) in rows if y is not None})
