"""Every dashboard chart has PNG/SVG/PDF downloads and every table XLSX/CSV (AppTest)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests import shown_tables

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = ["overview", "dimensions", "drilldown", "compare", "tasks", "method"]
CHART_FORMATS = {"png", "svg", "pdf"}
TABLE_FORMATS = {"xlsx", "csv"}
MIN_CHARTS = {"overview": 3, "dimensions": 1, "drilldown": 2, "compare": 4, "tasks": 2,
              "method": 0}
MIN_TABLES = {"overview": 0, "dimensions": 1, "drilldown": 0, "compare": 1, "tasks": 1,
              "method": 3}


def _plan_province(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT province_code FROM mart.plan WHERE vintage = '63' "
                           "ORDER BY plan_id LIMIT 1").fetchone()[0]
    finally:
        con.close()


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("PAPI_DB", str(db))
    monkeypatch.delenv("PAPI_GEOJSON_63", raising=False)
    monkeypatch.delenv("PAPI_GEOJSON_34", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at: AppTest) -> dict[str, set[str]]:
    """basename -> formats offered, from the keys `dl-<basename>-<fmt>`."""
    out: dict[str, set[str]] = defaultdict(set)
    for b in at.get("download_button"):
        assert b.key and b.key.startswith("dl-"), b.key
        base, fmt = b.key[3:].rsplit("-", 1)
        out[base].add(fmt)
    return dict(out)


def _check(at: AppTest, page: str) -> None:
    dl = _downloads(at)
    chart_sets = [f for f in dl.values() if f & CHART_FORMATS]
    table_sets = [f for f in dl.values() if f & TABLE_FORMATS]
    assert all(f == CHART_FORMATS for f in chart_sets), dl
    assert all(f == TABLE_FORMATS for f in table_sets), dl
    n_charts = len(at.get("plotly_chart"))
    n_tables = len(shown_tables.tables(at))
    assert len(chart_sets) == n_charts >= MIN_CHARTS[page], (page, dl, n_charts)
    assert len(table_sets) == n_tables >= MIN_TABLES[page], (page, dl, n_tables)
    keys = [b.key for b in at.get("download_button")]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_and_table_downloadable(monkeypatch, demo_db: Path, page: str) -> None:
    at = _app(monkeypatch, demo_db, page, province=_plan_province(demo_db), vintage="63",
              year="2024")  # a PAPI year of the 63 with plans: every chart of the page
    _check(at, page)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    _check(at, page)
    labels = {b.label for b in at.get("download_button")}
    assert labels <= {"PNG", "SVG", "PDF", "XLSX", "CSV"}, labels


def test_compare_map_34_predecessor_table(monkeypatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "compare", province="01", vintage="63", year="2024")
    at.radio(key="map").set_value("34").run()
    assert not at.exception
    _check(at, "compare")
    assert "papi_provinces_34_predecessors" in _downloads(at)


def test_tasks_table_replaces_plain_csv(monkeypatch, demo_db: Path) -> None:
    code = _plan_province(demo_db)
    at = _app(monkeypatch, demo_db, "tasks", province=code, vintage="63", year="2024")
    keys = [b.key for b in at.get("download_button")]
    assert "tasks_download_csv" not in keys
    assert {f"dl-papi_tasks_{code}-xlsx", f"dl-papi_tasks_{code}-csv"} <= set(keys)


def test_overview_has_briefing_button(monkeypatch, demo_db: Path) -> None:
    at = _app(monkeypatch, demo_db, "overview", province="01")
    assert any(b.key and b.key.startswith("btn-briefing-01-") and b.key.endswith("-vi")
               for b in at.button)
    assert any(e.label == "Báo cáo tóm tắt cho cuộc họp" for e in at.expander)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert any(e.label == "Briefing pack" for e in at.expander)
    assert any(b.key and b.key.endswith("-en") for b in at.button)
