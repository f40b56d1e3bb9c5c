"""Every page through AppTest (st.navigation + switch_page): values shown match the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import fmt_date, fmt_num, fmt_pct
from tests import shown_tables
from tests.warehouse_query import q

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = ["overview", "dimensions", "drilldown", "compare", "tasks", "units", "method"]


def _one(db: Path, sql: str, params: list) -> tuple:
    return q(db, sql, params)[0]


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, **params: str) -> AppTest:
    monkeypatch.setenv("PAPI_DB", str(db))
    monkeypatch.delenv("PAPI_GEOJSON_63", raising=False)
    monkeypatch.delenv("PAPI_GEOJSON_34", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def _plan_province(db: Path) -> str:
    return _one(db, "SELECT province_code FROM mart.plan LIMIT 1", [])[0]


def test_overview_values_match_warehouse(monkeypatch, demo_db: Path) -> None:
    year = _one(demo_db, "SELECT max(year) FROM mart.province_year WHERE year <= 2024", [])[0]
    at = _app(monkeypatch, demo_db, province="01", year=str(year))
    assert not at.exception
    total, rank, n = _one(demo_db, "SELECT total, rank, (SELECT count(rank) FROM "
                          "mart.province_year WHERE year = ?) FROM mart.province_year "
                          "WHERE year = ? AND province_code = '01'", [year, year])
    prev = _one(demo_db, "SELECT total, rank FROM mart.province_year WHERE year = ? AND "
                "province_code = '01'", [year - 1])
    assert _metric(at, "Tổng điểm PAPI").value == fmt_num(total, "vi")
    assert "," in _metric(at, "Tổng điểm PAPI").value
    assert _metric(at, "Tổng điểm PAPI").delta.startswith(fmt_num(total - prev[0], "vi",
                                                                   sign=True))
    assert _metric(at, "Xếp hạng").value == f"{rank}/{n}"
    assert _metric(at, "Xếp hạng").delta.startswith(f"{prev[1] - rank:+d}")
    assert at.title[0].value == f"Tổng quan: Hà Nội, {year}"
    assert any("Dữ liệu minh họa / Illustrative data" in w.value for w in at.warning)
    assert at.query_params["province"] == "01" and at.query_params["year"] == str(year)


def test_overview_plan_completion_and_english(monkeypatch, demo_db: Path) -> None:
    code = _plan_province(demo_db)
    year = _one(demo_db, "SELECT max(year) FROM mart.dimension_progress WHERE "
                "province_code = ?", [code])[0]
    done, n = _one(demo_db, "SELECT sum(n_done_on_time + n_done_late), sum(n_actions) FROM "
                   "mart.dimension_progress WHERE province_code = ? AND year = ?", [code, year])
    at = _app(monkeypatch, demo_db, province=code, year=str(year))
    assert _metric(at, "Tỷ lệ hoàn thành kế hoạch").value == fmt_pct(done / n, "vi")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert _metric(at, "Plan completion").value == fmt_pct(done / n, "en")
    labels = [m.label for m in at.metric]
    assert "PAPI total score" in labels and "Rank" in labels
    assert at.query_params["lang"] == "en"
    assert "." in _metric(at, "PAPI total score").value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(monkeypatch, demo_db: Path, page: str) -> None:
    at = _app(monkeypatch, demo_db, province=_plan_province(demo_db))
    _page(at, page)
    vi_title = at.title[0].value
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value != vi_title
    assert any("Illustrative data" in w.value for w in at.warning)


def test_dimensions_page_lists_actions(monkeypatch, demo_db: Path) -> None:
    code = _plan_province(demo_db)
    dim, n = _one(demo_db, "SELECT a.dimension_code, count(*) AS n FROM mart.action a JOIN "
                  "mart.plan p USING (plan_id) WHERE p.province_code = ? AND "
                  "a.dimension_code <> 'GENERAL' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1", [code])
    at = _app(monkeypatch, demo_db, province=code, dimension=dim)
    _page(at, "dimensions")
    table = next(df for df in shown_tables.tables(at) if "Nhiệm vụ" in df.columns)
    assert len(table) == n
    assert set(table["Trạng thái"]) <= {"Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                                              "Đang thực hiện trong hạn",
                                              "Quá hạn chưa hoàn thành", "Chưa báo cáo"}
    assert at.query_params["dimension"] == dim


def test_compare_page_ranking_matches_warehouse(monkeypatch, demo_db: Path) -> None:
    year = _one(demo_db, "SELECT max(year) FROM mart.province_year WHERE year <= 2024", [])[0]
    at = _app(monkeypatch, demo_db, province="01", year=str(year))
    _page(at, "compare")
    table = shown_tables.tables(at)[0]
    assert len(table) == 63
    code, total, rank = _one(demo_db, "SELECT province_code, total, rank FROM "
                             "mart.province_year WHERE year = ? ORDER BY rank LIMIT 1", [year])
    name = _one(demo_db, "SELECT name_vi FROM ref.province WHERE vintage = '63' AND code = ?",
                [code])[0]
    first = table.iloc[0]
    assert (first["Hạng"], first["Tỉnh/thành phố"], first["Điểm"]) == (
        str(rank), name, fmt_num(total, "vi"))
    at.radio(key="map").set_value("34").run()
    assert not at.exception
    assert at.query_params["map"] == "34"
    pred = next(df for df in shown_tables.tables(at) if "Tỉnh cũ hợp thành" in df.columns)
    assert len(pred) == 34 and pred["Tỉnh cũ hợp thành"].str.contains("←").all()


def test_tasks_page_filters_and_export(monkeypatch, demo_db: Path) -> None:
    code = _plan_province(demo_db)
    n_all = _one(demo_db, "SELECT count(*) FROM mart.action a JOIN mart.plan p "
                 "USING (plan_id) WHERE p.province_code = ?", [code])[0]
    last = _one(demo_db, "SELECT max(s.reported_on) FROM mart.action_status s JOIN mart.action "
                "a USING (action_id) JOIN mart.plan p USING (plan_id) WHERE p.province_code = ?",
                [code])[0]
    at = _app(monkeypatch, demo_db, province=code, tyear="__all__")  # every year
    _page(at, "tasks")
    assert _metric(at, "Số nhiệm vụ").value == str(n_all)
    assert _metric(at, "Báo cáo gần nhất").value == fmt_date(last, "vi")
    assert at.get("download_button")
    at.selectbox(key="status").set_value("overdue").run()
    shown = int(_metric(at, "Số nhiệm vụ").value)
    assert shown == int(_metric(at, "Quá hạn").value) and shown < n_all
    assert at.query_params["status"] == "overdue"


def test_method_page_shows_sources(monkeypatch, demo_db: Path) -> None:
    n_files = _one(demo_db, "SELECT count(*) FROM meta.source_file", [])[0]
    at = _app(monkeypatch, demo_db)
    _page(at, "method")
    assert len(at.dataframe[0].value) == n_files
    assert any("is_demo" in i.value for i in at.info)


def test_missing_warehouse_message(monkeypatch, tmp_path: Path) -> None:
    at = _app(monkeypatch, tmp_path / "absent.duckdb")
    assert not at.exception
    assert "Chưa có kho dữ liệu" in at.error[0].value


@pytest.mark.shared
def test_real_geojson_maps(monkeypatch, shared: Path, demo_db: Path) -> None:
    geo = shared / "geo"
    monkeypatch.setenv("PAPI_DB", str(demo_db))
    monkeypatch.setenv("PAPI_GEOJSON_63", str(geo / "vn_provinces_63_odm_simplified.geojson"))
    monkeypatch.setenv("PAPI_GEOJSON_34",
                       str(geo / "vn_provinces_34_from_odm63_simplified.geojson"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["year"] = "2024"  # a year of the 63: both the 63 map and the 34 regrouping
    at.run()
    _page(at, "compare")
    at.radio(key="map").set_value("34").run()
    assert not at.exception
    at.query_params["year"] = "2025"  # a year of the 34: their own map
    at.run()
    assert not at.exception and at.get("plotly_chart")


@pytest.mark.shared
def test_real_overview_and_compare_hanoi_2023(monkeypatch, real_db: Path) -> None:
    total, rank = _one(real_db, "SELECT total, rank FROM mart.province_year WHERE year = 2023 "
                       "AND province_code = '01'", [])
    at = _app(monkeypatch, real_db, province="01", year="2023")
    assert not at.exception
    assert _metric(at, "Tổng điểm PAPI").value == fmt_num(total, "vi")
    assert _metric(at, "Xếp hạng").value.split("/")[0] == str(rank)
    assert not any("Illustrative" in w.value for w in at.warning)
    _page(at, "compare")
    table = shown_tables.tables(at)[0]
    row = table[table["Tỉnh/thành phố"] == "Hà Nội"].iloc[0]
    assert row["Hạng"] == str(rank) and row["Điểm"] == fmt_num(total, "vi")
    missing = table[table["Điểm"] == "không công bố"]["Tỉnh/thành phố"].tolist()
    assert {"Quảng Ninh", "Bình Dương"} <= set(missing)


# --- the 34-province era (issue 11) and navigation (issue 14) ----------------------------

@pytest.fixture(scope="module")
def demo25(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with 2025 scores by the 34 provinces and the new Phú Thọ's 2026 plan."""
    from tests.vintage_db import demo_2025, has_34_scores

    if has_34_scores(demo_db):
        return demo_db
    return demo_2025(demo_db, tmp_path_factory.mktemp("demo25") / "demo25.duckdb")


