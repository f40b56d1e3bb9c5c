"""Read-only access to the warehouse: parameterised queries cached by the db file's signature.

The only module of the dashboard that imports duckdb. Every query opens a fresh read-only
connection, so a rebuild that replaces the file (os.replace) is picked up on the next call
and never breaks a running app. Usable without Streamlit (notebooks, exports).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.paths import db_path

Signature = tuple[str, int, int, int]  # (path, mtime_ns, size, inode)

ACTION_COLUMNS = [
    "action_id", "plan_id", "plan_number", "plan_issued_on", "plan_year", "province_code",
    "seq", "dimension_code", "text", "lead_units", "coordinating_units", "report_year",
    "period", "status_code", "percent_done", "result", "notes", "reported_on",
]
PROGRESS_MEASURES = [
    "n_actions", "n_done_on_time", "n_done_late", "n_in_progress", "n_overdue",
    "n_not_reported", "completion_rate", "last_reported_on",
]


@dataclass(frozen=True)
class Status:
    """Whether the warehouse can be shown: state is 'ok', 'missing', 'empty' or 'error'."""

    state: str
    path: Path
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def current_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file: the argument, else etl.paths.db_path() (env PAPI_DB …)."""
    return Path(path) if path is not None else db_path()


def signature(path: str | os.PathLike[str] | None = None) -> Signature | None:
    """(path, mtime_ns, size, inode) of the db file, or None if it does not exist."""
    p = current_path(path)
    try:
        st = p.stat()
    except OSError:
        return None
    return (str(p.resolve()), st.st_mtime_ns, st.st_size, st.st_ino)


@functools.lru_cache(maxsize=512)
def _cached(sig: Signature, sql: str, params: tuple) -> pd.DataFrame:
    con = duckdb.connect(sig[0], read_only=True,
                         config={"python_enable_replacements": False})
    try:
        args = [list(v) if isinstance(v, tuple) else v for v in params]
        return con.execute(sql, args).df()
    finally:
        con.close()


def clear_cache() -> None:
    """Forget every cached result (results are also keyed by file signature)."""
    _cached.cache_clear()
    _tables.cache_clear()
    _columns.cache_clear()


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def query(sql: str, params: tuple | list = (), path: str | os.PathLike[str] | None = None,
          *, optional_columns: list[str] | None = None) -> pd.DataFrame:
    """Run a constant, parameterised SQL text read-only; a copy of the cached result.

    If `optional_columns` is given, a missing table yields an empty frame with those columns.
    The file may be replaced between calls: the query is retried on the new file.
    """
    frozen = tuple(_freeze(v) for v in params)
    last_error: Exception | None = None
    for _ in range(3):
        sig = signature(path)
        if sig is None:
            raise FileNotFoundError(str(current_path(path)))
        try:
            df = _cached(sig, sql, frozen)
        except duckdb.CatalogException:
            if optional_columns is not None:
                return pd.DataFrame(columns=optional_columns)
            raise
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            last_error = exc  # the file was being swapped; look again
            continue
        if signature(path) == sig:
            return df.copy()
    if last_error is not None:
        raise last_error
    return df.copy()


@functools.lru_cache(maxsize=64)
def _tables(sig: Signature) -> frozenset[str]:
    df = _cached(sig, "SELECT table_schema || '.' || table_name AS t "
                      "FROM information_schema.tables", ())
    return frozenset(df["t"])


