"""Every page, the sidebar widgets and the numbers on screen, checked against the warehouse."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from browser_helpers import TIMEOUT, assert_no_external_requests, idle

from dashboard.i18n import fmt_num
from tests.warehouse_query import q

pytestmark = pytest.mark.browser

PAGES = [  # url path (the default page is the root), Vietnamese title, English title, chart
    ("", "Tổng quan", "Overview", True),
    ("dimensions", "Chỉ số nội dung và hành động", "Dimensions and actions", True),
    ("drilldown", "Chỉ số thành phần", "Drill-down", True),
    ("compare", "So sánh và xếp hạng", "Compare and rank", True),
    ("tasks", "Theo dõi nhiệm vụ", "Task tracker", False),
    ("units", "Đơn vị", "Units", False),
    ("method", "Dữ liệu và phương pháp", "Data and method", False),
]




def h1(page, contains: str) -> str:
    """The page heading, once it contains `contains`."""
    loc = page.locator("h1").filter(has_text=contains).first
    loc.wait_for(timeout=TIMEOUT)
    return loc.inner_text()


def no_errors(page) -> None:
    """No exception box and no 'page not found' dialog."""
    assert page.get_by_role("dialog").count() == 0, page.get_by_role("dialog").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()[:2000]


def total_is(page, expected: str) -> None:
    """The first metric (the PAPI total) reads `expected` once the run has drawn it: checked
    again until TIMEOUT, as a person looks at it; the last value read is in the failure."""
    from playwright.sync_api import expect

    value = page.get_by_test_id("stMetric").first.get_by_test_id("stMetricValue")
    expect(value).to_have_text(expected, timeout=TIMEOUT)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox labelled `label` by typing, as a person would."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label)
    box.locator("input").first.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    idle(page)


@pytest.fixture(scope="module")
def facts(warehouse: Path) -> dict:
    """Two provinces' names and totals for the latest year, read with duckdb."""
    # the latest year by the 63 provinces (2011–2024), whose names the selector shows
    # as "Đà Nẵng (cũ, đến 2024 – nay thuộc Đà Nẵng)"
    year = q(warehouse, "SELECT max(year) FROM mart.province_year WHERE total IS NOT NULL "
                        "AND year <= 2024")[0][0]
    rows = q(warehouse, "SELECT p.province_code, r.name_vi, r.name_en, p.total "
                        "FROM mart.province_year p JOIN ref.province r "
                        "ON r.code = p.province_code AND r.vintage = '63' "
                        "WHERE p.year = ? AND p.province_code IN ('01', '48')", [year])
    years = [y for (y,) in q(warehouse, "SELECT DISTINCT year FROM mart.province_year "
                                        "WHERE total IS NOT NULL AND year <= 2024 "
                                        "ORDER BY year DESC")]
    return {"year": year, "prev": years[1], "by_code": {r[0]: r[1:] for r in rows}}


@pytest.mark.parametrize(("url", "vi", "en", "chart"), PAGES,
                         ids=[p[0] or "overview" for p in PAGES])
def test_every_page(page, app_url: str, request_log: list[str], url: str, vi: str, en: str,
                    chart: bool) -> None:
    page.goto(f"{app_url}/{url}?province=48&lang=vi", wait_until="domcontentloaded")
    h1(page, vi)
    idle(page)
    no_errors(page)
    if chart:
        page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT)
    assert_no_external_requests(request_log)


