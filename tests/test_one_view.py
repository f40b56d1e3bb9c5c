"""One province, one year, one truth: overview, tracker, unit page and deck give the same total,
rank, change and overdue count for each view, because they read one view object."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.export import content
from dashboard.i18n import fmt_date, fmt_num
from dashboard.subject import subject
from tests import shown_charts, shown_tables
from tests.warehouse_query import q

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")

# (URL parameters as a user's link gives them, the view they resolve to: code, vintage, year)
VIEWS = [
    ({}, ("25", "34", 2026)),  # the demo's default: the new Phú Thọ and its 2026 plan
    ({"province": "20", "vintage": "63", "year": "2024"}, ("20", "34", 2024)),  # Lạng Sơn
    ({"province": "01", "vintage": "34", "year": "2024"}, ("01", "34", 2024)),  # Hà Nội (34)
    ({"province": "25", "vintage": "34", "year": "2025"}, ("25", "34", 2025)),  # Phú Thọ (34)
]


def _app(monkeypatch: pytest.MonkeyPatch, db: Path, page: str | None, **params: str) -> AppTest:
    monkeypatch.setenv("PAPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str | None:
    found = [m for m in at.metric if m.label.startswith(label)]
    return found[0].value if found else None


@pytest.mark.parametrize(("params", "expected"), VIEWS)
def test_pages_and_deck_agree(monkeypatch, demo_db: Path, params: dict, expected: tuple) -> None:
    code, vintage, year = expected
    over = _app(monkeypatch, demo_db, None, **params)
    assert (over.query_params["province"], over.query_params["vintage"],
            int(over.query_params["year"])) == (code, vintage, year)
    s = subject(code, vintage, year, "vi", None, demo_db)
    h = s.headline
    # the view object against the warehouse's own rows (not against itself)
    if h.total is not None:
        src_code, src_vintage = h.source
        total, rank = q(demo_db, "SELECT total, rank FROM mart.province_year WHERE year = ? AND "
                        "vintage = ? AND province_code = ?", [h.score_year, src_vintage,
                                                              src_code])[0]
        assert (h.total, h.rank) == (total, rank)
        assert _metric(over, "Tổng điểm PAPI") == fmt_num(total, "vi")
        assert _metric(over, "Xếp hạng") == f"{rank}/{h.n_ranked}"
    n_overdue = q(demo_db, "SELECT count(*) FILTER (WHERE status_code = 'overdue') FROM "
                  "mart.action_report WHERE by_year AND report_year = ? AND ((vintage = ? AND "
                  "province_code = ?) OR (? = '34' AND vintage = '63' AND province_code IN "
                  "(SELECT old_code FROM ref.province_merge_2025 WHERE new_code = ?)))",
                  [year, vintage, code, vintage, code])[0][0]
    assert s.counts.n_overdue == n_overdue
    shown = [_metric(over, "Quá hạn")]
    tracker = _app(monkeypatch, demo_db, "tasks", **params)
    shown.append(_metric(tracker, "Quá hạn"))
    if s.counts.n:
        assert shown == [str(n_overdue)] * 2, shown
    deck = content.who(demo_db, code, vintage, year, "vi")
    title = content.title_slide(deck).bullets
    if h.total is not None:
        assert any(fmt_num(h.total, "vi") in b and f"{h.rank}/{h.n_ranked}" in b for b in title)
    if h.change is not None and h.change.delta is not None:
        delta = fmt_num(h.change.delta, "vi", sign=True)
        assert delta in _metric_delta(over, "Tổng điểm PAPI")
        assert any(delta in b for b in title), title
    if s.counts.n:
        assert any(f"{n_overdue}/{s.counts.n} nhiệm vụ quá hạn" in b and
                   fmt_date(s.as_of, "vi") in b for b in title), title
    # the unit page of the unit with most actions: its overdue = the tracker's for that unit
    units = s.actions.explode("lead_units")["lead_units"].dropna()
    if len(units):
        unit = units.value_counts().index[0]
        page = _app(monkeypatch, demo_db, "units", **{**params, "unit": unit})
        mine = s.actions[[unit in list(u) for u in s.actions["lead_units"]]]
        assert _metric(page, "Quá hạn") == str(int((mine["status_code"] == "overdue").sum()))
        assert _metric(page, "Số nhiệm vụ") == str(len(mine))


def _metric_delta(at: AppTest, label: str) -> str:
    return next(m for m in at.metric if m.label.startswith(label)).delta or ""


def test_unchanged_province_2024_shows_its_own_scores(monkeypatch, demo_db: Path) -> None:
    """Hà Nội (34) in 2024: its territory never changed, so 2024 is published and shown."""
    at = _app(monkeypatch, demo_db, None, province="01", vintage="34", year="2024")
    total = q(demo_db, "SELECT total FROM mart.province_year WHERE year = 2024 AND vintage = "
              "'63' AND province_code = '01'", [])[0][0]
    assert _metric(at, "Tổng điểm PAPI") == fmt_num(total, "vi")
    assert not any("thành lập từ" in i.value for i in at.info)


def test_old_province_score_year_is_one_rule(demo_db: Path) -> None:
    """Old Yên Bái (63) in 2025 reads its 2024 scores on the page and in the deck alike."""
    s = subject("15", "63", 2025, "vi", None, demo_db)
    assert s.score_year == 2024 and s.headline.total is not None
    deck = content.who(demo_db, "15", "63", 2025, "vi")
    assert deck.score_year == s.score_year
    assert any("2024" in b for b in content.title_slide(deck).bullets)


@pytest.mark.parametrize(("params", "expected"), VIEWS)
@pytest.mark.parametrize("page", ["dimensions", "drilldown", "compare", "method"])
def test_every_page_of_the_view_renders(monkeypatch, demo_db: Path, params: dict,
                                        expected: tuple, page: str) -> None:
    """No page of these views fails (a table mixing numbers and '–' once did, in Arrow)."""
    at = _app(monkeypatch, demo_db, page, **params)
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value


def test_compare_trend_of_a_merged_province_shows_its_predecessors(monkeypatch,
                                                                    demo_db: Path) -> None:
    """Phú Thọ (34) in 2025: its predecessors' lines to 2024 beside its own point, never
    one line across 01/07/2025; an unchanged province's line goes on across it."""
    import json

    at = _app(monkeypatch, demo_db, "compare", province="25", vintage="34", year="2025")
    [spec] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
              if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("So sánh Chỉ số")]
    names = [tr["name"] for tr in spec["data"]]
    assert any("Vĩnh Phúc (tiền thân của Phú Thọ)" == n for n in names), names
    assert "Phú Thọ" in names  # its own point from 2025


