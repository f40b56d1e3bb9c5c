"""Cached figures (dashboard.figcache) never leak across data, provinces, languages, versions."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, figcache, fmt
from dashboard.charts.common import DEMO_NAME
from tests import shown_charts

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
    return shown_charts.values(trace["x"])


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


# --- figures cached per view (figcache.of_view) -------------------------------------------

def _direct(lang: str = "vi"):
    """The builder itself (not figure(): its content cache would hand back the same object)."""
    return charts.dimension_bars(_frame(), lang, title="Các chỉ số", year=2024,
                                 province_label="Hà Nội")


def _view(**changes):
    from dataclasses import replace

    from dashboard.view import View

    v = View("vi", "20", 2024, "D1", "Lạng Sơn", "D1 – Tham gia", "63")
    return replace(v, **changes)


@pytest.fixture
def live_db(monkeypatch: pytest.MonkeyPatch, demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo warehouse as the app's warehouse (PAPI_DB), figures forgotten."""
    from dashboard import data

    live = tmp_path / "live.duckdb"
    shutil.copyfile(demo_db, live)
    monkeypatch.setenv("PAPI_DB", str(live))
    data.clear_cache()
    figcache.clear()
    yield live
    figcache.clear()
    data.clear_cache()


def test_view_key_changes_with_each_field_widget_and_mark(live_db: Path) -> None:
    base = figcache.view_key(_view(), "p")
    assert figcache.view_key(_view(), "p") == base  # an equal view (another object): same key
    others = {"lang": "en", "province": "01", "year": 2023, "dimension": "D2",
              "province_name": "Hà Nội", "dimension_name": "D2 – Công khai", "vintage": "34"}
    from dataclasses import fields

    from dashboard.view import View

    assert set(others) == {f.name for f in fields(View)}  # a new field must be tested here
    keys = {name: figcache.view_key(_view(**{name: value}), "p") for name, value in others.items()}
    for name, key in keys.items():
        assert key != base, name
    assert len(set(keys.values())) == len(keys)
    assert figcache.view_key(_view(), "q") != base  # another figure of the page
    assert figcache.view_key(_view(), "p", "TOTAL") != base  # a widget's value
    assert figcache.view_key(_view(), "p", "TOTAL") != figcache.view_key(_view(), "p", "D1")
    assert figcache.view_key(_view(), "p", ("01", "79")) != \
        figcache.view_key(_view(), "p", ("79", "01"))  # chosen provinces keep their order
    with fmt.demo(not fmt.is_demo()):
        assert figcache.view_key(_view(), "p") != base  # the demo mark


def test_same_view_same_figure_made_once(live_db: Path) -> None:
    made: list[str] = []

    def make(lang: str):
        def build():
            made.append(lang)
            return _direct(lang)
        return build

    first = figcache.of_view(_view(), "bars", make("vi"))
    assert figcache.of_view(_view(), "bars", make("vi")) is first
    assert made == ["vi"]  # the warm call made nothing
    english = figcache.of_view(_view(lang="en"), "bars", make("en"))
    assert english is not first and made == ["vi", "en"]
    assert english.layout.separators == fmt.separators("en") != first.layout.separators
    assert figcache.of_view(_view(), "none", lambda: None) is None  # nothing to draw: cached too
    assert figcache.of_view(_view(), "none", lambda: made.append("again")) is None
    assert made == ["vi", "en"]


def test_warehouse_swap_rebuilds_the_view_figures(live_db: Path, demo_db: Path) -> None:
    made: list[int] = []

    def build():
        made.append(1)
        return _direct()

    first = figcache.of_view(_view(), "bars", build)
    key = figcache.view_key(_view(), "bars")
    swap = live_db.with_suffix(".swap")  # `papi etl` swaps a new file in (os.replace)
    shutil.copyfile(demo_db, swap)
    os.replace(swap, live_db)
    assert figcache.view_key(_view(), "bars") != key
    again = figcache.of_view(_view(), "bars", build)
    assert made == [1, 1] and again is not first
    assert figcache.of_view(_view(), "bars", build) is again and made == [1, 1]


def test_demo_mark_of_the_key_is_the_figure_s(live_db: Path) -> None:
    with fmt.demo(True):
        demo = figcache.of_view(_view(), "bars", _direct)
    with fmt.demo(False):
        real = figcache.of_view(_view(), "bars", _direct)
    assert DEMO_NAME in _marks(demo) and DEMO_NAME not in _marks(real)


def test_compare_page_follows_its_widgets(live_db: Path) -> None:
    """The compare page's figures are keyed by its widgets too: another item redraws them as
    a fresh session draws that item; back to the first item gives the first figures."""
    def opened(item: str | None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"province": "01", "year": "2024", **({"item": item} if item else {})})
        at.run()
        at.switch_page("app_pages/compare.py").run()
        assert not at.exception
        return at

    expected = {}
    for item in ("TOTAL", "D4"):  # each item drawn from nothing cached
        figcache.clear()
        expected[item] = _specs(opened(item))
    assert expected["D4"] != expected["TOTAL"]
    figcache.clear()
    at = opened(None)
    assert _specs(at) == expected["TOTAL"]
    at.selectbox(key="item").set_value("D4").run()
    assert not at.exception
    assert _specs(at) == expected["D4"]
    at.selectbox(key="item").set_value("TOTAL").run()
    assert _specs(at) == expected["TOTAL"]