def test_demo_opens_on_the_merged_province_with_a_plan(monkeypatch, demo25: Path) -> None:
    at = _app(monkeypatch, demo25)
    assert not at.exception
    assert (at.query_params["province"], at.query_params["vintage"],
            at.query_params["year"]) == ("25", "34", "2026")
    assert at.title[0].value == "Tổng quan: Phú Thọ, 2026"
    total = _one(demo25, "SELECT total FROM mart.province_year WHERE year = 2025 AND "
                 "vintage = '34' AND province_code = '25'", [])[0]
    metric = _metric(at, "Tổng điểm PAPI 2025")  # the 2026 plan beside the 2025 scores
    assert metric.value == fmt_num(total, "vi") and not metric.delta
    captions = [c.value for c in at.caption]
    assert ("Không so sánh được: tỉnh mới sáp nhập từ 01/07/2025 (tỉnh tiền thân: Hòa Bình, "
            "Phú Thọ, Vĩnh Phúc).") in captions
    n, todo = _one(demo25, "SELECT sum(n_actions), sum(n_not_reported) FROM "
                   "mart.dimension_progress WHERE province_code = '25' AND year = 2026", [])
    if n == todo:  # nothing reported yet: no rate, and the reason
        assert _metric(at, "Tỷ lệ hoàn thành kế hoạch").value == "–"
        assert any(c.startswith(f"{int(n)} nhiệm vụ, chưa có báo cáo") for c in captions)
    box = at.sidebar.selectbox(key="province")
    assert box.options[0].startswith("Hà Nội (34)")
    assert "Phú Thọ (34) ← Hòa Bình, Phú Thọ, Vĩnh Phúc" in box.options
    # one entry per current province; the old provinces merged into others after them (an
    # unchanged one is its current province, with its whole history)
    from etl import ref

    n_unchanged = sum(ref.is_unchanged(c) for c in ref.province_codes(ref.NEW))
    assert "Phú Thọ (cũ, đến 2024 – nay thuộc Phú Thọ)" in box.options
    assert len(box.options) == 34 + 63 - n_unchanged
    assert "Lạng Sơn (34)" in box.options and not any(o.startswith("Lạng Sơn (cũ")
                                                       for o in box.options)


