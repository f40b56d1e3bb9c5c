"""Read-only access to the warehouse: one connection per file version, results cached by signature.

The only module of the dashboard that imports duckdb. Each version of the warehouse file (its
signature: path, mtime, size, inode) is opened once, read-only, through a hard link named by that
signature, so a rebuild that replaces the file (os.replace) is picked up on the next call and a
replaced file is never served again: DuckDB keys open databases by path, and the link path is
unique to one version. Queries run on thread-safe cursors of that one connection; a version is
closed and its link removed when a newer version exists and no query is using it. Usable without
Streamlit (notebooks, exports).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import ref
from etl.paths import db_path, work_file
from etl.schema import SCHEMA_VERSION

Signature = tuple[str, int, int, int]  # (path, mtime_ns, size, inode)
LINK_MARK = ".v-"  # links are named .papi-<db name>.v-<pid>-<inode>-<mtime_ns>-<size>

ACTION_COLUMNS = [
    "action_id", "plan_id", "plan_number", "plan_issued_on", "plan_year", "province_code",
    "seq", "dimension_code", "text", "lead_units", "coordinating_units", "report_year",
    "period", "status_code", "percent_done", "result", "notes", "reported_on", "due_on",
]
PROGRESS_MEASURES = [
    "n_actions", "n_done_on_time", "n_done_late", "n_in_progress", "n_overdue",
    "n_not_reported", "completion_rate", "last_reported_on",
]


@dataclass(frozen=True)
class Status:
    """Whether the warehouse can be shown: 'ok', 'missing', 'empty', 'outdated' (built by
    another version of the ETL: build it again) or 'error'."""

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


class StaleVersion(Exception):
    """The file was replaced between reading its signature and opening it; look again."""


@dataclass
class _Version:
    sig: Signature
    con: duckdb.DuckDBPyConnection
    link: Path | None  # None when the folder is read-only and the file was opened directly
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


_versions: dict[Signature, _Version] = {}
_versions_lock = threading.Lock()


def _link_path(sig: Signature) -> Path:
    db = Path(sig[0])
    return work_file(db, f"{LINK_MARK[1:]}{os.getpid()}-{sig[3]}-{sig[1]}-{sig[2]}")


def _same_file(path: Path, sig: Signature) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_ino, st.st_mtime_ns, st.st_size) == (sig[3], sig[1], sig[2])


def _open(sig: Signature) -> _Version:
    """Open one version read-only by a path unique to it (a hard link), proving it is `sig`."""
    db, made = Path(sig[0]), _link_path(sig)
    remove_stale_links(db)
    made.unlink(missing_ok=True)
    link: Path | None = made
    try:
        os.link(db, made)
    except FileNotFoundError as exc:
        raise StaleVersion(str(db)) from exc
    except OSError:  # read-only folder or no hard links: open the file itself, then verify
        link = None
    target = link or db
    if not _same_file(target, sig):
        if link is not None:
            link.unlink(missing_ok=True)
        raise StaleVersion(str(db))
    try:
        con = duckdb.connect(str(target), read_only=True,
                             config={"python_enable_replacements": False})
    except Exception:
        if link is not None:
            link.unlink(missing_ok=True)
        raise
    if link is None and not _same_file(db, sig):  # replaced while opening: not provably sig
        con.close()
        raise StaleVersion(str(db))
    return _Version(sig, con, link)


def _close(version: _Version) -> None:
    with contextlib.suppress(duckdb.Error):
        version.con.close()
    if version.link is not None:
        version.link.unlink(missing_ok=True)


@contextlib.contextmanager
def _connection(sig: Signature) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the one connection of version `sig`; older versions close when unused."""
    with _versions_lock:
        version = _versions.get(sig)
        if version is None:
            version = _versions[sig] = _open(sig)
            for other in list(_versions.values()):
                if other.sig[0] == sig[0] and other is not version:
                    other.retired = True
                    if other.users == 0:
                        del _versions[other.sig]
                        _close(other)
        version.users += 1
        cursor = version.con.cursor()
    try:
        yield cursor
    finally:
        cursor.close()
        with _versions_lock:
            version.users -= 1
            if version.retired and version.users == 0 and _versions.get(sig) is version:
                del _versions[sig]
                _close(version)