def test_dimensions_page_of_a_plan_year_lists_every_action(monkeypatch, demo_db: Path) -> None:
    """The dimensions page of the new Phú Thọ lists its actions with deadline and days overdue
    (a column mixing numbers and '–' must reach the page)."""
    at = _app(monkeypatch, demo_db, "dimensions", province="25", vintage="34", year="2026",
              dimension="D2")
    [table] = [d for d in shown_tables.tables(at) if "Nhiệm vụ" in d.columns]
    assert list(table.columns[:3]) == ["Trạng thái", "Thời hạn", "Số ngày quá hạn"]
    assert len(table) == 2 and all("/" in d for d in table["Thời hạn"] if d != "–")


@pytest.mark.parametrize(("params", "framed"), [
    ({"province": "20", "vintage": "34", "year": "2024"}, True),  # unchanged: its own tile
    ({"province": "25", "vintage": "34", "year": "2025"}, True),
    ({"province": "25", "vintage": "34", "year": "2024"}, False),  # merged: no one old tile
])
def test_the_views_province_is_framed_on_the_map(monkeypatch, demo_db: Path, params: dict,
                                                 framed: bool) -> None:
    import json

    from dashboard.charts.maps import HIGHLIGHT_NAME

    monkeypatch.delenv("PAPI_GEOJSON_63", raising=False)
    monkeypatch.delenv("PAPI_GEOJSON_34", raising=False)
    at = _app(monkeypatch, demo_db, "compare", **params)
    names = [tr.get("name") for c in at.get("plotly_chart")
             for tr in json.loads(c.proto.spec)["data"]]
    assert (HIGHLIGHT_NAME in names) is framed