def test_unchanged_province_rank_out_of_34_vs_63(monkeypatch, demo25: Path) -> None:
    at = _app(monkeypatch, demo25, province="20", vintage="34", year="2025")
    rank = _one(demo25, "SELECT rank FROM mart.province_year WHERE year = 2025 AND "
                "vintage = '34' AND province_code = '20'", [])[0]
    prev, n = _one(demo25, "SELECT rank, count(rank) OVER () FROM mart.province_year WHERE "
                   "year = 2024 AND vintage = '63' QUALIFY province_code = '20'", [])
    assert _metric(at, "Xếp hạng").value == f"{rank}/34"
    assert not _metric(at, "Xếp hạng").delta  # no rank movement across geographies
    assert any(f"Thứ hạng {rank}/34 so với {prev}/{n}" in c.value for c in at.caption)
    assert _metric(at, "Tổng điểm PAPI").delta.endswith("so với 2024")  # whole, not cut
    assert any("Biên sai số: " in c.value for c in at.caption)


@pytest.mark.parametrize(("year", "title"), [("2024", "Yên Bái"), ("2025", "Lào Cai")])
def test_code_without_vintage_is_read_in_the_years_geography(monkeypatch, demo25: Path,
                                                             year: str, title: str) -> None:
    at = _app(monkeypatch, demo25, province="15", year=year)
    assert at.title[0].value == f"Tổng quan: {title}, {year}"
    assert at.query_params["vintage"] == ("63" if year == "2024" else "34")


