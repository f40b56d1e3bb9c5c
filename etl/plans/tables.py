"""DDL of the plan tables (raw, staging, mart) and the progress marts' SQL."""

from __future__ import annotations

import duckdb

DDL = [
    """CREATE OR REPLACE TABLE raw.plan_report_row (
        source_file VARCHAR, sheet VARCHAR, row_number INTEGER, plan_id VARCHAR,
        action_id VARCHAR, period VARCHAR, status VARCHAR, percent_done VARCHAR,
        result VARCHAR, notes VARCHAR, reported_on VARCHAR, accepted BOOLEAN)""",
    """CREATE OR REPLACE TABLE mart.plan (
        plan_id VARCHAR PRIMARY KEY, number VARCHAR, issued_on DATE, year INTEGER,
        province_code VARCHAR, province_name VARCHAR, agency VARCHAR, parent_number VARCHAR,
        parent_issued_on DATE, signer VARCHAR, source_file VARCHAR, is_demo BOOLEAN)""",
    """CREATE OR REPLACE TABLE mart.action (
        action_id VARCHAR PRIMARY KEY, plan_id VARCHAR, seq INTEGER, dimension_code VARCHAR,
        text VARCHAR, lead_units VARCHAR[], coordinating_units VARCHAR[])""",
    """CREATE OR REPLACE TABLE mart.action_status (
        action_id VARCHAR, year INTEGER, period VARCHAR, status_code VARCHAR,
        percent_done INTEGER, result VARCHAR, notes VARCHAR, reported_on DATE,
        source_file VARCHAR, sheet VARCHAR, row_number INTEGER, loaded_seq INTEGER,
        is_latest BOOLEAN)""",
]
# Each action's standing in its plan's year: the latest full-year report, else the latest H1.
CURRENT = """
    CREATE OR REPLACE VIEW staging.action_current AS
    WITH s AS (
        SELECT action_id, year, status_code, reported_on, row_number() OVER (
            PARTITION BY action_id, year
            ORDER BY CASE period WHEN 'FY' THEN 0 ELSE 1 END, reported_on DESC,
                     loaded_seq DESC) AS rn
        FROM mart.action_status WHERE is_latest)
    SELECT a.action_id, a.dimension_code, p.province_code, p.year, p.agency,
           CASE WHEN len(a.lead_units) = 0 THEN [p.agency] ELSE a.lead_units END AS units,
           s.status_code, s.reported_on
    FROM mart.action a JOIN mart.plan p USING (plan_id)
    LEFT JOIN s ON s.action_id = a.action_id AND s.year = p.year AND s.rn = 1"""
def _progress_sql(table: str, key: str, source: str) -> str:
    """One progress mart: actions by status per province × year × `key` (dimension or unit)."""
    return f"""CREATE OR REPLACE TABLE mart.{table} AS
    SELECT province_code, year, {key},
        count(*)::INTEGER AS n_actions,
        count(*) FILTER (WHERE status_code = 'done_on_time')::INTEGER AS n_done_on_time,
        count(*) FILTER (WHERE status_code = 'done_late')::INTEGER AS n_done_late,
        count(*) FILTER (WHERE status_code = 'in_progress')::INTEGER AS n_in_progress,
        count(*) FILTER (WHERE status_code = 'overdue')::INTEGER AS n_overdue,
        count(*) FILTER (WHERE status_code IS NULL)::INTEGER AS n_not_reported,
        (count(*) FILTER (WHERE status_code IN ('done_on_time', 'done_late')))::DOUBLE
            / count(*) AS completion_rate,
        max(reported_on) AS last_reported_on
    FROM {source} GROUP BY province_code, year, {key}
    ORDER BY province_code, year, {key}"""  # noqa: S608 - constant names only


PROGRESS = [
    _progress_sql("dimension_progress", "dimension_code", "staging.action_current"),
    _progress_sql("unit_progress", "unit",
                  "(SELECT *, unnest(units) AS unit FROM staging.action_current)"),
]
LATEST = """
    UPDATE mart.action_status t SET is_latest = (r.rn = 1)
    FROM (SELECT loaded_seq, row_number() OVER (PARTITION BY action_id, year, period
          ORDER BY reported_on DESC NULLS LAST, loaded_seq DESC) AS rn
          FROM mart.action_status) r
    WHERE t.loaded_seq = r.loaded_seq"""


def create(con: duckdb.DuckDBPyConnection) -> None:
    for sql in DDL:
        con.execute(sql)


def finish(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LATEST)
    con.execute(CURRENT)
    for sql in PROGRESS:
        con.execute(sql)
