"""One read per kind of rows (dashboard.data.rows_of): a province's scores, a year's ranks,
a province's years, its dimensions' task counts — read once, then filtered in Python — give
exactly the frames (values, order, index, dtypes) that the same query filtered in SQL gave,
on the demo and the real warehouse; and a briefing deck sends each kind to DuckDB once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import data
from etl import ref

# --- the queries as they were, filtered in SQL (the oracle) ------------------------------

OLD_SCORES = (
    "WITH sc AS (SELECT * FROM mart.score), nat AS (SELECT * FROM mart.national) "
    "SELECT s.year, s.vintage AS vintage, s.province_code, s.item_code, s.value, s.ci_low, "
    "s.ci_high, s.std_error, s.status, i.level, i.parent_code, i.name_vi, i.name_en, i.unit, "
    "i.scale_min, i.scale_max, i.sort_order, n.median, n.best_value, n.best_province_code "
    "FROM sc s LEFT JOIN ref.item i USING (item_code) "
    "LEFT JOIN nat n ON n.year = s.year AND n.item_code = s.item_code AND n.vintage = s.vintage "
    "WHERE (? IS NULL OR s.province_code = ?) "
    "AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], s.item_code)) "
    "AND (? IS NULL OR s.year = ?) AND (? IS NULL OR s.vintage = ?) "
    "ORDER BY i.sort_order, s.item_code, s.year, s.province_code")
OLD_RANKS = (
    "WITH sc AS (SELECT * FROM mart.score), pyv AS (SELECT * FROM mart.province_year), "
    "s AS (SELECT province_code, value, ci_low, ci_high, std_error, status "
    "  FROM sc WHERE year = ? AND vintage = ? AND item_code = ?), "
    "py AS (SELECT province_code, rank FROM pyv WHERE year = ? AND vintage = ?), "
    "r AS (SELECT s.*, CASE WHEN value IS NULL THEN NULL "
    "  ELSE rank() OVER (ORDER BY value DESC NULLS LAST) END AS vr FROM s) "
    "SELECT r.province_code, r.value, r.ci_low, r.ci_high, r.std_error, r.status, "
    "  CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END AS rank, "
    "  count(CASE WHEN ? = 'TOTAL' THEN coalesce(py.rank, r.vr) ELSE r.vr END) OVER () "
    "  AS n_ranked "
    "FROM r LEFT JOIN py USING (province_code) ORDER BY rank NULLS LAST, r.province_code")
OLD_PROVINCE_YEAR = (
    "WITH py AS (SELECT * FROM mart.province_year) "
    "SELECT p.* EXCLUDE (vintage, n_ranked), p.vintage AS vintage, "
    "count(p.rank) OVER (PARTITION BY p.year, p.vintage) AS n_ranked FROM py p "
    "QUALIFY (? IS NULL OR p.year = ?) AND (? IS NULL OR p.province_code = ?) "
    "AND (? IS NULL OR p.vintage = ?) ORDER BY p.year, p.province_code")
OLD_CONTINUITY = (
    "WITH sc AS (SELECT * FROM mart.score), nat AS (SELECT * FROM mart.national), "
    "who AS (SELECT '34' AS vintage, ? AS province_code, 'own' AS series "
    "  UNION ALL SELECT '63', old_code, 'predecessor' FROM ref.province_merge_2025 "
    "  WHERE new_code = ?) "
    "SELECT s.year, w.vintage, s.province_code, w.series, s.item_code, s.value, s.ci_low, "
    "s.ci_high, s.std_error, s.status, i.level, i.parent_code, i.name_vi, i.name_en, "
    "i.unit, i.scale_min, i.scale_max, i.sort_order, n.median, n.best_value, "
    "n.best_province_code "
    "FROM sc s JOIN who w ON w.province_code = s.province_code AND w.vintage = s.vintage "
    "LEFT JOIN ref.item i USING (item_code) "
    "LEFT JOIN nat n ON n.year = s.year AND n.item_code = s.item_code AND n.vintage = w.vintage "
    "WHERE list_contains(?::VARCHAR[], s.item_code) "
    "ORDER BY i.sort_order, s.item_code, w.series, s.province_code, s.year")


_CONS: dict[Path, duckdb.DuckDBPyConnection] = {}


def _old(db: Path, sql: str, params: list) -> pd.DataFrame:
    if db not in _CONS:  # one read-only connection per warehouse for the whole module
        _CONS[db] = duckdb.connect(str(db), read_only=True)
    return _CONS[db].cursor().execute(sql, params).df()


@pytest.fixture(scope="module", autouse=True)
def _close_oracle():
    yield
    for con in _CONS.values():
        con.close()
    _CONS.clear()


def _old_tasks(db: Path, kind: str, province: str, vintage: str, dim: str) -> pd.DataFrame:
    """action_status_by_year / action_years of one dimension, filtered in SQL."""
    if kind == "status":
        where, params = data._report_rows(province, None, dim, None, None, reported_only=True,
                                          vintage=vintage)
        sql = " ".join(["SELECT report_year AS year, status_code, count(*) AS n", where,
                        "GROUP BY ALL ORDER BY year, status_code"])
    else:
        conds, params = data.province_filter(province, vintage, "p.")
        conds.append("a.dimension_code = ?")
        params.append(dim)
        sql = " ".join([
            "SELECT a.action_id, a.dimension_code, p.year AS plan_year, a.due_on, "
            "(SELECT min(s.year) FROM mart.action_status s WHERE s.action_id = a.action_id) "
            "AS first_report_year FROM mart.action a JOIN mart.plan p USING (plan_id)",
            data._and(conds), "ORDER BY a.action_id"])
    return _old(db, sql, params)


def _same(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    pd.testing.assert_frame_equal(got, want, check_dtype=True, obj=what)


# --- the frames ---------------------------------------------------------------------------

def _views(db: Path) -> list[tuple[str, str]]:
    """(code, vintage) of the provinces with plans, some without, old and new ones."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        planned = con.execute("SELECT DISTINCT province_code, vintage FROM mart.plan").fetchall()
    finally:
        con.close()
    return sorted({*planned, ("01", "63"), ("48", "63"), ("20", "34"), ("25", "34"),
                   ("25", "63"), ("01", "34"), ("99", "63")})


