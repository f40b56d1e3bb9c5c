"""Every page of the views a leader opens, drawn in chromium at 1366×768 and 1920×1080: no line
joins two geographies, every trend over 2017–2018 marks the break, titles are inside their
picture, no label sits on another or is cut (chart_boxes), no server path is shown, and the
first screen holds data."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import TIMEOUT, run_done
from chart_boxes import BOXES_JS, layout_problems

pytestmark = pytest.mark.browser

PAGES = ["", "dimensions", "drilldown", "compare", "tasks", "units"]
VIEWS = {  # id: (URL parameters, a merged province whose geographies must never be joined)
    "demo-default": ("", True),  # opens on the new Phú Thọ (34) and its 2026 plan
    "lang-son-2024": ("province=20&vintage=63&year=2024&dimension=D5", False),  # two breaks
    "ha-noi-34-2024": ("province=01&vintage=34&year=2024", False),
    "phu-tho-34-2025": ("province=25&vintage=34&year=2025", True),
    "phu-tho-34-2026": ("province=25&vintage=34&year=2026", True),
}
SIZES = {"1366": (1366, 768), "1920": (1920, 1080)}
ABSOLUTE = ("/work/", "/tmp/", "/home/", "/root/", "/usr/", "/var/", "C:\\")

FIGS_JS = """el => {
  const box = n => { if (!n) return null; const r = n.getBoundingClientRect();
    return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
  const num = v => (v === null || v === undefined || v === '' || Number.isNaN(+v)) ? null : +v;
  const arr = v => (v && typeof v.length === 'number') ? Array.from(v) : [];
  const traces = (el._fullData || []).filter(t => t.visible !== false).map(t => ({
    type: t.type || 'scatter', orientation: t.orientation || 'v', name: t.name || '',
    pts: arr(t.x).map((x, i) => [num(x), num(arr(t.y)[i])])
                    .filter(p => p[0] !== null && p[1] !== null).map(p => p[0]) }));
  const shapes = ((el._fullLayout || {}).shapes || []).map(s => num(s.x0));
  return {title: el.querySelector('.infolayer .gtitle') ?
                 el.querySelector('.infolayer .gtitle').textContent : '',
          title_box: box(el.querySelector('.infolayer .gtitle')),
          svg: box(el.querySelector('svg.main-svg')), traces, shapes,
          top: el.getBoundingClientRect().top};
}"""


def _years(t: dict) -> list[float]:
    """The x values of a year-axis line (scatter with years on x), else []."""
    if t["type"] != "scatter" or t["orientation"] == "h":
        return []
    xs = t["pts"]
    return xs if xs and all(1990 <= x <= 2100 for x in xs) else []


def _unchanged_names() -> tuple[str, ...]:
    from etl import ref

    return tuple(ref.province_name(c, ref.NEW) for c in ref.province_codes(ref.NEW)
                 if ref.is_unchanged(c))


def problems(fig: dict, merged: bool) -> list[str]:
    """What is wrong with one drawn figure (the checks of this module). A line of a province
    the merger left unchanged may run on across 2025 (same territory); no other may."""
    bad, name = [], fig["title"][:60]
    if fig["title_box"] and fig["svg"]:
        t, s = fig["title_box"], fig["svg"]
        if t[1] < s[1] - 1 or t[3] > s[3] + 1 or t[0] < s[0] - 1 or t[2] > s[2] + 1:
            bad.append(f"{name}: title outside its picture {t} {s}")
    for tr in fig["traces"]:
        xs = _years(tr)
        if not xs:
            continue
        if merged and min(xs) <= 2024 and max(xs) >= 2025 and not tr["name"].startswith(
                _unchanged_names()):
            bad.append(f"{name}: trace {tr['name']!r} joins 2024 and 2025 of a merged province")
        if min(xs) <= 2017 and max(xs) >= 2018 and not any(
                s is not None and 2017 < s < 2018 for s in fig["shapes"]):
            bad.append(f"{name}: trace {tr['name']!r} runs over 2017–2018 with no break marked")
    return bad


TABLES_JS = """() => Array.from(document.querySelectorAll('.papi-table-wrap')).map(w => ({
  columns: w.querySelectorAll('thead th').length, scroll: w.scrollWidth, width: w.clientWidth,
  cells: Array.from(w.querySelectorAll('td')).map(td => td.textContent.trim())}))"""
NARROW = 5  # a table of this many columns or fewer fits its column (a wider one may scroll)


def table_problems(tables: list[dict]) -> list[str]:
    """What is wrong in the HTML tables as drawn (TABLES_JS): a narrow table cut at its edge,
    a cell showing Python's or pandas' gap instead of '–'."""
    bad = []
    for t in tables:
        if t["columns"] <= NARROW and t["scroll"] > t["width"] + 1:
            bad.append(f"a {t['columns']}-column table is {t['scroll']} px wide in {t['width']}")
        bad += [f"a cell shows {c!r}" for c in t["cells"] if c in ("nan", "NaN", "None", "NaT",
                                                                  "<NA>")]
    return bad


def _visit(page, url: str) -> tuple[list[dict], str]:
    page.goto(url, wait_until="domcontentloaded")
    page.locator("h1").first.wait_for(timeout=TIMEOUT)
    run_done(page)
    plots = page.locator(".js-plotly-plot")
    if plots.count():
        plots.first.wait_for(timeout=TIMEOUT)
    figs = [{**plots.nth(i).evaluate(FIGS_JS), "boxes": plots.nth(i).evaluate(BOXES_JS)}
            for i in range(plots.count())]
    return figs, page.locator("body").inner_text()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_page_of_the_view(browser, continuity_url: str, tmp_path: Path, view: str,
                                size: str) -> None:
    params, merged = VIEWS[view]
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    bad: list[str] = []
    n_lines = n_ticks = n_tables = 0
    try:
        for path in PAGES:
            figs, text = _visit(page, f"{continuity_url}/{path}?{params}&lang=vi")
            where = f"{view} {size} /{path}"
            if size == "1366":
                page.screenshot(path=str(tmp_path / f"{view}-{path or 'overview'}.png"))
            assert "Traceback" not in text and "Error" not in text.split("\n")[0], where
            bad += [f"{where}: absolute path {p!r} shown" for p in ABSOLUTE if p in text]
            bad += [f"{where}: {b}" for f in figs for b in problems(f, merged)]
            bad += [f"{where}: {b}" for f in figs for b in layout_problems(f["boxes"])]
            tables = page.evaluate(TABLES_JS)
            n_tables += len(tables)
            bad += [f"{where}: {b}" for b in table_problems(tables)]
            n_ticks += sum(len(f["boxes"]["yticks"]) for f in figs)
            n_lines += sum(bool(_years(t)) for f in figs for t in f["traces"])
            if path in ("", "tasks") and size == "1366":  # the first screen holds data
                first = [f for f in figs if f["top"] < height] or None
                shown = page.locator("[data-testid='stMetric'], [data-testid='stAlert']")
                assert first or (shown.count() and shown.first.bounding_box()["y"] < height), \
                    f"{where}: no chart, figure or reason in the first screen"
    finally:
        context.close()
    assert n_lines, f"{view}: no trend drawn at all (the check would be vacuous)"
    assert n_ticks, f"{view}: no axis label measured (the layout check would be vacuous)"
    assert n_tables, f"{view}: no table measured (the table check would be vacuous)"
    assert not bad, bad


def test_the_table_check_catches_a_cut_table_and_a_gap_shown_as_nan() -> None:
    """The ranking table at 1366 px (04/12/2026): its group column cut at the column's edge."""
    fits = {"columns": 4, "scroll": 350, "width": 350, "cells": ["1", "Lạng Sơn", "56,84", "–"]}
    assert table_problems([fits, {**fits, "columns": 9, "scroll": 900}]) == []
    assert table_problems([{**fits, "scroll": 430}]) == ["a 4-column table is 430 px wide in 350"]
    assert table_problems([{**fits, "cells": ["nan", "None"]}]) == [
        "a cell shows 'nan'", "a cell shows 'None'"]


def test_the_checks_catch_a_joined_line_and_an_unmarked_break() -> None:
    """The checks above fail on the faults they look for (a test that can fail)."""
    joined = {"title": "t", "title_box": None, "svg": None, "shapes": [],
              "traces": [{"type": "scatter", "orientation": "v", "name": "x",
                          "pts": [2016, 2017, 2018, 2024, 2025]}]}
    found = problems(joined, merged=True)
    assert any("joins 2024 and 2025" in b for b in found)
    assert any("no break marked" in b for b in found)
    marked = {**joined, "shapes": [2017.5, 2024.5],
              "traces": [{"type": "scatter", "orientation": "v", "name": "x",
                          "pts": [2016, 2017, 2018, 2024]}]}
    assert problems(marked, merged=True) == []
    cut = {**marked, "title_box": [0, -5, 10, 10], "svg": [0, 0, 100, 100]}
    assert any("title outside" in b for b in problems(cut, merged=False))