def test_units_page_of_a_year_without_actions_says_which_years_have(monkeypatch,
                                                                    demo_db: Path) -> None:
    """Lạng Sơn's plans are of 2022–2024: its unit page for 2026 says so instead of '0'."""
    at = _app(monkeypatch, demo_db, "units", province="20", vintage="34", year="2026")
    assert any("2022–2024" in i.value for i in at.info), [i.value for i in at.info]
    assert not [m for m in at.metric if m.label == "Số nhiệm vụ"]


def test_units_that_share_actions_add_up_to_more_and_say_so(monkeypatch, demo_db: Path) -> None:
    """Lạng Sơn 2024: 14 actions, two with two lead units. The tracker's unit chart and the
    deck's unit table count an action for each of its units (16), so both say so, and the deck
    gives the plan's own figures (14, the tracker's) as its last row."""
    import json

    n, places, n_overdue, n_done = q(
        demo_db, "SELECT count(*), sum(len(lead_units)), count(*) FILTER (WHERE status_code = "
        "'overdue'), count(*) FILTER (WHERE status_code IN ('done_on_time', 'done_late')) "
        "FROM mart.action_report WHERE by_year AND report_year = 2024 AND province_code = '20'",
        [])[0]
    assert places > n  # the demo's case, else this test checks nothing
    tracker = _app(monkeypatch, demo_db, "tasks", province="20", vintage="34", year="2024")
    assert _metric(tracker, "Số nhiệm vụ") == str(n)
    [bars] = [json.loads(c.proto.spec) for c in tracker.get("plotly_chart")
              if "theo đơn vị chủ trì" in json.loads(c.proto.spec)["layout"]["title"]["text"]]
    assert sum(sum(shown_charts.values(tr["x"])) for tr in bars["data"]) == places
    note = f"{n} nhiệm vụ, {places} lượt đơn vị chủ trì"
    assert [c.value for c in tracker.caption if note in c.value], [c.value for c in tracker.caption]
    one = _app(monkeypatch, demo_db, "tasks", province="20", vintage="34", year="2024",
               unit="Văn phòng Sở")
    assert not [c.value for c in one.caption if "lượt đơn vị chủ trì" in c.value]

    slide = content.units_slide(content.who(demo_db, "20", "34", 2024, "vi"))
    *units, whole = slide.table.rows
    assert sum(int(r[1]) for r in units) == places
    assert whole == ["Cả kế hoạch (mỗi nhiệm vụ tính một lần)", str(n), str(n_overdue),
                     f"{100 * n_done / n:.1f}%".replace(".", ",")]


def test_an_own_line_without_score_says_so_on_the_page_and_the_slide(monkeypatch,
                                                                    demo_db: Path) -> None:
    """Lạng Sơn (34) in 2024: the overview's total trend and the deck's total slide draw its
    63-province line, and both name its own (34) line, still without a score, the same way:
    'Lạng Sơn (34): chưa có điểm', with no point drawn (it was a bare 'Lạng Sơn (34)')."""
    import json

    assert not q(demo_db, "SELECT count(*) FROM mart.score WHERE vintage = '34' AND "
                 "province_code = '20' AND year <= 2024 AND value IS NOT NULL", [])[0][0]
    over = _app(monkeypatch, demo_db, None, province="20", vintage="34", year="2024")
    [page] = [json.loads(c.proto.spec) for c in over.get("plotly_chart")
              if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith(
                  "Diễn biến tổng điểm PAPI")]
    slide = content.total_slide(content.who(demo_db, "20", "34", 2024, "vi")).figure
    label = "Lạng Sơn (34): chưa có điểm"
    for names, own in (([tr.get("name") for tr in page["data"]],
                        [tr for tr in page["data"] if tr.get("legendgroup") == "own"]),
                       ([tr.name for tr in slide.data],
                        [tr.to_plotly_json() for tr in slide.data if tr.legendgroup == "own"])):
        assert label in names and "Lạng Sơn (63 tỉnh, đến 2024)" in names, names
        assert own and all(v is None or v != v for tr in own
                           for v in shown_charts.values(tr.get("y", []))), own


