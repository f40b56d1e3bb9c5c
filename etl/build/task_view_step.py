"""Build step: mart.action_report, the task tracker's rows precomputed and stored by province.

One row per action with its latest report of all years (by_year = false), and one per action
and report year with the latest report of that year, or, for an action never reported in its
plan's year, a 'not_reported' row of that year (by_year = true). Sorted by province and year,
so a province's page, count or option list reads only its own row groups (zone maps).
"""
# ruff: noqa: S608 - constant SQL

from __future__ import annotations

import duckdb

_ACTIONS = """
    SELECT a.action_id, a.plan_id, p.number AS plan_number, p.issued_on AS plan_issued_on,
           p.year AS plan_year, p.province_code, a.seq, a.dimension_code, a.text, a.lead_units,
           a.coordinating_units
    FROM mart.action a JOIN mart.plan p USING (plan_id)"""
_COLUMNS = """a.action_id, a.plan_id, a.plan_number, a.plan_issued_on, a.plan_year,
    a.province_code, a.seq, a.dimension_code, a.text, a.lead_units, a.coordinating_units"""

SQL = f"""
CREATE OR REPLACE TABLE mart.action_report AS
WITH a AS ({_ACTIONS}),
latest AS (
    SELECT * FROM mart.action_status s
    QUALIFY row_number() OVER (PARTITION BY s.action_id ORDER BY s.is_latest DESC,
        s.year DESC, s.reported_on DESC NULLS LAST, s.loaded_seq DESC) = 1),
latest_of_year AS (
    SELECT * FROM mart.action_status s
    QUALIFY row_number() OVER (PARTITION BY s.action_id, s.year ORDER BY s.is_latest DESC,
        s.reported_on DESC NULLS LAST, s.loaded_seq DESC) = 1),
rows AS (
    SELECT false AS by_year, st.action_id IS NOT NULL AS has_report, {_COLUMNS},
        coalesce(st.year, a.plan_year) AS report_year, st.period,
        coalesce(st.status_code, 'not_reported') AS status_code, st.percent_done, st.result,
        st.notes, st.reported_on
    FROM a LEFT JOIN latest st USING (action_id)
    UNION ALL
    SELECT true, true, {_COLUMNS}, st.year, st.period, st.status_code, st.percent_done,
        st.result, st.notes, st.reported_on
    FROM a JOIN latest_of_year st USING (action_id)
    UNION ALL
    SELECT true, false, {_COLUMNS}, a.plan_year, NULL, 'not_reported', NULL, NULL, NULL, NULL
    FROM a WHERE NOT EXISTS (SELECT 1 FROM mart.action_status s
                             WHERE s.action_id = a.action_id AND s.year = a.plan_year))
SELECT * FROM rows
ORDER BY province_code, by_year, report_year, dimension_code, plan_issued_on, seq, action_id
"""


def write(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create mart.action_report from mart.plan, mart.action and mart.action_status."""
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'mart'").fetchall()}
    if {"plan", "action", "action_status"} <= have:
        con.execute(SQL)
