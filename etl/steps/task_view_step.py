"""Build step: mart.action_report, the task tracker's rows precomputed and stored by province.

One row per action with its latest report of all years (by_year = false), and one per action
and report year with the latest report of that year, or, for an action never reported in its
plan's year, a 'not_reported' row of that year (by_year = true). Sorted by province and year,
so a province's page, count or option list reads only its own row groups (zone maps).
"""
# ruff: noqa: S608 - constant SQL

from __future__ import annotations

import duckdb

from etl.plans.status import standing_sql

_ACTIONS = """
    SELECT a.action_id, a.plan_id, p.number AS plan_number, p.issued_on AS plan_issued_on,
           p.year AS plan_year, p.province_code, a.seq, a.dimension_code, a.text, a.lead_units,
           a.coordinating_units, p.vintage, a.due_on, c.as_of, c.is_due_soon
    FROM mart.action a JOIN mart.plan p USING (plan_id)
    LEFT JOIN staging.action_current c USING (action_id)"""
_COLUMNS = """a.action_id, a.plan_id, a.plan_number, a.plan_issued_on, a.plan_year,
    a.province_code, a.seq, a.dimension_code, a.text, a.lead_units, a.coordinating_units,
    a.vintage, a.due_on, a.is_due_soon"""


def _status(code: str, year: str | None = None) -> str:
    """The status shown: a report's, except that what is not done and past its due date is
    overdue whatever was typed or whether anything was reported (etl/plans/status rule) —
    as of the build day, or for a year's row as of that year's end if earlier."""
    day = "a.as_of" if year is None else f"least(a.as_of, make_date({year}, 12, 31))"
    return standing_sql(code, "a.due_on", day, unreported="'not_reported'")

# Latest report = the highest (is_latest, year, reported_on, loaded_seq): an arg_max aggregate
# (a hash aggregate, no sort of the whole history as a window would need).
_KEY = "(s.is_latest, s.year, coalesce(s.reported_on, DATE '0001-01-01'), s.loaded_seq)"
_FIELDS = "{'year': s.year, 'period': s.period, 'status_code': s.status_code, " \
    "'percent_done': s.percent_done, 'result': s.result, 'notes': s.notes, " \
    "'reported_on': s.reported_on}"

def _select(one_province: bool) -> str:
    """The rows of mart.action_report, sorted; of one province ($code) when `one_province`."""
    where = " WHERE p.province_code IS NOT DISTINCT FROM $code" if one_province else ""
    status = ("(SELECT * FROM mart.action_status WHERE action_id IN (SELECT action_id FROM a))"
              if one_province else "mart.action_status")
    return f"""
WITH a AS ({_ACTIONS}{where}),
latest AS (
    SELECT s.action_id, arg_max({_FIELDS}, {_KEY}) AS st
    FROM {status} s GROUP BY s.action_id),
latest_of_year AS (
    SELECT s.action_id, s.year, arg_max({_FIELDS}, {_KEY}) AS st
    FROM {status} s GROUP BY s.action_id, s.year),
rows AS (
    SELECT false AS by_year, l.action_id IS NOT NULL AS has_report, {_COLUMNS},
        coalesce(l.st.year, a.plan_year) AS report_year, l.st.period,
        {_status('l.st.status_code')} AS status_code, l.st.percent_done,
        l.st.result, l.st.notes, l.st.reported_on
    FROM a LEFT JOIN latest l USING (action_id)
    UNION ALL
    SELECT true, true, {_COLUMNS}, l.year, l.st.period, {_status('l.st.status_code', 'l.year')},
        l.st.percent_done,
        l.st.result, l.st.notes, l.st.reported_on
    FROM a JOIN latest_of_year l USING (action_id)
    UNION ALL
    SELECT true, false, {_COLUMNS}, a.plan_year, NULL, {_status('NULL', 'a.plan_year')},
        NULL, NULL, NULL, NULL
    FROM a ANTI JOIN (SELECT DISTINCT action_id, year FROM {status}) s
        ON s.action_id = a.action_id AND s.year = a.plan_year)
SELECT * FROM rows ORDER BY province_code, by_year, report_year
"""


SQL = "CREATE OR REPLACE TABLE mart.action_report AS" + _select(False)
CREATE_ONE = "CREATE OR REPLACE TABLE mart.action_report AS" + _select(True)  # $code
INSERT_ONE = "INSERT INTO mart.action_report" + _select(True)


def run(ctx) -> None:
    """The build's step, after its plans step, which made the tables this reads."""
    write(ctx.con, tables_made=True)


def write(con: duckdb.DuckDBPyConnection, *, by_province: bool = False,
          tables_made: bool = False) -> None:
    """(Re)create mart.action_report from mart.plan, mart.action and mart.action_status.

    `by_province`: the same rows in the same order, one province at a time, for histories too
    large to aggregate at once (the bench's 100× national volume: 151 M reports).
    `tables_made`: those tables are known to exist; else the catalog is asked (its first read in
    a build costs 7 ms) and nothing is done without them."""
    if not tables_made:
        have = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'mart'"
        ).fetchall()}
        staged = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'staging'"
        ).fetchall()}
        if not ({"plan", "action", "action_status"} <= have and "action_current" in staged):
            return
    codes = [r[0] for r in con.execute("SELECT DISTINCT province_code FROM mart.plan "
                                       "ORDER BY province_code NULLS LAST").fetchall()
             ] if by_province else []
    if not codes:
        con.execute(SQL)
        return
    for i, code in enumerate(codes):
        con.execute(CREATE_ONE if i == 0 else INSERT_ONE, {"code": code})
