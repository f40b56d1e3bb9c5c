"""DDL of the plan tables (raw, staging, mart) and the progress marts' SQL."""

from __future__ import annotations

from datetime import date

import duckdb

from etl.plans.status import standing_sql

DDL = [
    """CREATE OR REPLACE TABLE raw.plan_report_row (
        source_file VARCHAR, sheet VARCHAR, row_number INTEGER, plan_id VARCHAR,
        action_id VARCHAR, period VARCHAR, status VARCHAR, percent_done VARCHAR,
        result VARCHAR, notes VARCHAR, reported_on VARCHAR, accepted BOOLEAN)""",
    """CREATE OR REPLACE TABLE mart.plan (
        plan_id VARCHAR PRIMARY KEY, number VARCHAR, issued_on DATE, year INTEGER,
        vintage VARCHAR, province_code VARCHAR, province_name VARCHAR, agency VARCHAR,
        parent_number VARCHAR, parent_issued_on DATE, signer VARCHAR, source_file VARCHAR,
        is_demo BOOLEAN, agency_current VARCHAR, title VARCHAR, is_amendment BOOLEAN,
        n_versions INTEGER, ocr_confidence DOUBLE, deadline_on DATE)""",
    """CREATE OR REPLACE TABLE mart.plan_version (
        plan_id VARCHAR, number VARCHAR, issued_on DATE, is_amendment BOOLEAN,
        source_file VARCHAR, text_fingerprint VARCHAR, n_actions INTEGER, is_current BOOLEAN,
        superseded_by_file VARCHAR)""",
    """CREATE OR REPLACE TABLE mart.plan_target (
        plan_id VARCHAR, seq INTEGER, dimension_code VARCHAR, text VARCHAR)""",
    """CREATE OR REPLACE TABLE mart.action (
        action_id VARCHAR PRIMARY KEY, plan_id VARCHAR, seq INTEGER, dimension_code VARCHAR,
        text VARCHAR, lead_units VARCHAR[], coordinating_units VARCHAR[], due_on DATE,
        due_text VARCHAR, is_ongoing BOOLEAN, fingerprint VARCHAR, product VARCHAR,
        lead_units_current VARCHAR[], doubts VARCHAR[], is_corrected BOOLEAN)""",
    """CREATE OR REPLACE TABLE mart.action_status (
        action_id VARCHAR, year INTEGER, period VARCHAR, status_code VARCHAR,
        percent_done INTEGER, result VARCHAR, notes VARCHAR, reported_on DATE,
        source_file VARCHAR, sheet VARCHAR, row_number INTEGER, loaded_seq INTEGER,
        is_latest BOOLEAN, reported_status_code VARCHAR, status_warning VARCHAR,
        matched_by VARCHAR)""",
]
# Each action's standing as of a day: the latest full-year report, else the latest H1, then
# the due date decides (unreported past due → overdue, flagged; due within 7 days → flag).
CURRENT = """
    CREATE OR REPLACE TABLE staging.action_current AS
    WITH s AS (
        SELECT action_id, year, status_code, reported_on, row_number() OVER (
            PARTITION BY action_id, year
            ORDER BY CASE period WHEN 'FY' THEN 0 ELSE 1 END, reported_on DESC,
                     loaded_seq DESC) AS rn
        FROM mart.action_status WHERE is_latest),
    j AS (
        SELECT a.action_id, a.dimension_code, p.vintage, p.province_code, p.year, p.agency,
               CASE WHEN len(a.lead_units_current) = 0 THEN [p.agency_current]
                    ELSE a.lead_units_current END AS units,
               CASE WHEN len(a.lead_units) = 0 THEN [p.agency] ELSE a.lead_units END
                   AS units_written,
               s.status_code AS reported_code, s.reported_on, a.due_on,
               $today::DATE AS as_of
        FROM mart.action a JOIN mart.plan p USING (plan_id)
        LEFT JOIN s ON s.action_id = a.action_id AND s.year = p.year AND s.rn = 1)
    SELECT *,
        {standing} AS status_code,
        (reported_code IS NULL AND due_on IS NOT NULL AND as_of > due_on)
            AS is_overdue_unreported,
        (coalesce(reported_code NOT IN ('done_on_time', 'done_late'), TRUE)
            AND due_on IS NOT NULL AND due_on >= as_of AND due_on - as_of <= 7) AS is_due_soon
    FROM j""".replace("{standing}", standing_sql("reported_code", "due_on", "as_of"))


def _progress_sql(table: str, key: str, source: str, extra: str = "") -> str:
    """One progress mart: actions by status per province × year × `key` (dimension or unit)."""
    return f"""CREATE OR REPLACE TABLE mart.{table} AS
    SELECT province_code, year, vintage, {key},
        count(*)::INTEGER AS n_actions,
        count(*) FILTER (WHERE status_code = 'done_on_time')::INTEGER AS n_done_on_time,
        count(*) FILTER (WHERE status_code = 'done_late')::INTEGER AS n_done_late,
        count(*) FILTER (WHERE status_code = 'in_progress')::INTEGER AS n_in_progress,
        count(*) FILTER (WHERE status_code = 'overdue')::INTEGER AS n_overdue,
        count(*) FILTER (WHERE status_code IS NULL)::INTEGER AS n_not_reported,
        (count(*) FILTER (WHERE status_code IN ('done_on_time', 'done_late')))::DOUBLE
            / count(*) AS completion_rate,
        max(reported_on) AS last_reported_on,
        count(*) FILTER (WHERE is_overdue_unreported)::INTEGER AS n_overdue_unreported,
        count(*) FILTER (WHERE is_due_soon)::INTEGER AS n_due_soon,
        any_value(as_of) AS as_of{extra}
    FROM {source} GROUP BY province_code, year, vintage, {key}
    ORDER BY province_code, year, {key}"""  # noqa: S608 - constant names only


PROGRESS = [
    _progress_sql("dimension_progress", "dimension_code", "staging.action_current"),
    _progress_sql("unit_progress", "unit",
                  "(SELECT action_id, province_code, year, vintage, status_code, reported_on, "
                  "is_overdue_unreported, is_due_soon, as_of, unit, list(written) AS written "
                  "FROM (SELECT *, unnest(units) AS unit, unnest(units_written) AS written "
                  "FROM staging.action_current) GROUP BY ALL)",
                  ",\n        list_sort(list_distinct(flatten(list(written)))) AS unit_names"),
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


def finish(con: duckdb.DuckDBPyConnection, today: date) -> None:
    """Mark each action's latest report, then derive the standing and progress marts."""
    con.execute(LATEST)
    derive(con, today)


def derive(con: duckdb.DuckDBPyConnection, today: date) -> None:
    """staging.action_current and the progress marts from reports already marked is_latest."""
    con.execute(CURRENT, {"today": today})
    for sql in PROGRESS:
        con.execute(sql)