def _check_frames(db: Path) -> int:
    data.clear_cache()
    items = [*data.items(path=db)["item_code"], "NOPE"]
    years = data.years(db)
    dims = [*data.items(level="dimension", path=db)["item_code"], "GENERAL", "NOPE"]
    n = 0
    for code, vintage in _views(db):
        for item_codes in (None, ["TOTAL"], ["D1", "D3"], items[5:9], [], ["NOPE"]):
            for year in (None, years[-1], 2018, -1):
                _same(data.scores(code, item_codes, year, db, vintage=vintage),
                      _old(db, OLD_SCORES, [code, code, item_codes, item_codes, year, year,
                                            vintage, vintage]),
                      f"scores({code}, {item_codes}, {year}, {vintage})")
                n += 1
        for year in (None, *years[-4:], 2018, 1990):
            _same(data.province_year(year, code, db, vintage=vintage),
                  _old(db, OLD_PROVINCE_YEAR, [year, year, code, code, vintage, vintage]),
                  f"province_year({year}, {code}, {vintage})")
            n += 1
        for dim in dims:
            for kind, fn in (("status", data.action_status_by_year), ("years", data.action_years)):
                _same(fn(code, dim, db, vintage=vintage), _old_tasks(db, kind, code, vintage, dim),
                      f"{kind}({code}, {dim}, {vintage})")
                n += 1
    for code in ("25", "01", "20", "04", "99"):
        for item in ("TOTAL", "D1", items[7], "NOPE"):
            _same(data.continuity(code, [item], db),
                  _old(db, OLD_CONTINUITY, [code, code, [item]]), f"continuity({code}, {item})")
            n += 1
    some = [*dims, *items[8:40:4], "NOPE"]  # total, dimensions, some sub-dimensions, none
    for year in years[-3:] + years[:1]:
        for vintage in ref.VINTAGES:
            for item in some:
                _same(data.score_ranks(year, vintage, item, db),
                      _old(db, OLD_RANKS, [year, vintage, item, year, vintage, item, item]),
                      f"score_ranks({year}, {vintage}, {item})")
                n += 1
    return n


def test_parts_of_one_read_are_the_filtered_queries_demo(demo_db: Path) -> None:
    assert _check_frames(demo_db) > 500


@pytest.mark.shared
def test_parts_of_one_read_are_the_filtered_queries_real(real_db: Path) -> None:
    assert _check_frames(real_db) > 500


def test_rows_of_gives_duckdb_s_types() -> None:
    """A nullable column without a missing value in the part: the numpy type, as DuckDB."""
    kind = pd.DataFrame({"k": ["a", "a", "b"], "i": pd.array([1, 2, None], dtype="Int32"),
                         "b": pd.array([True, False, None], dtype="boolean"),
                         "f": [1.5, None, 2.0]})
    a = data.rows_of(kind, kind["k"] == "a", drop=["k"])
    assert str(a["i"].dtype) == "int32" and str(a["b"].dtype) == "bool"
    assert str(a["f"].dtype) == "float64" and list(a.index) == [0, 1]
    b = data.rows_of(kind, kind["k"] == "b")
    assert str(b["i"].dtype) == "Int32" and b["i"].isna().all() and list(b.index) == [0]
    assert str(kind["i"].dtype) == "Int32"  # the read itself is never changed


# --- a deck reads each kind once ----------------------------------------------------------

class _NoChromium:
    def submit(self, *args: object, **kwargs: object) -> Future[bytes]:
        done: Future[bytes] = Future()
        done.set_result(b"")
        return done

    def close(self, wait: bool = True) -> None:
        pass


@pytest.mark.parametrize(("code", "year", "vintage"), [("20", 2024, "63"), ("25", 2026, "34")])
def test_a_deck_reads_each_kind_once(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                     code: str, year: int, vintage: str) -> None:
    """Every query a demo deck sends to DuckDB: each (SQL, parameters) once (cached), and no
    SQL text sent for one item or dimension after another (8 dimensions, 9 items)."""
    from dashboard.export import briefing

    sent: list[tuple[str, tuple]] = []
    real = data._cached

    def spy(sig, sql, params):
        sent.append((sql, params))
        return real.__wrapped__(sig, sql, params)

    monkeypatch.setattr(data, "_cached", functools_cache(spy))
    monkeypatch.setattr(briefing, "ExportSession", _NoChromium)
    data.clear_cache()
    deck = briefing.build_deck(demo_db, code, year, "vi", vintage=vintage)
    assert len(deck.slides) > 10
    assert len(sent) == len(set(sent))  # nothing read twice
    per_text = Counter(sql for sql, _ in sent)
    # a 34-province's years once, and each predecessor's (Phú Thọ: 3) once
    assert max(per_text.values()) <= 4, per_text.most_common(2)
    assert len(sent) <= 21, len(sent)  # 60 (52) before: one read per item/dimension/year


def functools_cache(fn):
    """`fn` cached by its arguments, like data._cached (the spy sees only misses)."""
    import functools

    cached = functools.lru_cache(maxsize=None)(fn)
    return cached