def test_overview_numbers_province_year_language(page, app_url: str, request_log: list[str],
                                                 warehouse: Path, facts: dict) -> None:
    year, by = facts["year"], facts["by_code"]
    page.goto(f"{app_url}/?province=01&year={year}&lang=vi",
              wait_until="domcontentloaded")
    assert by["01"][0] in h1(page, "Tổng quan")
    idle(page)
    total_is(page, fmt_num(by["01"][2], "vi"))  # decimal comma

    from dashboard.i18n import t
    from etl import ref

    # Đà Nẵng of the 63 merged into the new Đà Nẵng: listed after the 34 as a former province
    choose(page, "Tỉnh/thành phố", t("sel_63_merged", "vi", name=by["48"][0],
                                     new=ref.province_name(ref.successor("48"), ref.NEW)))
    assert by["48"][0] in h1(page, by["48"][0])
    total_is(page, fmt_num(by["48"][2], "vi"))

    prev = facts["prev"]
    choose(page, "Năm", str(prev))
    h1(page, str(prev))
    total_prev = q(warehouse, "SELECT total FROM mart.province_year WHERE year = ? AND "
                              "province_code = '48'", [prev])[0][0]
    total_is(page, fmt_num(total_prev, "vi"))

    # the group's label reads as the metrics' labels beside it do (it was a smaller grey caption)
    style_js = "el => [getComputedStyle(el).fontSize, getComputedStyle(el).color]"
    metric_label = page.get_by_test_id("stMetricLabel").first.locator("p").first
    group_label = page.get_by_test_id("group-label")
    assert group_label.inner_text() == "Nhóm"
    assert group_label.evaluate(style_js) == metric_label.evaluate(style_js)

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    idle(page)
    assert by["48"][1] in h1(page, "Overview")
    total_is(page, fmt_num(total_prev, "en"))  # decimal point
    assert "lang=en" in page.url and "province=48" in page.url
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT)
    no_errors(page)
    assert_no_external_requests(request_log)


def test_dimension_widget(page, app_url: str, request_log: list[str], warehouse: Path) -> None:
    name = q(warehouse, "SELECT name_vi FROM ref.item WHERE item_code = 'D3'")[0][0]
    page.goto(f"{app_url}/dimensions?province=01&lang=vi", wait_until="domcontentloaded")
    h1(page, "Chỉ số nội dung và hành động")
    idle(page)
    choose(page, "Chỉ số nội dung", f"D3 – {name}")
    page.get_by_role("heading", name=f"D3 – {name}").first.wait_for(timeout=TIMEOUT)
    assert "dimension=D3" in page.url
    page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT)
    no_errors(page)
    assert_no_external_requests(request_log)


def test_unit_scorecard(page, app_url: str, request_log: list[str], warehouse: Path) -> None:
    """The unit page of Lạng Sơn (20) in its latest year with actions: the unit's action count
    that year, and its name on the charts — or, without plans for it, the message saying so."""
    year = q(warehouse, "SELECT max(report_year) FROM mart.action_report WHERE by_year AND "
                        "province_code = '20'")[0][0] if q(warehouse, "SELECT count(*) FROM "
                        "information_schema.tables WHERE table_name = 'action_report'")[0][0] \
        else None
    units = q(warehouse, "SELECT u, count(*) FROM (SELECT unnest(lead_units) AS u FROM "
                         "mart.action_report WHERE by_year AND report_year = ? AND "
                         "province_code = '20') GROUP BY u ORDER BY count(*) DESC, u",
              [year]) if year is not None else []
    unit_q = f"&unit={quote(units[0][0])}" if units else ""
    year_q = f"&year={year}" if year is not None else ""
    page.goto(f"{app_url}/units?province=20&lang=vi{unit_q}{year_q}",
              wait_until="domcontentloaded")
    h1(page, "Đơn vị")
    idle(page)
    no_errors(page)
    if not units:
        page.get_by_text("Tỉnh này chưa có đơn vị nào được giao nhiệm vụ.").wait_for(
            timeout=TIMEOUT)
        return
    unit, n = units[0]
    metric = page.get_by_test_id("stMetric").filter(has_text="Số nhiệm vụ").first
    assert metric.get_by_test_id("stMetricValue").inner_text().strip() == str(n)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=TIMEOUT)
    assert unit in chart.locator(".gtitle").first.text_content()
    assert f"unit={quote(unit)}" in page.url or "unit=" in page.url
    assert_no_external_requests(request_log)