def test_each_dimension_slide_gives_the_overview_bars_figures(monkeypatch, demo_db: Path) -> None:
    """Lạng Sơn 2024: each dimension slide's '2024: X điểm; trung vị toàn quốc Y' is the
    overview's bar of that dimension (its label and its median bar), and the warehouse's
    mart.score and mart.national (looked at on the real deck and page: D5 7,49 / 7,22)."""
    import json

    over = _app(monkeypatch, demo_db, None, province="20", vintage="63", year="2024")
    [bars] = [json.loads(c.proto.spec) for c in over.get("plotly_chart")
              if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith(
                  "Điểm các chỉ số nội dung")]
    by_name = {tr["name"]: tr for tr in bars["data"]}
    own, median = by_name["Lạng Sơn"], by_name["Trung vị toàn quốc"]
    shown = {str(label).split(" – ")[0]: (text, fmt_num(m, "vi"))
             for label, text, m in zip(own["y"], own["text"], shown_charts.values(median["x"]),
                                       strict=True)}
    w = content.who(demo_db, "20", "34", 2024, "vi")
    dims = content.dimension_frame(w)
    assert len(dims) == 8
    for _, row in dims.iterrows():
        value, med = q(demo_db, "SELECT s.value, n.median FROM mart.score s JOIN mart.national n "
                       "USING (year, vintage, item_code) WHERE s.year = 2024 AND s.vintage = '63' "
                       "AND s.province_code = '20' AND s.item_code = ?", [row["item_code"]])[0]
        expected = (fmt_num(value, "vi"), fmt_num(med, "vi"))
        bullet = content.dim_slide(row, w).bullets[0]
        assert bullet.startswith(f"2024: {expected[0]} điểm; trung vị toàn quốc {expected[1]}"), \
            (row["item_code"], bullet, expected)
        assert shown[row["item_code"]] == expected, (row["item_code"], shown, expected)


@pytest.mark.shared
def test_real_lang_son_2024_overview_ranking_and_deck_give_the_source_files_total(
        monkeypatch, real_db: Path, shared: Path) -> None:
    """What the Lạng Sơn 2024 pages and deck showed on the real files' warehouse (built with the
    build's forked children): the overview's 45,00 and 12/61, the compare page's ranking row and
    the deck's title give one total and rank, and they are the tidy CSV's own: its 28
    sub-dimension cells of province 20 in 2024 summed, ranked among the 61 provinces it gives."""
    import csv

    totals: dict[str, float] = {}
    with open(shared / "papi" / "tidy" / "papi_subdimension_scores_long.csv",
              encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["year"] == "2024":
                code = f"{int(row['gso_code']):02d}"
                totals[code] = totals.get(code, 0.0) + float(row["score"])
    total, rank, n = totals["20"], 1 + sum(v > totals["20"] for v in totals.values()), len(totals)
    assert (fmt_num(total, "vi"), rank, n) == ("45,00", 12, 61)  # what the pages showed
    params = {"province": "20", "vintage": "63", "year": "2024"}
    over = _app(monkeypatch, real_db, None, **params)
    assert _metric(over, "Tổng điểm PAPI") == fmt_num(total, "vi")
    assert _metric(over, "Xếp hạng") == f"{rank}/{n}"
    compare = _app(monkeypatch, real_db, "compare", **params)
    ranking = next(t for t in shown_tables.html_tables(compare) if "Hạng" in t.columns)
    mine = ranking[ranking["Tỉnh/thành phố"] == "Lạng Sơn"]
    assert mine[["Hạng", "Điểm"]].values.tolist() == [[str(rank), fmt_num(total, "vi")]]
    title = content.title_slide(content.who(real_db, "20", "34", 2024, "vi")).bullets
    assert any(fmt_num(total, "vi") in b and f"{rank}/{n}" in b for b in title), title
