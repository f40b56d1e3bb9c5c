"""The compare page's maps as drawn in chromium, checked against the warehouse: every province in
the colour of its score (Viridis between the year's lowest and highest), grey where PAPI
published none. The tile map's tiles are read from the picture's pixels (one heatmap since
issue 23); the boundary map's provinces from the filled paths chromium draws."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import TIMEOUT, run_done
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

from dashboard import style
from dashboard.charts.maps import COLORSCALE, OUTLINE_NAME, PROVINCE_SHAPE, TILES_NAME
from dashboard.i18n import fmt_num, t
from tests.warehouse_query import q

pytestmark = pytest.mark.browser

# Each tile's box in the picture (0.4 of a cell either side of its centre: inside its gaps);
# its colour is the one most of its pixels have (its label and the view's frame are few).
BOXES_JS = """(el, names) => {
  const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
  const tiles = el._fullData.find(t => t.name === names[0]);
  const x = v => xa._offset + xa.l2p(v), y = v => ya._offset + ya.l2p(v);
  return Array.from(tiles.customdata).map((code, i) => ({code, hover: tiles.hovertext[i],
    box: [x(tiles.x[i] - 0.4), y(tiles.y[i] + 0.4), x(tiles.x[i] + 0.4), y(tiles.y[i] - 0.4)]}));
}"""
SHAPES_JS = """el => Array.from(el.querySelectorAll('.shapelayer path')).map(p => ({
  index: +p.getAttribute('data-index'), fill: getComputedStyle(p).fill,
  opacity: getComputedStyle(p).fillOpacity,
  name: (el.layout.shapes[+p.getAttribute('data-index')] || {}).name || '',
  box: (r => [r.width, r.height])(p.getBoundingClientRect())}))"""


def _rgb(color: str) -> tuple[int, int, int]:
    parts = hex_to_rgb(color) if color.startswith("#") else unlabel_rgb(color)
    return tuple(round(v) for v in parts)[:3]  # type: ignore[return-value]


def _expected(warehouse: Path) -> tuple[int, dict[str, tuple[str, tuple[int, int, int]]]]:
    """The latest year of the 63 provinces, and per province its total as the pages show it
    (decimal comma, 'không công bố' when none) and the colour it is to be drawn in."""
    year = q(warehouse, "SELECT max(year) FROM mart.province_year WHERE vintage = '63' "
                        "AND total IS NOT NULL")[0][0]
    totals = dict(q(warehouse, "SELECT province_code, total FROM mart.province_year "
                               "WHERE vintage = '63' AND year = ?", [year]))
    published = [v for v in totals.values() if v is not None]
    lo, hi = min(published), max(published)
    return year, {code: (t("not_published", "vi") if v is None else fmt_num(v, "vi", 2),
                         _rgb(style.NOT_PUBLISHED_COLOR if v is None else
                              sample_colorscale(COLORSCALE, [(v - lo) / (hi - lo)])[0]))
                  for code, v in totals.items()}


@contextlib.contextmanager
def _first_chart(browser, url: str, height: int) -> Iterator[object]:
    """The first chart of the page at `url`, drawn at 1366 × `height`."""
    ctx = browser.new_context(viewport={"width": 1366, "height": height}, locale="vi-VN")
    try:
        page = ctx.new_page()
        page.goto(url, wait_until="domcontentloaded")
        run_done(page)
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(timeout=TIMEOUT)
        yield chart
    finally:
        ctx.close()


def test_each_tile_is_drawn_in_its_scores_colour(browser, app_url: str, warehouse: Path,
                                                 tmp_path: Path) -> None:
    from PIL import Image

    year, expected = _expected(warehouse)
    url = f"{app_url}/compare?province=20&vintage=63&year={year}&color=value"
    with _first_chart(browser, url, 1400) as chart:  # the whole map in the picture
        tiles = chart.evaluate(BOXES_JS, [TILES_NAME])
        shot = chart.screenshot(path=str(tmp_path / "compare_map.png"))
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    assert len(tiles) == 63
    wrong = []
    for tile in tiles:
        value, want = expected[tile["code"]]
        pixels = image.crop(tuple(round(v) for v in tile["box"])).getcolors(1 << 16)
        got = max(pixels)[1]
        if max(abs(a - b) for a, b in zip(got, want, strict=True)) > 2:
            wrong.append(f"{tile['code']} ({value}): drawn {got}, expected {want}")
        if not tile["hover"].endswith(f": {value}"):  # the figure the ranking table shows
            wrong.append(f"{tile['code']}: hover {tile['hover']!r}, expected {value}")
    assert not wrong, wrong


def test_the_boundary_map_fills_each_province_with_its_scores_colour(
        browser, app_server, warehouse: Path, tmp_path: Path, monkeypatch) -> None:
    """With the shared boundary files configured: each of the 63 provinces drawn as a filled
    path in its score's colour (grey where none was published), the 34 provinces' borders
    drawn over them as one unfilled path."""
    from etl.paths import shared_dir

    if shared_dir() is None:
        pytest.skip("needs ../shared/geo (boundary files)")
    geo = shared_dir() / "geo"
    monkeypatch.setenv("PAPI_GEOJSON_63", str(geo / "vn_provinces_63_odm_simplified.geojson"))
    monkeypatch.setenv("PAPI_GEOJSON_34",
                       str(geo / "vn_provinces_34_from_odm63_simplified.geojson"))
    year, expected = _expected(warehouse)
    with app_server(warehouse, tmp_path / "streamlit.log") as base:  # reads the env set above
        url = f"{base}/compare?province=20&vintage=63&year={year}&map=34&color=value"
        with _first_chart(browser, url, 768) as chart:
            drawn = chart.evaluate(SHAPES_JS)
            chart.page.screenshot(path=str(tmp_path / "compare_boundaries.png"))
    provinces = {d["name"][len(PROVINCE_SHAPE):]: d for d in drawn
                 if d["name"].startswith(PROVINCE_SHAPE)}
    assert len(provinces) == 63 and all(d["box"][0] > 0 for d in provinces.values())
    wrong = [f"{code} ({expected[code][0]}): drawn {d['fill']}, expected {expected[code][1]}"
             for code, d in provinces.items()
             if _rgb(d["fill"]) != expected[code][1] or float(d["opacity"]) != 1]
    assert not wrong, wrong
    [outline] = [d for d in drawn if d["name"] == OUTLINE_NAME]
    assert float(outline["opacity"]) == 0  # borders only, over every province
    assert outline["index"] > max(d["index"] for d in provinces.values())
