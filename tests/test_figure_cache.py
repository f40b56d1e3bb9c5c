"""Cached figures (dashboard.figcache) never leak across data, provinces, languages, versions."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, figcache, fmt
from dashboard.charts.common import DEMO_NAME

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def _frame(value: float = 55.5) -> pd.DataFrame:
    return pd.DataFrame({"label": ["D1 – Tham gia", "D2 – Công khai"], "value": [value, 60.25],
                         "median": [50.0, 51.0], "best_value": [70.0, 71.0],
                         "best_name": ["Huế", "Đà Nẵng"]})


def _bars(df: pd.DataFrame, lang: str = "vi", province: str = "Hà Nội"):
    return figcache.figure(charts.dimension_bars, df, lang, title="Các chỉ số", year=2024,
                           province_label=province)


def _marks(fig) -> list[str]:
    return [a.name for a in fig.layout.annotations or ()]


def test_same_content_same_figure_other_content_other_figure() -> None:
    figcache.clear()
    first = _bars(_frame())
    assert _bars(_frame()) is first  # an equal frame (another object) reuses the figure
    changed = _bars(_frame(44.75))
    assert changed is not first
    assert list(changed.data[2].x)[-1] == 44.75 and list(first.data[2].x)[-1] == 55.5
    other = _bars(_frame(), province="Huế")
    assert other.data[2].name == "Huế" and first.data[2].name == "Hà Nội"


def test_language_and_demo_mark_are_part_of_the_key() -> None:
    figcache.clear()
    vi, en = _bars(_frame(), "vi"), _bars(_frame(), "en")
    assert vi.layout.separators == fmt.separators("vi") != en.layout.separators
    assert vi.data[1].name != en.data[1].name  # 'Trung vị toàn quốc' / 'National median'
    with fmt.demo(True):
        demo = _bars(_frame())
    with fmt.demo(False):
        real = _bars(_frame())
    assert DEMO_NAME in _marks(demo) and DEMO_NAME not in _marks(real)
    assert real is not demo


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _x(trace: dict) -> list[float]:
    """A trace's x values (plotly sends numeric arrays base64-encoded)."""
    x = trace["x"]
    if isinstance(x, dict):
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x)


def _dimension_chart(at: AppTest) -> dict:
    """The overview's dimension bars: three traces (best, median, the province)."""
    return next(s for s in _specs(at) if len(s["data"]) == 3 and s["data"][2].get("text"))


def test_pages_redraw_for_province_language_and_warehouse_version(
        monkeypatch: pytest.MonkeyPatch, demo_db: Path, tmp_path: Path) -> None:
    """Province → its own bars; language → its own words; a rebuilt warehouse with a changed
    score → the new score, although every earlier view's figure stays cached."""
    live = tmp_path / "live.duckdb"
    shutil.copyfile(demo_db, live)
    monkeypatch.setenv("PAPI_DB", str(live))
    monkeypatch.delenv("PAPI_GEOJSON_63", raising=False)
    monkeypatch.delenv("PAPI_GEOJSON_34", raising=False)
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        year = con.execute("SELECT max(year) FROM mart.province_year WHERE vintage = '63' "
                           "OR vintage IS NULL").fetchone()[0]
    finally:
        con.close()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"province": "01", "vintage": "63", "year": str(year)})
    at.run()
    assert not at.exception
    hanoi = _dimension_chart(at)
    assert hanoi["data"][2]["name"] == "Hà Nội"

    at.sidebar.selectbox(key="province").set_value("63:48").run()  # Đà Nẵng
    assert not at.exception
    danang = _dimension_chart(at)
    assert danang["data"][2]["name"] == "Đà Nẵng"
    assert _x(danang["data"][2]) != _x(hanoi["data"][2])

    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    english = _dimension_chart(at)
    assert english["layout"]["separators"] == fmt.separators("en")
    assert english["data"][1]["name"] != danang["data"][1]["name"]
    assert english["layout"]["title"]["text"] != danang["layout"]["title"]["text"]

    at.sidebar.radio(key="lang").set_value("vi").run()
    assert _dimension_chart(at) == danang  # back to a view drawn before: the same figure

    rebuilt = tmp_path / "rebuilt.duckdb"  # `papi etl` swaps a new file in (os.replace)
    shutil.copyfile(demo_db, rebuilt)
    con = duckdb.connect(str(rebuilt))
    try:
        con.execute("UPDATE mart.score SET value = 12.34 WHERE province_code = '48' AND "
                    "year = ? AND item_code = 'D1' AND coalesce(vintage, '63') = '63'", [year])
    finally:
        con.close()
    os.replace(rebuilt, live)
    at.run()
    assert not at.exception
    after = _dimension_chart(at)
    assert 12.34 in _x(after["data"][2]) and 12.34 not in _x(danang["data"][2])
    assert fmt.num(12.34, "vi") in after["data"][2]["text"]


def test_memoised_ref_tables_follow_their_content() -> None:
    """style.groups/statuses are memoised by the ref table's content, never by its name."""
    from dashboard import style

    ref = style.STATUSES.copy()
    first = style.statuses(ref)
    ref.loc[ref["status_code"] == "overdue", "color"] = "#000000"
    changed = style.statuses(ref)
    assert dict(zip(changed["status_code"], changed["color"], strict=True))["overdue"] == "#000000"
    assert dict(zip(first["status_code"], first["color"], strict=True))["overdue"] != "#000000"
    first.loc[0, "color"] = "mutated"  # a caller changing its copy changes no later answer
    assert style.statuses(style.STATUSES.copy()).loc[0, "color"] != "mutated"
    groups = style.GROUPS.copy()
    groups.loc[0, "name_vi"] = None  # a missing name falls back, memoised or not
    assert style.groups(groups).loc[0, "name_vi"] == style.GROUPS.loc[0, "name_vi"]