def test_compare_2025_ranks_out_of_34(monkeypatch, demo25: Path) -> None:
    at = _app(monkeypatch, demo25, province="25", vintage="34", year="2025")
    _page(at, "compare")
    table = shown_tables.tables(at)[0]
    assert len(table) == 34
    code, total = _one(demo25, "SELECT province_code, total FROM mart.province_year WHERE "
                       "year = 2025 AND vintage = '34' ORDER BY rank LIMIT 1", [])
    name = _one(demo25, "SELECT name_vi FROM ref.province WHERE vintage = '34' AND code = ?",
                [code])[0]
    assert (table.iloc[0]["Tỉnh/thành phố"], table.iloc[0]["Điểm"]) == (name,
                                                                       fmt_num(total, "vi"))
    assert not [r for r in at.radio if r.key == "map"]  # 2025: the 34's own map only


def test_language_then_page_keeps_province_and_dimension(monkeypatch, demo25: Path) -> None:
    at = _app(monkeypatch, demo25, province="48", vintage="63", year="2024", dimension="D3")
    _page(at, "dimensions")
    at.sidebar.radio(key="lang").set_value("en").run()
    _page(at, "overview")
    assert at.title[0].value == "Overview: Da Nang, 2024"
    assert at.sidebar.selectbox(key="dimension").value == "D3"
    assert (at.query_params["province"], at.query_params["vintage"]) == ("48", "63")


def _fig_titles(at: AppTest) -> list[str]:
    import json

    return [json.loads(c.proto.spec)["layout"]["title"]["text"]
            for c in at.get("plotly_chart")]


def _fig_y(at: AppTest, title_part: str) -> list[list]:
    import json

    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        if title_part in spec["layout"]["title"]["text"]:
            return [tr.get("y", []) for tr in spec["data"]]
    raise AssertionError(f"no chart titled …{title_part}…")


def test_tasks_unit_filter_filters_charts(monkeypatch, demo_db: Path) -> None:
    code = _plan_province(demo_db)
    unit = _one(demo_db, "SELECT u FROM (SELECT unnest(a.lead_units) AS u FROM mart.action a "
                "JOIN mart.plan p USING (plan_id) WHERE p.province_code = ?) GROUP BY u "
                "ORDER BY count(*) DESC, u LIMIT 1", [code])[0]
    at = _app(monkeypatch, demo_db, province=code, tyear="__all__")
    _page(at, "tasks")
    assert len({y for ys in _fig_y(at, "theo đơn vị chủ trì") for y in ys}) > 1
    at.selectbox(key="unit").set_value(unit).run()
    assert not at.exception
    assert {y for ys in _fig_y(at, "theo đơn vị chủ trì") for y in ys} == {unit}


def test_units_page_against_warehouse(monkeypatch, demo_db: Path) -> None:
    """The unit page shows the view's year: the unit's actions of that year, as the tracker."""
    code = _plan_province(demo_db)
    year = _one(demo_db, "SELECT max(report_year) FROM mart.action_report WHERE by_year AND "
                "province_code = ?", [code])[0]
    unit, n, n_overdue = _one(
        demo_db, "SELECT u, count(*), count(*) FILTER (WHERE status_code = 'overdue') FROM "
        "(SELECT unnest(lead_units) AS u, status_code FROM mart.action_report WHERE by_year "
        "AND report_year = ? AND province_code = ?) GROUP BY u ORDER BY count(*) DESC, u "
        "LIMIT 1", [year, code])
    at = _app(monkeypatch, demo_db, province=code, unit=unit, year=str(year))
    _page(at, "units")
    assert at.selectbox(key="unit").value == unit
    assert _metric(at, "Số nhiệm vụ").value == str(n)
    assert _metric(at, "Quá hạn").value == str(n_overdue)
    titles = _fig_titles(at)
    assert titles and all(unit in tt for tt in titles), titles
    assert len(shown_tables.tables(at)[0]) == n
    assert at.get("download_button")