@atexit.register
def close_all() -> None:
    """Close every open version and remove its link (tests, shutdown)."""
    with _versions_lock:
        for version in list(_versions.values()):
            if version.users == 0:
                del _versions[version.sig]
                _close(version)
            else:
                version.retired = True


def remove_stale_links(path: str | os.PathLike[str] | None = None) -> None:
    """Delete version links left by processes that no longer exist."""
    db = current_path(path)
    for link in db.parent.glob(work_file(db, f"{LINK_MARK[1:]}*").name):
        pid = link.name.split(LINK_MARK, 1)[1].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            link.unlink(missing_ok=True)
        except PermissionError:
            pass


@functools.lru_cache(maxsize=512)
def _cached(sig: Signature, sql: str, params: tuple) -> pd.DataFrame:
    args = [list(v) if isinstance(v, tuple) else v for v in params]
    with _connection(sig) as cur:
        return cur.execute(sql, args).df()


Where = tuple[tuple[str, object], ...]  # (column, value: equal | tuple: one of)


@functools.lru_cache(maxsize=1024)
def _cached_part(sig: Signature, sql: str, params: tuple, where: Where,
                 drop: tuple[str, ...]) -> pd.DataFrame:
    """rows_of() the cached read of (sql, params) for `where`, itself cached: a warm call
    costs a lookup and a copy, as an unfiltered query does."""
    rows = _cached(sig, sql, params)
    return rows_of(rows, _mask(rows, where), list(drop))


def _mask(rows: pd.DataFrame, where: Where) -> pd.Series | None:
    keep = None
    for column, value in where:
        cond = rows[column].isin(list(value)) if isinstance(value, tuple) else \
            rows[column] == value
        keep = cond if keep is None else keep & cond
    return keep


def clear_cache() -> None:
    """Forget every cached result (results are also keyed by file signature)."""
    _cached.cache_clear()
    _cached_part.cache_clear()
    _tables.cache_clear()


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def query(sql: str, params: tuple | list = (), path: str | os.PathLike[str] | None = None,
          *, optional_columns: list[str] | None = None) -> pd.DataFrame:
    """Run a constant, parameterised SQL text read-only; a copy of the cached result.

    If `optional_columns` is given, a missing table yields an empty frame with those columns.
    The file may be replaced between calls: every result comes from the one version whose
    signature it is cached under (opened by its own link), never from a replaced file.
    """
    return _read(sql, params, path, optional_columns=optional_columns).copy()


def part(sql: str, params: tuple | list, path: str | os.PathLike[str] | None, where: Where,
         *, drop: tuple[str, ...] = (), optional_columns: list[str] | None = None
         ) -> pd.DataFrame:
    """A copy of the rows of query(sql, params) where each (column, value) holds (a tuple
    value: the column is one of them), as rows_of() gives them: a kind of rows is read once
    (for a province, a year) and each item, dimension or year taken from it, cached."""
    frozen_where = tuple((c, _freeze(v)) for c, v in where)
    return _read(sql, params, path, optional_columns=optional_columns, where=frozen_where,
                 drop=drop).copy()


# DuckDB hands an INTEGER/BOOLEAN column with a NULL to pandas as a nullable type (Int32,
# boolean) and one without as the numpy type, and a VARCHAR column as pandas' string type
# only when it holds a string (else object, None): rows_of() gives a part of a read the types
# the same query filtered in SQL would have given it.
_PLAIN = {**{f"Int{n}": f"int{n}" for n in (8, 16, 32, 64)},
          **{f"UInt{n}": f"uint{n}" for n in (8, 16, 32, 64)}, "boolean": "bool"}


