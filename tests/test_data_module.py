"""dashboard.data: read-only, parameterised, cached by file signature, survives a rebuild."""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import data
from etl import ref

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
SQL_WORDS = ("SELECT ", "FROM ", "WHERE ", "INSERT ", "UPDATE ", "DELETE ")


def _py_files() -> list[Path]:
    return sorted(p for p in DASHBOARD.rglob("*.py") if "__pycache__" not in p.parts)


def test_only_data_module_imports_duckdb() -> None:
    importers = []
    for path in _py_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "duckdb" or n.startswith("duckdb.") for n in names):
                importers.append(path.relative_to(DASHBOARD).as_posix())
    assert sorted(set(importers)) == ["data.py"]


def test_no_sql_built_by_string_formatting() -> None:
    bad = []
    for path in _py_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            text = ""
            if isinstance(node, ast.JoinedStr):  # f-string
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
                parts = [n for n in (node.left, node.right) if isinstance(n, ast.Constant)]
                if len(parts) < 2 or isinstance(node.op, ast.Mod):
                    text = " ".join(str(p.value) for p in parts)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "format" and isinstance(node.func.value, ast.Constant)):
                text = str(node.func.value.value)
            if any(w in text.upper() for w in SQL_WORDS):
                bad.append(f"{path.name}:{node.lineno}")
    assert not bad
    # every query()/execute() call in data.py passes SQL as literal text
    tree = ast.parse((DASHBOARD / "data.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("query", "_cached"):
            sql = node.args[1] if getattr(node.func, "id", "") == "_cached" else node.args[0]
            assert isinstance(sql, ast.Constant | ast.Name), ast.dump(sql)[:80]


def test_missing_and_empty_warehouse(tmp_path: Path) -> None:
    assert data.status(tmp_path / "nope.duckdb").state == "missing"
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert data.status(empty).state == "empty"
    assert data.tables(tmp_path / "nope.duckdb") == frozenset()


def test_queries_against_demo(demo_db: Path) -> None:
    assert data.status(demo_db).ok
    assert data.is_demo(demo_db) is True
    ys = data.years(demo_db)
    year = ys[-1]
    py = data.province_year(year, "01", demo_db)
    assert len(py) == 1 and py["n_ranked"].iat[0] <= 63
    rank = data.ranking(year, "TOTAL", demo_db, vintage=ref.vintage_for_year(year))
    assert len(rank) == len(ref.province_codes(ref.vintage_for_year(year)))  # 34 from 2025
    top = rank.iloc[0]
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        best = con.execute("SELECT province_code, total FROM mart.province_year WHERE year = ? "
                           "AND rank = 1 AND vintage = ?", [year, ref.vintage_for_year(year)]).fetchone()
    finally:
        con.close()
    assert top["province_code"] == best[0] and top["value"] == pytest.approx(best[1])
    sc = data.scores("01", ["TOTAL", "D1"], None, demo_db)
    assert set(sc["item_code"]) == {"TOTAL", "D1"} and (sc["province_code"] == "01").all()
    assert {"median", "name_vi", "name_en"} <= set(sc.columns)
    d1 = data.ranking(year, "D1", demo_db, vintage=ref.vintage_for_year(year))
    assert d1["rank"].min() == 1 and set(d1["performance_group"].dropna()) <= {1, 2, 3, 4}
    # a user value that looks like SQL is just a value
    assert data.province_year(None, "01' OR '1'='1", demo_db).empty


def test_optional_tables_give_empty_frames(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE SCHEMA mart")
    con.execute("CREATE TABLE mart.score(year INT, province_code VARCHAR, item_code VARCHAR, "
                "value DOUBLE, status VARCHAR)")
    con.close()
    assert list(data.actions("01", path=db).columns) == data.ACTION_COLUMNS
    assert data.dimension_progress("01", 2023, db).empty
    assert data.build_info(db) == {} and data.is_demo(db) is False


def test_cache_refreshes_when_file_is_replaced(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    year = data.years(db)[-1]
    before = data.province_year(year, "01", db)["total"].iat[0]
    assert data.province_year(year, "01", db)["total"].iat[0] == before  # cached
    new = tmp_path / "new.duckdb"
    shutil.copy(demo_db, new)
    con = duckdb.connect(str(new))
    con.execute("UPDATE mart.province_year SET total = total + 1 WHERE province_code = '01'")
    con.close()
    os.replace(new, db)  # what the ETL does
    after = data.province_year(year, "01", db)["total"].iat[0]
    assert after == pytest.approx(before + 1)


def test_results_are_copies(demo_db: Path) -> None:
    a = data.years(demo_db)
    df = data.province_year(a[-1], None, demo_db)
    df["total"] = 0
    assert (data.province_year(a[-1], None, demo_db)["total"] != 0).any()


def test_task_export_frame_hook(demo_db: Path) -> None:
    from dashboard import task_table

    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        code, n = con.execute("SELECT p.province_code, count(*) FROM mart.action a JOIN "
                              "mart.plan p USING (plan_id) GROUP BY 1 LIMIT 1").fetchone()
    finally:
        con.close()
    from datetime import date

    from dashboard.export.tables import to_csv_bytes

    day = data.build_info(demo_db)["as_of"]
    from dashboard import prep

    def table(filters: dict, lang: str):
        acts = task_table.with_days_overdue(data.actions(code, path=demo_db), day)
        return prep.task_export_frame(task_table.apply_filters(acts, filters), lang,
                                      data.task_statuses(demo_db))

    vi, en = table({}, "vi"), table({"status": "overdue"}, "en")
    assert len(vi) == n and "Nhiệm vụ" in vi.columns and "Ngày báo cáo" in vi.columns
    assert list(vi.columns[:3]) == ["Trạng thái", "Thời hạn", "Số ngày quá hạn"]
    assert en["Status"].nunique() == 1 and len(en) < n
    assert (en["Days overdue"] > 0).all()  # counted on the warehouse's day
    dates = [d for d in vi["Ngày báo cáo"] if d is not None]
    assert dates and all(isinstance(d, date) for d in dates)  # dates stay dates
    csv = to_csv_bytes(vi).decode("utf-8-sig")
    assert dates[0].strftime("%d/%m/%Y") in csv  # and the CSV writes them dd/mm/yyyy


def test_real_crime_rate_shown_in_percent_not_476(real_db: Path) -> None:
    """PAPI 2023 writes D6.4.03 in percent (Lạng Sơn 4.76) beside shares: shown as 4,76%."""
    from dashboard import prep
    from dashboard.i18n import fmt_num

    shown = prep.displayed(data.scores("20", ["D6.4.03"], 2023, path=real_db))
    assert fmt_num(shown["value"].iat[0], "vi") + "%" == "4,76%"
    assert fmt_num(shown["median"].iat[0], "vi") + "%" == "6,35%"
    stored = data.scores(None, ["D6.4.03"], path=real_db)
    assert stored["value"].max() < 0.28  # every year normalised to the 0–1 share of ref.item
    infos = data.problems(real_db)
    assert sorted(infos.loc[infos["message"].str.startswith("D6.4.03 in "), "sheet"]) == [
        "2018", "2019", "2022", "2023"]


def test_real_impossible_share_is_corrected_and_flagged(real_db: Path) -> None:
    """D4.4.05 (land bribe) 2019 Phú Thọ is 1.048 (104.8%) in the file: corrections.csv."""
    df = data.query("SELECT value IS NULL AS empty, status, flag, competing FROM mart.score "
                    "WHERE year = 2019 "
                    "AND province_code = '25' AND item_code = 'D4.4.05'", (), real_db)
    assert df.to_dict("records") == [{"empty": True, "status": "not_published",
                                      "flag": "corrected",
                                      "competing": "PAPI-2015-2023.xlsm › 2019 R100: 1.0483"}]
    top = data.query("SELECT max(value) AS m FROM mart.score s JOIN ref.item i USING "
                     "(item_code) WHERE i.unit = 'share'", (), real_db)["m"].iat[0]
    assert top <= 1.0


def test_task_export_frame_dates_are_dates_or_none() -> None:
    """Dates stay dates and a missing one is None (never NaT, which reads as a date), whether
    the column is datetime64 (the warehouse's) or Python objects."""
    from datetime import date

    import pandas as pd

    from dashboard import prep

    acts = pd.DataFrame({
        "status_code": ["overdue", "done_on_time", "in_progress"],
        "due_on": pd.to_datetime([None, "2024-05-01", "2024-12-31"]),
        "text": ["a", "b", "c"], "dimension_code": ["D1", "D2", "GENERAL"],
        "lead_units": [None, ["Sở Nội vụ"], []], "coordinating_units": [None, None, None],
        "percent_done": [None, 50, 0], "result": [None, "r", None],
        "reported_on": pd.Series([None, date(2024, 6, 30), None], dtype=object),
        "plan_number": ["1", "2", "3"], "report_year": [2024, 2024, 2024]})
    frame = prep.task_export_frame(acts, "vi")
    assert frame["Thời hạn"].tolist() == [None, date(2024, 5, 1), date(2024, 12, 31)]
    assert frame["Ngày báo cáo"].tolist() == [None, date(2024, 6, 30), None]