def test_method_page_in_vietnamese(monkeypatch, demo_db: Path) -> None:
    import re

    built = _one(demo_db, "SELECT built_at FROM meta.build", [])[0]
    at = _app(monkeypatch, demo_db)
    _page(at, "method")
    cols = list(at.dataframe[0].value.columns)
    assert cols[:3] == ["Tệp", "Loại", "Tình trạng"], cols
    assert set(at.dataframe[0].value["Tình trạng"]) <= {"Đã nạp", "Bỏ qua", "Từ chối"}
    text = " ".join(m.value for m in at.markdown)
    assert f"Thời điểm xây dựng: {built:%d/%m/%Y %H:%M}" in text
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # no ISO timestamp
    assert "Chế độ: nghiêm ngặt" in text
    assert "Số tỉnh" in at.dataframe[1].value.columns


def test_dashboard_charts_use_decimal_comma(monkeypatch, demo_db: Path) -> None:
    import json

    at = _app(monkeypatch, demo_db, province="20")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs and all(s["layout"]["separators"] == ",." for s in specs)
    assert all(any(a.get("name") == "demo-mark" for a in s["layout"].get("annotations", []))
               for s in specs)
    at.radio(key="lang").set_value("en").run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs and all(s["layout"]["separators"] == ".," for s in specs)


def _contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (or #rgb)."""
    def lum(c: str) -> float:
        c = c.lstrip("#")
        c = "".join(ch * 2 for ch in c) if len(c) == 3 else c
        ch = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("group", [1, 2, 3, 4])
def test_overview_group_badge_is_readable(monkeypatch, demo_db: Path, group: int) -> None:
    """The group badge's text against its fill: WCAG AA (4.5:1) for every group (the best
    group's dark green once carried the default dark text, 2.5:1)."""
    import re

    year = 2024
    code, fill, name_vi = q(demo_db, "SELECT p.province_code, g.color, g.name_vi FROM "
                            "mart.province_year p JOIN ref.performance_group g ON g.group_no = "
                            "p.performance_group WHERE p.year = ? AND p.vintage = '63' AND "
                            "p.performance_group = ? ORDER BY p.province_code LIMIT 1",
                            [year, group])[0]
    at = _app(monkeypatch, demo_db, province=code, vintage="63", year=str(year))
    [badge] = [m.value for m in at.markdown if name_vi in m.value and "background" in m.value]
    style = dict(re.findall(r"([\w-]+):\s*([^;']+)", badge))
    assert style["background"].lower() == fill.lower()
    assert _contrast(style["color"], fill) >= 4.5, (style["color"], fill)
    assert style["display"] == "inline-block"


def test_language_switch_sends_every_labelled_choice_in_the_new_language(monkeypatch,
                                                                        demo_db: Path) -> None:
    """The browser keeps a selectbox's choice as its label: after a switch of language each
    selectbox whose labels are in the language is sent its choice's new label, else the browser
    finds its old label among none of the options and falls back to the first (a full browser
    run showed 'Overview: Hanoi, 2025' after a switch to English and a page change)."""
    at = _app(monkeypatch, demo_db, province="20", vintage="34", year="2024", dimension="D3")
    _page(at, "tasks")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    boxes = [at.sidebar.selectbox(key="province"), at.sidebar.selectbox(key="dimension"),
             at.selectbox(key="unit"), at.selectbox(key="tdim"), at.selectbox(key="status")]
    assert [b.value for b in boxes[:2]] == ["34:20", "D3"]
    assert boxes[0].proto.raw_value == "Lang Son (34)"
    for b in boxes:
        assert b.proto.set_value and b.proto.raw_value == b.format_func(b.value), b.key
        assert b.proto.raw_value in b.proto.options, b.key