def rows_of(kind: pd.DataFrame, keep: pd.Series | None = None,
            drop: list[str] | None = None) -> pd.DataFrame:
    """The rows `keep` selects of one read of a kind of rows (a frame query() returned, read
    once for a province or a year and filtered here for each item, dimension or year), as
    the same query with these filters in its WHERE would return them: in the read's order,
    a fresh index, the `drop` columns left out, and a nullable integer or boolean column
    with no missing value among these rows as its numpy type (DuckDB's conversion)."""
    out = (kind if keep is None else kind[keep.to_numpy()]).reset_index(drop=True)
    if drop:
        out = out.drop(columns=drop)
    for col, dtype in out.dtypes.items():
        plain = _PLAIN.get(str(dtype))
        if plain is not None and not out[col].isna().any():
            out[col] = out[col].astype(plain)
        elif isinstance(dtype, pd.StringDtype) and not out[col].notna().any():
            out[col] = pd.Series([None] * len(out), index=out.index, dtype=object)
    return out


def _read(sql: str, params: tuple | list = (), path: str | os.PathLike[str] | None = None,
          *, optional_columns: list[str] | None = None, where: Where | None = None,
          drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """The cached frame itself (never changed: callers copy it), or its cached part."""
    frozen = tuple(_freeze(v) for v in params)
    last_error: Exception | None = None
    for _ in range(3):
        sig = signature(path)
        if sig is None:
            raise FileNotFoundError(str(current_path(path)))
        try:
            df = _cached(sig, sql, frozen) if where is None else \
                _cached_part(sig, sql, frozen, where, drop)
        except duckdb.CatalogException:
            if optional_columns is not None:
                empty = pd.DataFrame(columns=optional_columns)
                return empty.drop(columns=list(drop)) if drop else empty
            raise
        except (StaleVersion, duckdb.IOException, duckdb.InvalidInputException) as exc:
            last_error = exc  # the file was being swapped; look again
            continue
        return df
    raise last_error if last_error is not None else StaleVersion(str(current_path(path)))


@functools.lru_cache(maxsize=64)
def _tables(sig: Signature) -> frozenset[str]:
    df = _cached(sig, "SELECT table_schema || '.' || table_name AS t "
                      "FROM information_schema.tables", ())
    return frozenset(df["t"])


def tables(path: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """'schema.table' names present in the warehouse (empty if there is none)."""
    last_error: Exception = StaleVersion(str(current_path(path)))
    for _ in range(3):
        sig = signature(path)
        if sig is None:
            return frozenset()
        try:
            return _tables(sig)
        except (StaleVersion, duckdb.IOException, duckdb.InvalidInputException) as exc:
            last_error = exc  # replaced while opening; look again
    raise last_error


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
        built = query("SELECT * FROM meta.build LIMIT 1", (), p, optional_columns=[])
        version = built["schema_version"].iat[0] if "schema_version" in built.columns \
            and len(built) else None
        if version is None or pd.isna(version) or int(version) != SCHEMA_VERSION:
            return Status("outdated", p, f"schema {version} ≠ {SCHEMA_VERSION}")
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


PROBLEM_COLUMNS = ["severity", "file", "sheet", "cell", "message", "found", "allowed", "action",
                   "message_vi", "allowed_vi", "action_vi"]


def problems(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """meta.problem: severity, file, sheet, cell, message, found, allowed, action and the
    Vietnamese of message/allowed/action (empty in warehouses built before they existed)."""
    df = query("SELECT * FROM meta.problem ORDER BY severity, file, sheet, cell",
               (), path, optional_columns=PROBLEM_COLUMNS)
    return df.reindex(columns=PROBLEM_COLUMNS)


def loaded_summary(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Rows per year in mart.score: year, n_provinces, n_items, n_published, n_not_published."""
    return query(
        "SELECT year, count(DISTINCT province_code) AS n_provinces, "
        "count(DISTINCT item_code) AS n_items, "
        "count(*) FILTER (WHERE status = 'published') AS n_published, "
        "count(*) FILTER (WHERE status = 'not_published') AS n_not_published "
        "FROM mart.score GROUP BY year ORDER BY year", (), path)


DOUBT_COLUMNS = ["plan_id", "seq", "dimension_code", "text", "lead_units", "due_on", "doubts",
                 "is_corrected"]


def plan_doubts(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Actions the plan reader was unsure of (mart.action.doubts), by plan and seq; empty in
    warehouses built before doubts were stored."""
    return query("SELECT plan_id, seq, dimension_code, text, lead_units, due_on, doubts, "
                 "is_corrected FROM mart.action WHERE len(doubts) > 0 ORDER BY plan_id, seq",
                 (), path, optional_columns=DOUBT_COLUMNS)


# --- ref --------------------------------------------------------------------------------

def provinces(vintage: str, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
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
# Every query relies on the schema of etl.schema.SCHEMA_VERSION: status() refuses another.

def years(path: str | os.PathLike[str] | None = None) -> list[int]:
    """Years present in mart.province_year, ascending."""
    df = query("SELECT DISTINCT year FROM mart.province_year ORDER BY year", (), path)
    return [int(y) for y in df["year"]]


def view_years(path: str | os.PathLike[str] | None = None) -> list[int]:
    """Years a user can choose: years with scores ∪ years with plans or reports, ascending."""
    df = query("SELECT year FROM mart.plan UNION SELECT year FROM mart.action_status",
               (), path, optional_columns=["year"])
    return sorted(set(years(path)) | {int(y) for y in df["year"].dropna()})


def plan_provinces(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Provinces with plans, latest plan first: province_code, vintage, issued_on.

    A plan's vintage is mart.plan.vintage, else that of its issue date (before 01/07/2025: 63).
    """
    return query(
        "WITH pl AS (SELECT * FROM mart.plan) "
        "SELECT province_code, vintage, max(issued_on) AS issued_on "
        "FROM pl WHERE province_code IS NOT NULL GROUP BY ALL "
        "ORDER BY issued_on DESC NULLS LAST, province_code", (), path,
        optional_columns=["province_code", "vintage", "issued_on"])


def score_vintages(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Which geography each year's scores are in: year, vintage, n_provinces."""
    return query(
        "WITH py AS (SELECT * FROM mart.province_year) "
        "SELECT year, vintage AS vintage, count(total) AS n_provinces "
        "FROM py GROUP BY ALL ORDER BY year, vintage", (), path)


def province_year(year: int | None = None, province_code: str | None = None,
                  path: str | os.PathLike[str] | None = None, *, vintage: str | None = None
                  ) -> pd.DataFrame:
    """mart.province_year (+ vintage, n_ranked per year × vintage), optionally filtered.

    A province's year is a part of one read of all its years (rows_of)."""
    if province_code is not None and year is not None:
        return part(_PROVINCE_YEAR, (None, None, province_code, province_code, vintage,
                                     vintage), path, (("year", year),))
    return query(_PROVINCE_YEAR,
                 (year, year, province_code, province_code, vintage, vintage), path)


_PROVINCE_YEAR = (
    "WITH py AS (SELECT * FROM mart.province_year) "
    "SELECT p.* EXCLUDE (vintage, n_ranked), p.vintage AS vintage, "
    "count(p.rank) OVER (PARTITION BY p.year, p.vintage) AS n_ranked "
    "FROM py p "
    "QUALIFY (? IS NULL OR p.year = ?) AND (? IS NULL OR p.province_code = ?) "
    "AND (? IS NULL OR p.vintage = ?) "
    "ORDER BY p.year, p.province_code")


def scores(province_code: str | None = None, item_codes: list[str] | None = None,
           year: int | None = None, path: str | os.PathLike[str] | None = None, *,
           vintage: str | None = None) -> pd.DataFrame:
    """mart.score joined with item names and the national median/best of the year × vintage.

    Columns: year, vintage, province_code, item_code, value, ci_low, ci_high, std_error,
    status, level, parent_code, name_vi, name_en, unit, scale_min, scale_max, sort_order,
    median, best_value, best_province_code. `vintage` None = both geographies (a code names
    different territories in the two: pass it whenever a province is given).

    A province's rows are a part of one read of all its items and years (rows_of): the
    deck and the pages ask for one item or year after another.
    """
    if province_code is not None:
        where: list[tuple[str, object]] = []
        if item_codes is not None:
            where.append(("item_code", tuple(item_codes)))
        if year is not None:
            where.append(("year", year))
        return part(_SCORES, (province_code, province_code, None, None, None, None, vintage,
                              vintage), path, tuple(where))
    return query(_SCORES, (province_code, province_code, item_codes, item_codes, year, year,
                           vintage, vintage), path)


_SCORES = (
    "WITH sc AS (SELECT * FROM mart.score), "
    "nat AS (SELECT * FROM mart.national) "
    "SELECT s.year, s.vintage AS vintage, s.province_code, s.item_code, "
    "s.value, s.ci_low, s.ci_high, "
    "s.std_error, s.status, i.level, i.parent_code, i.name_vi, i.name_en, i.unit, "
    "i.scale_min, i.scale_max, i.sort_order, n.median, n.best_value, "
    "n.best_province_code "
    "FROM sc s LEFT JOIN ref.item i USING (item_code) "
    "LEFT JOIN nat n ON n.year = s.year AND n.item_code = s.item_code "
    "  AND n.vintage = s.vintage "
    "WHERE (? IS NULL OR s.province_code = ?) "
    "AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], s.item_code)) "
    "AND (? IS NULL OR s.year = ?) "
    "AND (? IS NULL OR s.vintage = ?) "
    "ORDER BY i.sort_order, s.item_code, s.year, s.province_code")


def continuity(new_code: str, item_codes: list[str],
               path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """A new (34) province's own scores and its predecessors' scores (63) up to 2024.

    Columns as scores() plus `series`: 'own' for the province itself (vintage 34),
    'predecessor' for each old province merged into it (ref.province_merge_2025). The items
    are a part of one read of all the province's items (rows_of).
    """
    return part(
        "WITH sc AS (SELECT * FROM mart.score), "
        "nat AS (SELECT * FROM mart.national), "
        "who AS (SELECT '34' AS vintage, ? AS province_code, 'own' AS series "
        "  UNION ALL SELECT '63', old_code, 'predecessor' FROM ref.province_merge_2025 "
        "  WHERE new_code = ?) "
        "SELECT s.year, w.vintage, s.province_code, w.series, s.item_code, s.value, s.ci_low, "
        "s.ci_high, s.std_error, s.status, i.level, i.parent_code, i.name_vi, i.name_en, "
        "i.unit, i.scale_min, i.scale_max, i.sort_order, n.median, n.best_value, "
        "n.best_province_code "
        "FROM sc s JOIN who w ON w.province_code = s.province_code "
        "  AND w.vintage = s.vintage "
        "LEFT JOIN ref.item i USING (item_code) "
        "LEFT JOIN nat n ON n.year = s.year AND n.item_code = s.item_code "
        "  AND n.vintage = w.vintage "
        "ORDER BY i.sort_order, s.item_code, w.series, s.province_code, s.year",
        (new_code, new_code), path, (("item_code", tuple(item_codes)),))


def national(item_codes: list[str] | None = None, year: int | None = None,
             path: str | os.PathLike[str] | None = None, *, vintage: str | None = None
             ) -> pd.DataFrame:
    """mart.national: year, vintage, item_code, n_provinces, median, mean, min, max, best_*."""
    return query(
        "WITH nat AS (SELECT * FROM mart.national) "
        "SELECT * EXCLUDE (vintage), vintage AS vintage FROM nat "
        "WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], item_code)) "
        "AND (? IS NULL OR year = ?) AND (? IS NULL OR vintage = ?) "
        "ORDER BY item_code, year",
        (item_codes, item_codes, year, year, vintage, vintage), path)


def ranking(year: int, item_code: str = "TOTAL",
            path: str | os.PathLike[str] | None = None, *, vintage: str) -> pd.DataFrame:
    """Every province of the year's geography (63 up to 2024, 34 from 2025), best first.

    Columns: province_code, name_vi, name_en, region_vi, region_en, value, status, rank,
    performance_group. For TOTAL rank/group are mart.province_year's; for other items the
    rank is by value (ties share the lower rank) and the group is the quartile (1 = highest).
    `vintage` ('63' or '34') is the geography ranked: always given (a year can hold both).
    """
    v = vintage
    return query(
        "WITH sc AS (SELECT * FROM mart.score), "
        "pyv AS (SELECT * FROM mart.province_year), "
        "s AS (SELECT province_code, value, status FROM sc "
        "  WHERE year = ? AND item_code = ? AND vintage = ?), "
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
        "LEFT JOIN pyv py ON py.province_code = p.code AND py.year = ? "
        "  AND py.vintage = ? "
        "WHERE p.vintage = ? "
        "ORDER BY rank NULLS LAST, p.code",
        (year, item_code, v, item_code, item_code, year, v, v), path)


# --- plans and actions ------------------------------------------------------------------
# The task queries read mart.action_report (the tracker's rows, stored by province and year:
# etl/steps/task_view_step.py) and are assembled from constant fragments with only the
# predicates in use (a "(? IS NULL OR col = ?)" filter hides the predicate from DuckDB).

_ACTION_ORDER = "ORDER BY dimension_code, plan_issued_on, seq, action_id"


def _and(conds: list[str]) -> str:
    return " ".join(["WHERE", " AND ".join(conds)]) if conds else ""


def province_filter(province_code: str | None, vintage: str | None,
                    prefix: str = "") -> tuple[list[str], list]:
    """WHERE conditions for a province's plans and reports. A province of the 34 (vintage
    '34') also has its predecessors' plans of before 01/07/2025 (vintage '63'): a new
    province's task history is one line; an old one (63) only its own."""
    if province_code is None:
        return ([f"{prefix}vintage = ?"], [vintage]) if vintage else ([], [])
    if vintage is None:
        return [f"{prefix}province_code = ?"], [province_code]
    if vintage == ref.NEW:
        return ([f"(({prefix}vintage = ? AND {prefix}province_code = ?) OR ({prefix}vintage = ? "
                 f"AND list_contains(?, {prefix}province_code)))"],
                [ref.NEW, province_code, ref.OLD, ref.predecessors(province_code)])
    return [f"{prefix}vintage = ?", f"{prefix}province_code = ?"], [vintage, province_code]


def _report_rows(province_code: str | None, year: int | None, dimension_code: str | None,
                 unit: str | None, status: str | None, *, reported_only: bool = False,
                 vintage: str | None = None) -> tuple[str, list]:
    """FROM … WHERE … of the tracker rows for these filters, and its parameters. `vintage`
    ('63'|'34') tells old from new provinces of the same code (old and new Phú Thọ are 25)."""
    conds, params = ["by_year" if year is not None or reported_only else "NOT by_year"], []
    if reported_only:
        conds.append("has_report")
    where, args = province_filter(province_code, vintage)
    conds += where
    params += args
    for cond, value in (("report_year = ?", year),
                        ("dimension_code = ?", dimension_code),
                        ("list_contains(lead_units, ?)", unit), ("status_code = ?", status)):
        if value is not None:
            conds.append(cond)
            params.append(value)
    return " ".join(["FROM mart.action_report", _and(conds)]), params


def actions(province_code: str | None = None, year: int | None = None,
            dimension_code: str | None = None, path: str | os.PathLike[str] | None = None, *,
            unit: str | None = None, status: str | None = None, limit: int | None = None,
            offset: int = 0, vintage: str | None = None) -> pd.DataFrame:
    """Plan actions with their latest status row (of `year` if given). Columns: ACTION_COLUMNS.

    `year` filters on the report year when a status exists, else on the plan year.
    status_code is 'not_reported' where no report row exists. `unit` keeps actions it leads;
    `status` one status code. Ordered by dimension, plan date, seq; `limit`/`offset` page it.
    """
    where, params = _report_rows(province_code, year, dimension_code, unit, status,
                                 vintage=vintage)
    tail, page = [_ACTION_ORDER], []
    if limit is not None:
        tail.append("LIMIT ? OFFSET ?")
        page = [int(limit), int(offset)]
    sql = " ".join(["SELECT", ", ".join(ACTION_COLUMNS), where, *tail])
    return query(sql, (*params, *page), path, optional_columns=ACTION_COLUMNS)


def action_summary(province_code: str | None = None, year: int | None = None,
                   dimension_code: str | None = None, path: str | os.PathLike[str] | None = None,
                   *, unit: str | None = None, status: str | None = None,
                   vintage: str | None = None) -> dict:
    """{'n': actions, 'n_overdue': of them overdue, 'last_reported_on': date or None} of the
    actions `actions()` returns for the same filters, from one aggregate."""
    where, params = _report_rows(province_code, year, dimension_code, unit, status,
                                 vintage=vintage)
    sql = " ".join(["SELECT count(*) AS n, count(*) FILTER (WHERE status_code = 'overdue') "
                    "AS n_overdue, max(reported_on) AS last_reported_on", where])
    df = query(sql, params, path, optional_columns=["n", "n_overdue", "last_reported_on"])
    if df.empty:
        return {"n": 0, "n_overdue": 0, "last_reported_on": None}
    last = df["last_reported_on"].iat[0]
    return {"n": int(df["n"].iat[0]), "n_overdue": int(df["n_overdue"].iat[0]),
            "last_reported_on": None if pd.isna(last) else last}


def count_actions(province_code: str | None = None, year: int | None = None,
                  dimension_code: str | None = None, path: str | os.PathLike[str] | None = None,
                  *, unit: str | None = None, status: str | None = None,
                  vintage: str | None = None) -> int:
    """How many rows `actions()` returns for the same filters (without fetching them)."""
    return action_summary(province_code, year, dimension_code, path, unit=unit,
                          status=status, vintage=vintage)["n"]


def action_units(province_code: str | None = None,
                 path: str | os.PathLike[str] | None = None, *,
                 vintage: str | None = None) -> list[str]:
    """The lead units of the province's actions, sorted."""
    where, params = _report_rows(province_code, None, None, None, None, vintage=vintage)
    sql = " ".join(["SELECT DISTINCT unnest(lead_units) AS unit", where, "ORDER BY unit"])
    df = query(sql, params, path, optional_columns=["unit"])
    return [u for u in df["unit"] if u is not None]


def action_report_years(province_code: str | None = None,
                        path: str | os.PathLike[str] | None = None, *,
                        vintage: str | None = None) -> list[int]:
    """The report years of `actions(province_code)` (latest report's year, else plan year)."""
    where, params = _report_rows(province_code, None, None, None, None, vintage=vintage)
    sql = " ".join(["SELECT DISTINCT report_year", where, "ORDER BY report_year"])
    df = query(sql, params, path, optional_columns=["report_year"])
    return [int(y) for y in df["report_year"].dropna()]


def action_status_by_year(province_code: str | None = None, dimension_code: str | None = None,
                          path: str | os.PathLike[str] | None = None, *,
                          vintage: str | None = None) -> pd.DataFrame:
    """Number of actions per report year and status (latest row per action and year).

    Columns: year, status_code, n. A dimension's rows are a part of one read of every
    dimension's (rows_of).
    """
    if dimension_code is not None:
        where, params = _report_rows(province_code, None, None, None, None,
                                     reported_only=True, vintage=vintage)
        sql = " ".join(["SELECT dimension_code, report_year AS year, status_code, count(*) AS n",
                        where, "GROUP BY ALL ORDER BY dimension_code, year, status_code"])
        return part(sql, params, path, (("dimension_code", dimension_code),),
                    drop=("dimension_code",),
                    optional_columns=["dimension_code", "year", "status_code", "n"])
    where, params = _report_rows(province_code, None, None, None, None,
                                 reported_only=True, vintage=vintage)
    sql = " ".join(["SELECT report_year AS year, status_code, count(*) AS n", where,
                    "GROUP BY ALL ORDER BY year, status_code"])
    return query(sql, params, path, optional_columns=["year", "status_code", "n"])


def _progress(table: str, key: str, province_code: str | None, year: int | None,
              path: str | os.PathLike[str] | None, vintage: str | None = None) -> pd.DataFrame:
    conds, params = province_filter(province_code, vintage)
    if year is not None:
        conds.append("year = ?")
        params.append(year)
    tables = {"dimension": "SELECT * FROM mart.dimension_progress",
              "unit": "SELECT * FROM mart.unit_progress"}
    order = {"dimension": "ORDER BY province_code, year, dimension_code",
             "unit": "ORDER BY province_code, year, unit"}
    sql = " ".join([tables[table], _and(conds), order[table]])
    return query(sql, params, path,
                 optional_columns=["province_code", "year", key, *PROGRESS_MEASURES])


def action_years(province_code: str | None = None, dimension_code: str | None = None,
                 path: str | os.PathLike[str] | None = None, *,
                 vintage: str | None = None) -> pd.DataFrame:
    """One row per action: action_id, dimension_code, plan_year, due_on, first_report_year
    (NULL if never reported) — to draw actions from the year they are planned. A dimension's
    rows are a part of one read of the province's (rows_of)."""
    conds, params = province_filter(province_code, vintage, "p.")
    cols = ["action_id", "dimension_code", "plan_year", "due_on", "first_report_year"]
    sql = " ".join([
        "SELECT a.action_id, a.dimension_code, p.year AS plan_year, a.due_on, "
        "(SELECT min(s.year) FROM mart.action_status s WHERE s.action_id = a.action_id) "
        "AS first_report_year FROM mart.action a JOIN mart.plan p USING (plan_id)",
        _and(conds), "ORDER BY a.action_id"])
    if dimension_code is None:
        return query(sql, params, path, optional_columns=cols)
    return part(sql, params, path, (("dimension_code", dimension_code),),
                optional_columns=cols)


def dimension_progress(province_code: str | None = None, year: int | None = None,
                       path: str | os.PathLike[str] | None = None, *,
                       vintage: str | None = None) -> pd.DataFrame:
    """mart.dimension_progress: province_code, year, dimension_code + PROGRESS_MEASURES."""
    return _progress("dimension", "dimension_code", province_code, year, path, vintage)


def unit_progress(province_code: str | None = None, year: int | None = None,
                  path: str | os.PathLike[str] | None = None, *,
                  vintage: str | None = None) -> pd.DataFrame:
    """mart.unit_progress: province_code, year, unit + PROGRESS_MEASURES."""
    return _progress("unit", "unit", province_code, year, path, vintage)


def plan_years(province_code: str | None = None,
               path: str | os.PathLike[str] | None = None, *,
               vintage: str | None = None) -> list[int]:
    """Years with plan progress (mart.dimension_progress) for a province, ascending."""
    conds, params = province_filter(province_code, vintage)
    sql = " ".join(["SELECT DISTINCT year FROM mart.dimension_progress", _and(conds),
                    "ORDER BY year"])
    df = query(sql, params, path, optional_columns=["year"])
    return [int(y) for y in df["year"]]


# --- geography vintages (issue 11) -------------------------------------------------------

_SCORE_RANKS = (
    "WITH sc AS (SELECT * FROM mart.score), "
    "pyv AS (SELECT * FROM mart.province_year), "
    "s AS (SELECT item_code, province_code, value, ci_low, ci_high, std_error, status "
    "  FROM sc WHERE year = ? AND vintage = ?), "
    "py AS (SELECT province_code, rank FROM pyv WHERE year = ? "
    "  AND vintage = ?), "
    "r AS (SELECT s.*, CASE WHEN value IS NULL THEN NULL "
    "  ELSE rank() OVER (PARTITION BY item_code ORDER BY value DESC NULLS LAST) END AS vr "
    "  FROM s) "
    "SELECT r.item_code, r.province_code, r.value, r.ci_low, r.ci_high, r.std_error, r.status, "
    "  CASE WHEN r.item_code = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END AS rank, "
    "  count(CASE WHEN r.item_code = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END) "
    "  OVER (PARTITION BY r.item_code) AS n_ranked "
    "FROM r LEFT JOIN py USING (province_code) "
    "ORDER BY r.item_code, rank NULLS LAST, r.province_code")


def year_ranks(year: int, vintage: str,
               path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every item for every province of (year, vintage), each item ranked within that
    geography, in one read: item_code + score_ranks()'s columns, by item then rank."""
    return query(_SCORE_RANKS, (year, vintage, year, vintage), path)


def score_ranks(year: int, vintage: str, item_code: str = "TOTAL",
                path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One item for every province of (year, vintage), ranked within that geography.

    Columns: province_code, value, ci_low, ci_high, std_error, status, rank, n_ranked. TOTAL
    takes mart.province_year's rank; other items rank by value (ties share the better rank).
    A part of one read of every item of the year (year_ranks, rows_of): the deck and the
    pages compare one item after another.
    """
    return part(_SCORE_RANKS, (year, vintage, year, vintage), path, (("item_code", item_code),),
                drop=("item_code",))