def tables(path: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """'schema.table' names present in the warehouse (empty if there is none)."""
    sig = signature(path)
    return _tables(sig) if sig is not None else frozenset()


def has_table(name: str, path: str | os.PathLike[str] | None = None) -> bool:
    """Whether 'schema.table' exists."""
    return name in tables(path)


def status(path: str | os.PathLike[str] | None = None) -> Status:
    """Can the dashboard show this warehouse? Never raises."""
    p = current_path(path)
    if signature(p) is None:
        return Status("missing", p)
    try:
        present = tables(p)
        if "mart.score" not in present or "mart.province_year" not in present:
            return Status("empty", p)
        if query("SELECT count(*) AS n FROM mart.score", (), p)["n"].iat[0] == 0:
            return Status("empty", p)
    except Exception as exc:  # noqa: BLE001 - shown to the user, not a traceback
        return Status("error", p, f"{type(exc).__name__}: {exc}")
    return Status("ok", p)


# --- meta -------------------------------------------------------------------------------

def build_info(path: str | os.PathLike[str] | None = None) -> dict:
    """meta.build as a dict ({} if absent)."""
    df = query("SELECT * FROM meta.build LIMIT 1", (), path, optional_columns=[])
    return {} if df.empty else df.iloc[0].to_dict()


def is_demo(path: str | os.PathLike[str] | None = None) -> bool:
    """True when meta.build.is_demo is true."""
    return bool(build_info(path).get("is_demo", False))


def source_files(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """meta.source_file: path, kind, status, rows, message."""
    return query("SELECT path, kind, status, rows, message FROM meta.source_file ORDER BY path",
                 (), path, optional_columns=["path", "kind", "status", "rows", "message"])


def problems(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """meta.problem: severity, file, sheet, cell, message, found, allowed, action."""
    cols = ["severity", "file", "sheet", "cell", "message", "found", "allowed", "action"]
    return query("SELECT severity, file, sheet, cell, message, found, allowed, action "
                 "FROM meta.problem ORDER BY severity, file, sheet, cell",
                 (), path, optional_columns=cols)


def loaded_summary(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Rows per year in mart.score: year, n_provinces, n_items, n_published, n_not_published."""
    return query(
        "SELECT year, count(DISTINCT province_code) AS n_provinces, "
        "count(DISTINCT item_code) AS n_items, "
        "count(*) FILTER (WHERE status = 'published') AS n_published, "
        "count(*) FILTER (WHERE status = 'not_published') AS n_not_published "
        "FROM mart.score GROUP BY year ORDER BY year", (), path)


# --- ref --------------------------------------------------------------------------------

def provinces(vintage: str = "63", path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ref.province of one vintage ('63' or '34'): code, name_vi, name_en, region_vi, …"""
    return query("SELECT code, name_vi, name_en, name_ascii, full_name_vi, region_vi, "
                 "region_en FROM ref.province WHERE vintage = ? ORDER BY code",
                 (vintage,), path)


def merge_2025(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ref.province_merge_2025: old_code, new_code."""
    return query("SELECT old_code, new_code FROM ref.province_merge_2025 ORDER BY new_code, "
                 "old_code", (), path, optional_columns=["old_code", "new_code"])


def items(level: str | None = None, parent_code: str | None = None,
          path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ref.item, optionally of one level and/or one parent, in sort order."""
    return query("SELECT * FROM ref.item WHERE (? IS NULL OR level = ?) "
                 "AND (? IS NULL OR parent_code = ?) ORDER BY sort_order, item_code",
                 (level, level, parent_code, parent_code), path)


def performance_groups(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ref.performance_group (empty frame if absent; style.groups() fills the fallback)."""
    return query("SELECT * FROM ref.performance_group ORDER BY group_no", (), path,
                 optional_columns=["group_no", "name_vi", "name_en", "color"])


def task_statuses(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ref.task_status (empty frame if absent; style.statuses() fills the fallback)."""
    return query("SELECT * FROM ref.task_status ORDER BY sort_order", (), path,
                 optional_columns=["status_code", "name_vi", "name_en", "color", "is_done",
                                   "sort_order"])


def methodology_breaks(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """ref.methodology_break: year, item_code, note_vi, note_en."""
    return query("SELECT year, item_code, note_vi, note_en FROM ref.methodology_break "
                 "ORDER BY year, item_code", (), path,
                 optional_columns=["year", "item_code", "note_vi", "note_en"])


# --- scores -----------------------------------------------------------------------------

def years(path: str | os.PathLike[str] | None = None) -> list[int]:
    """Years present in mart.province_year, ascending."""
    df = query("SELECT DISTINCT year FROM mart.province_year ORDER BY year", (), path)
    return [int(y) for y in df["year"]]


def province_year(year: int | None = None, province_code: str | None = None,
                  path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """mart.province_year (+ n_ranked per year), optionally one year and/or one province."""
    return query(
        "SELECT p.*, count(p.rank) OVER (PARTITION BY p.year) AS n_ranked "
        "FROM mart.province_year p "
        "QUALIFY (? IS NULL OR p.year = ?) AND (? IS NULL OR p.province_code = ?) "
        "ORDER BY p.year, p.province_code",
        (year, year, province_code, province_code), path)


def scores(province_code: str | None = None, item_codes: list[str] | None = None,
           year: int | None = None, path: str | os.PathLike[str] | None = None
           ) -> pd.DataFrame:
    """mart.score joined with item names and the national median/best of the year.

    Columns: year, province_code, item_code, value, ci_low, ci_high, std_error, status,
    level, parent_code, name_vi, name_en, unit, scale_min, scale_max, sort_order, median,
    best_value, best_province_code.
    """
    return query(
        "SELECT s.year, s.province_code, s.item_code, s.value, s.ci_low, s.ci_high, "
        "s.std_error, s.status, i.level, i.parent_code, i.name_vi, i.name_en, i.unit, "
        "i.scale_min, i.scale_max, i.sort_order, n.median, n.best_value, "
        "n.best_province_code "
        "FROM mart.score s LEFT JOIN ref.item i USING (item_code) "
        "LEFT JOIN mart.national n ON n.year = s.year AND n.item_code = s.item_code "
        "WHERE (? IS NULL OR s.province_code = ?) "
        "AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], s.item_code)) "
        "AND (? IS NULL OR s.year = ?) "
        "ORDER BY i.sort_order, s.item_code, s.year, s.province_code",
        (province_code, province_code, item_codes, item_codes, year, year), path)


def national(item_codes: list[str] | None = None, year: int | None = None,
             path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """mart.national: year, item_code, n_provinces, median, mean, min, max, best_*."""
    return query(
        "SELECT * FROM mart.national "
        "WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], item_code)) "
        "AND (? IS NULL OR year = ?) ORDER BY item_code, year",
        (item_codes, item_codes, year, year), path)


def ranking(year: int, item_code: str = "TOTAL",
            path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """All 63 provinces for one year and item, best first.

    Columns: province_code, name_vi, name_en, region_vi, region_en, value, status, rank,
    performance_group. For TOTAL rank/group are mart.province_year's; for other items the
    rank is by value (ties share the lower rank) and the group is the quartile (1 = highest).
    """
    return query(
        "WITH s AS (SELECT province_code, value, status FROM mart.score "
        "  WHERE year = ? AND item_code = ?), "
        "r AS (SELECT s.*, "
        "  CASE WHEN value IS NULL THEN NULL ELSE rank() OVER (ORDER BY value DESC) END AS vr, "
        "  CASE WHEN value IS NULL THEN NULL ELSE "
        "    ntile(4) OVER (PARTITION BY value IS NULL ORDER BY value DESC) END AS q "
        "  FROM s) "
        "SELECT p.code AS province_code, p.name_vi, p.name_en, p.region_vi, p.region_en, "
        "r.value, coalesce(r.status, 'not_published') AS status, "
        "CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END AS rank, "
        "CASE WHEN ? = 'TOTAL' THEN coalesce(py.performance_group, r.q) ELSE r.q END "
        "  AS performance_group "
        "FROM ref.province p LEFT JOIN r ON r.province_code = p.code "
        "LEFT JOIN mart.province_year py ON py.province_code = p.code AND py.year = ? "
        "WHERE p.vintage = '63' "
        "ORDER BY rank NULLS LAST, p.code",
        (year, item_code, item_code, item_code, year), path)


# --- plans and actions ------------------------------------------------------------------

def actions(province_code: str | None = None, year: int | None = None,
            dimension_code: str | None = None, path: str | os.PathLike[str] | None = None
            ) -> pd.DataFrame:
    """Plan actions with their latest status row (of `year` if given). Columns: ACTION_COLUMNS.

    `year` filters on the report year when a status exists, else on the plan year.
    status_code is 'not_reported' where no report row exists.
    """
    return query(
        "WITH st AS (SELECT * FROM mart.action_status "
        "  WHERE (? IS NULL OR year = ?) "
        "  AND (? IS NULL OR action_id IN (SELECT a2.action_id FROM mart.action a2 "
        "    JOIN mart.plan p2 USING (plan_id) WHERE p2.province_code = ?)) "
        "  QUALIFY row_number() OVER (PARTITION BY action_id "
        "    ORDER BY is_latest DESC, year DESC, reported_on DESC NULLS LAST, "
        "    loaded_seq DESC) = 1) "
        "SELECT a.action_id, a.plan_id, p.number AS plan_number, p.issued_on AS plan_issued_on, "
        "p.year AS plan_year, p.province_code, a.seq, a.dimension_code, a.text, "
        "a.lead_units, a.coordinating_units, coalesce(st.year, p.year) AS report_year, "
        "st.period, coalesce(st.status_code, 'not_reported') AS status_code, "
        "st.percent_done, st.result, st.notes, st.reported_on "
        "FROM mart.action a JOIN mart.plan p USING (plan_id) "
        "LEFT JOIN st USING (action_id) "
        "WHERE (? IS NULL OR p.province_code = ?) "
        "AND (? IS NULL OR a.dimension_code = ?) "
        "AND (? IS NULL OR coalesce(st.year, p.year) = ?) "
        "ORDER BY a.dimension_code, p.issued_on, a.seq",
        (year, year, province_code, province_code, province_code, province_code,
         dimension_code, dimension_code, year, year),
        path, optional_columns=ACTION_COLUMNS)


def action_status_by_year(province_code: str | None = None, dimension_code: str | None = None,
                          path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Number of actions per report year and status (latest row per action and year).

    Columns: year, status_code, n.
    """
    return query(
        "WITH st AS (SELECT s.action_id, s.year, s.status_code FROM mart.action_status s "
        "  WHERE (? IS NULL OR s.action_id IN (SELECT a2.action_id FROM mart.action a2 "
        "    JOIN mart.plan p2 USING (plan_id) WHERE p2.province_code = ?)) "
        "  QUALIFY row_number() OVER (PARTITION BY s.action_id, s.year "
        "    ORDER BY s.is_latest DESC, s.reported_on DESC NULLS LAST, s.loaded_seq DESC) = 1) "
        "SELECT st.year, st.status_code, count(*) AS n "
        "FROM st JOIN mart.action a USING (action_id) JOIN mart.plan p USING (plan_id) "
        "WHERE (? IS NULL OR p.province_code = ?) AND (? IS NULL OR a.dimension_code = ?) "
        "GROUP BY ALL ORDER BY st.year, st.status_code",
        (province_code, province_code, province_code, province_code, dimension_code,
         dimension_code), path, optional_columns=["year", "status_code", "n"])


def action_years(province_code: str | None = None, dimension_code: str | None = None,
                 path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per action: action_id, dimension_code, plan_year, first_report_year (NULL if
    never reported) — to draw actions from the year they are planned."""
    return query(
        "SELECT a.action_id, a.dimension_code, p.year AS plan_year, "
        "(SELECT min(s.year) FROM mart.action_status s WHERE s.action_id = a.action_id) "
        "AS first_report_year FROM mart.action a JOIN mart.plan p USING (plan_id) "
        "WHERE (? IS NULL OR p.province_code = ?) AND (? IS NULL OR a.dimension_code = ?) "
        "ORDER BY a.action_id",
        (province_code, province_code, dimension_code, dimension_code), path,
        optional_columns=["action_id", "dimension_code", "plan_year", "first_report_year"])


def dimension_progress(province_code: str | None = None, year: int | None = None,
                       path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """mart.dimension_progress: province_code, year, dimension_code + PROGRESS_MEASURES."""
    return query(
        "SELECT * FROM mart.dimension_progress WHERE (? IS NULL OR province_code = ?) "
        "AND (? IS NULL OR year = ?) ORDER BY province_code, year, dimension_code",
        (province_code, province_code, year, year), path,
        optional_columns=["province_code", "year", "dimension_code", *PROGRESS_MEASURES])


def unit_progress(province_code: str | None = None, year: int | None = None,
                  path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """mart.unit_progress: province_code, year, unit + PROGRESS_MEASURES."""
    return query(
        "SELECT * FROM mart.unit_progress WHERE (? IS NULL OR province_code = ?) "
        "AND (? IS NULL OR year = ?) ORDER BY province_code, year, unit",
        (province_code, province_code, year, year), path,
        optional_columns=["province_code", "year", "unit", *PROGRESS_MEASURES])


def plan_years(province_code: str | None = None,
               path: str | os.PathLike[str] | None = None) -> list[int]:
    """Years with plan progress (mart.dimension_progress) for a province, ascending."""
    df = query("SELECT DISTINCT year FROM mart.dimension_progress "
               "WHERE (? IS NULL OR province_code = ?) ORDER BY year",
               (province_code, province_code), path, optional_columns=["year"])
    return [int(y) for y in df["year"]]


# --- geography vintages (issue 11) -------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _columns(sig: Signature, table: str) -> frozenset[str]:
    schema, name = table.split(".")
    df = _cached(sig, "SELECT column_name FROM information_schema.columns "
                      "WHERE table_schema = ? AND table_name = ?", (schema, name))
    return frozenset(df["column_name"])


def has_vintage(path: str | os.PathLike[str] | None = None) -> bool:
    """Whether mart.score carries the geography vintage column (warehouses from issue 11 on)."""
    sig = signature(path)
    return sig is not None and "vintage" in _columns(sig, "mart.score")


_SCORE_RANKS = (
    "WITH s AS (SELECT province_code, value, ci_low, ci_high, std_error, status "
    "  FROM mart.score WHERE year = ? AND vintage = ? AND item_code = ?), "
    "py AS (SELECT province_code, rank FROM mart.province_year WHERE year = ? "
    "  AND vintage = ?), "
    "r AS (SELECT s.*, CASE WHEN value IS NULL THEN NULL "
    "  ELSE rank() OVER (ORDER BY value DESC NULLS LAST) END AS vr FROM s) "
    "SELECT r.province_code, r.value, r.ci_low, r.ci_high, r.std_error, r.status, "
    "  CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END AS rank, "
    "  count(CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END) OVER () "
    "  AS n_ranked "
    "FROM r LEFT JOIN py USING (province_code) ORDER BY rank NULLS LAST, r.province_code")
# the same for a warehouse built before issue 11 (no vintage column: everything is '63')
_SCORE_RANKS_63 = (
    "WITH s AS (SELECT province_code, value, ci_low, ci_high, std_error, status "
    "  FROM mart.score WHERE year = ? AND '63' = ? AND item_code = ?), "
    "py AS (SELECT province_code, rank FROM mart.province_year WHERE year = ? "
    "  AND '63' = ?), "
    "r AS (SELECT s.*, CASE WHEN value IS NULL THEN NULL "
    "  ELSE rank() OVER (ORDER BY value DESC NULLS LAST) END AS vr FROM s) "
    "SELECT r.province_code, r.value, r.ci_low, r.ci_high, r.std_error, r.status, "
    "  CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END AS rank, "
    "  count(CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END) OVER () "
    "  AS n_ranked "
    "FROM r LEFT JOIN py USING (province_code) ORDER BY rank NULLS LAST, r.province_code")


def score_ranks(year: int, vintage: str, item_code: str = "TOTAL",
                path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One item for every province of (year, vintage), ranked within that geography.

    Columns: province_code, value, ci_low, ci_high, std_error, status, rank, n_ranked. TOTAL
    takes mart.province_year's rank; other items rank by value (ties share the better rank).
    A warehouse without the vintage column is read as vintage '63'.
    """
    sql = _SCORE_RANKS if has_vintage(path) else _SCORE_RANKS_63
    return query(sql, (year, vintage, item_code, year, vintage, item_code, item_code), path)
