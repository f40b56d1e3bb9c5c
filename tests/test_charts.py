"""Chart builders on small hand-made frames: titles, source line, gaps, CI band, tile maps."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from dashboard import charts, style
from dashboard.charts.common import source_text
from dashboard.charts.maps import (
    CELLS_NAME,
    COLORSCALE,
    OUTLINE_NAME,
    PROVINCE_SHAPE,
    TILES_NAME,
    load_tile_grid,
    predecessor_text,
)
from dashboard.charts.scores import NOT_PUBLISHED_NAME


def _trend() -> pd.DataFrame:
    return pd.DataFrame({
        "year": [2019, 2020, 2021, 2022],
        "value": [43.96, 44.5, None, 45.1],
        "ci_low": [43.0, 43.5, None, 44.0],
        "ci_high": [44.9, 45.5, None, 46.2],
        "status": ["published", "published", "not_published", "published"],
    })


def _annotations(fig, name: str) -> list:
    return [a for a in fig.layout.annotations if a.name == name]


def test_score_trend_gap_ci_source_and_title() -> None:
    median = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "median": [42, 42.5, 43, 43.2]})
    fig = charts.score_trend(_trend(), "vi", title="Tổng điểm", series_label="Hà Nội",
                             median=median, breaks=[(2017.5, "2018"), (2020.5, "2021: đổi")])
    assert fig.layout.title.text == "Tổng điểm"
    assert source_text(fig) == "Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP, 2019–2022"
    line = next(tr for tr in fig.data if tr.name == "Hà Nội")
    assert line.connectgaps is False
    assert pd.isna(list(line.y)[2])  # not published: a gap, never 0
    assert 0 not in [v for v in line.y if v is not None]
    assert [a.text for a in _annotations(fig, NOT_PUBLISHED_NAME)] == ["không công bố"]
    band = [tr for tr in fig.data if tr.fill == "toself"]
    assert band and {tr.name for tr in band} == {"Khoảng tin cậy 95%"}
    assert len(band) == 2  # 2019–2020 and 2022: the band does not bridge the 2021 gap
    assert all(2021 not in tr.x for tr in band)
    assert [a.x for a in _annotations(fig, "break")] == [2020.5]  # 2018 is outside the span
    assert fig.layout.yaxis.title.text == "Điểm"  # never "Điểm (điểm)"


def test_score_trend_english_and_action_subplot() -> None:
    actions = pd.DataFrame({"year": [2021, 2022, 2022], "status_code": ["overdue", "done_late",
                                                                       "done_on_time"],
                            "n": [1, 2, 3]})
    fig = charts.score_trend(_trend(), "en", title="Total", series_label="Ha Noi",
                             actions=actions)
    assert source_text(fig).startswith("Source: PAPI – CECODES, VFF-CRT, RTA, UNDP")
    assert [a.text for a in _annotations(fig, NOT_PUBLISHED_NAME)] == ["not published"]
    bars = {tr.name: tr for tr in fig.data if tr.type == "bar"}
    assert set(bars) == {"Completed on time", "Completed late", "Overdue, not completed"}
    assert bars["Completed on time"].marker.color == style.status_colors()["done_on_time"]
    assert fig.layout.barmode == "stack"


def test_score_trend_without_ci_has_no_band() -> None:
    fig = charts.score_trend(_trend().drop(columns=["ci_low", "ci_high"]), "vi", title="x",
                             series_label="y")
    assert not [tr for tr in fig.data if tr.fill == "toself"]


def test_dimension_bars() -> None:
    df = pd.DataFrame({"label": ["D1 – Tham gia", "D2 – Công khai"], "value": [5.123, None],
                       "median": [5.0, 5.5], "best_value": [6.0, 6.5],
                       "best_name": ["Huế", "Đà Nẵng"]})
    fig = charts.dimension_bars(df, "vi", title="Các chỉ số", year=2023, province_label="HN")
    assert fig.layout.title.text == "Các chỉ số"
    assert source_text(fig).endswith(", 2023")
    names = [tr.name for tr in fig.data]
    assert names == ["Tỉnh cao nhất", "Trung vị toàn quốc", "HN"]
    assert fig.data[0].marker.color == style.BEST_COLOR  # the lighter bar
    assert "5,12" in fig.data[2].text
    assert [a.text for a in _annotations(fig, NOT_PUBLISHED_NAME)] == ["không công bố"]


def cell_colors(fig) -> dict[tuple[int, int], str]:  # noqa: ANN001
    """(row, col) → the colour a tile_map's heatmap gives each one-fill tile: the colour at
    its cell's z on the trace's own scale, as Plotly paints it."""
    found = [tr for tr in fig.data if tr.name == CELLS_NAME]
    if not found:
        return {}
    tr = found[0]
    by_index = {round(pos * tr.zmax): color for pos, color in tr.colorscale}
    return {(-int(y), int(x)): by_index[int(z)]
            for y, row in zip(tr.y, tr.z, strict=True)
            for x, z in zip(tr.x, row, strict=True) if z is not None}


def test_tile_map_labels_are_unique_and_the_view_is_marked() -> None:
    """Hà Giang and Hậu Giang were both 'HGi'; the selected province was not marked."""
    from dashboard.charts.maps import HIGHLIGHT_NAME

    for vintage in ("63", "34"):
        grid = load_tile_grid(vintage)
        assert grid["abbr"].is_unique, grid[grid["abbr"].duplicated(keep=False)]
    grid = load_tile_grid("63")
    df = pd.DataFrame({"province_code": grid["code"], "label": grid["code"],
                       "value": [40.0] * 63, "performance_group": [1] * 63})
    plain = charts.tile_map(df, "vi", title="Bản đồ", year=2023)
    assert not [tr for tr in plain.data if tr.name == HIGHLIGHT_NAME]
    marked = charts.tile_map(df, "vi", title="Bản đồ", year=2023, highlight="20")
    [frame] = [tr for tr in marked.data if tr.name == HIGHLIGHT_NAME]
    row = grid.set_index("code").loc["20"]
    assert min(frame.x) < row["col"] < max(frame.x) and min(frame.y) < -row["row"] < max(frame.y)


def test_tile_map_63_has_63_tiles_and_labels() -> None:
    grid = load_tile_grid("63")
    assert len(grid) == 63 and grid["code"].is_unique
    assert not grid.duplicated(["row", "col"]).any()
    df = pd.DataFrame({"province_code": grid["code"], "label": grid["code"],
                       "value": [40 + i / 10 for i in range(63)],
                       "performance_group": [1 + i % 4 for i in range(63)]})
    df.loc[df["province_code"] == "24", "value"] = None
    fig = charts.tile_map(df, "vi", title="Bản đồ", year=2023)
    tiles = next(tr for tr in fig.data if tr.name == TILES_NAME)
    assert len(tiles.x) == 63
    # one heatmap under everything (a polygon per tile made the compare page's first chart
    # slow), each tile in its own colour: Viridis at its score, grey when not published
    assert fig.data[0].type == "heatmap"
    assert not [tr for tr in fig.data if tr.type == "scatter" and tr.fill == "toself"]
    cells = cell_colors(fig)
    assert len(cells) == 63
    lo, hi = df["value"].min(), df["value"].max()
    for _, r in df.merge(grid, left_on="province_code", right_on="code").iterrows():
        want = (style.NOT_PUBLISHED_COLOR if pd.isna(r["value"]) else
                sample_colorscale(COLORSCALE, [(r["value"] - lo) / (hi - lo)])[0])
        assert cells[(r["row"], r["col"])] == want, r["code"]
    hover = dict(zip(tiles.customdata, tiles.hovertext, strict=True))
    assert hover["24"] == "24: không công bố"
    hn = df.loc[df["province_code"] == "01", "value"].iat[0]
    assert hover["01"] == "01: " + f"{hn:.2f}".replace(".", ",")
    assert fig.layout.title.text == "Bản đồ" and source_text(fig)
    assert not [tr for tr in fig.data if tr.type in ("choropleth", "choroplethmapbox",
                                                      "choroplethmap", "scattergeo")]
    by_group = cell_colors(charts.tile_map(df, "en", title="Map", year=2023, color_by="group"))
    colors = style.group_colors()
    assert {(r["row"], r["col"]): colors[r["performance_group"]] for _, r in
            df.merge(grid, left_on="province_code", right_on="code").iterrows()} == by_group


def test_tile_map_34_shows_predecessors_not_one_score() -> None:
    grid = load_tile_grid("34")
    assert len(grid) == 34
    d = pd.DataFrame({"province_code": ["02", "08", "01"], "label": ["Hà Giang", "Tuyên Quang",
                                                                     "Hà Nội"],
                      "value": [41.23, 43.0, 45.0], "performance_group": [3, 2, 1],
                      "new_code": ["08", "08", "01"],
                      "new_label": ["Tuyên Quang", "Tuyên Quang", "Hà Nội"]})
    text = predecessor_text("Tuyên Quang", d[d["new_code"] == "08"], "vi")
    assert text == "Tuyên Quang (2025) ← Hà Giang 41,2 · Tuyên Quang 43,0"
    fig = charts.tile_map(d, "vi", title="34", year=2023, vintage="34")
    tiles = next(tr for tr in fig.data if tr.name == TILES_NAME)
    assert len(tiles.x) == 34
    assert dict(zip(tiles.customdata, tiles.hovertext, strict=True))["08"] == text
    # Tuyên Quang's tile is split into two stripes (one per predecessor), each in its own
    # predecessor's colour; every other tile is one cell: Hà Nội's at the top of the scale,
    # the 32 without a score grey
    stripes = [tr for tr in fig.data if tr.type == "scatter" and tr.fill == "toself"]
    lo, hi = 41.23, 45.0
    assert [tr.fillcolor for tr in stripes] == sample_colorscale(
        COLORSCALE, [0.0, (43.0 - lo) / (hi - lo)])
    at = grid.set_index("code")
    assert min(stripes[0].x) < at.loc["08", "col"] < max(stripes[1].x)
    cells = cell_colors(fig)
    assert len(cells) == 33 and (at.loc["08", "row"], at.loc["08", "col"]) not in cells
    assert cells[(at.loc["01", "row"], at.loc["01", "col"])] == sample_colorscale(
        COLORSCALE, [1.0])[0]
    assert sorted(cells.values()).count(style.NOT_PUBLISHED_COLOR) == 32


def _path_rings(path: str) -> list[list[tuple[float, float]]]:
    """The rings of an SVG path 'Mx,yLx,y…Z…' as (x, y) points."""
    return [[tuple(float(v) for v in point.split(",")) for point in ring.rstrip("Z").split("L")]
            for ring in path.split("M")[1:]]


def test_geo_map_draws_polygons_without_base_map(tmp_path) -> None:
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "01", "properties": {"code": "01"},
         "geometry": {"type": "Polygon", "coordinates": [[[105, 21], [106, 21], [106, 22],
                                                          [105, 21]]]}},
        {"type": "Feature", "id": "48", "properties": {"code": "48"},
         "geometry": {"type": "MultiPolygon", "coordinates": [
             [[[108, 16], [108.3, 16], [108.3, 16.2], [108, 16]]],
             [[[112, 16.5], [112.2, 16.5], [112.2, 16.7], [112, 16.5]]]]}}]}
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps(gj))
    df = pd.DataFrame({"province_code": ["01", "48"], "label": ["Hà Nội", "Đà Nẵng"],
                       "value": [45.0, None], "performance_group": [1, None]})
    fig = charts.geo_map(df, charts.load_geojson(str(path)), "vi", title="Ranh giới", year=2023)
    # each province one filled path (a layout shape: drawn faster than a trace), its rings as
    # given, in its score's colour or grey
    shapes = {s.name: s for s in fig.layout.shapes if (s.name or "").startswith(PROVINCE_SHAPE)}
    assert sorted(shapes) == [PROVINCE_SHAPE + "01", PROVINCE_SHAPE + "48"]
    assert _path_rings(shapes[PROVINCE_SHAPE + "01"].path) == [
        [tuple(p) for p in gj["features"][0]["geometry"]["coordinates"][0]]]
    danang = _path_rings(shapes[PROVINCE_SHAPE + "48"].path)
    assert len(danang) == 2 and any(x > 111 for x, _ in danang[1])  # Hoàng Sa drawn
    assert shapes[PROVINCE_SHAPE + "48"].fillcolor == style.NOT_PUBLISHED_COLOR
    assert shapes[PROVINCE_SHAPE + "01"].fillcolor == sample_colorscale(COLORSCALE, [0.5])[0]
    assert all(s.path.count("M") == s.path.count("Z") for s in shapes.values())  # closed
    assert not [tr for tr in fig.data if tr.type == "scatter" and tr.fill == "toself"]
    assert "Open Development Mekong, CC BY-SA 4.0" in source_text(fig)
    assert fig.layout.xaxis.range[1] > 117 and fig.layout.yaxis.range[0] < 7  # Trường Sa
    assert {a.text for a in fig.layout.annotations if a.name == "archipelago"} == {
        "QĐ. Hoàng Sa<br>(Đà Nẵng)", "QĐ. Trường Sa<br>(Khánh Hòa)"}


def test_geo_map_islets_are_outlined_in_their_own_colour() -> None:
    """A white border hid islands a pixel or two wide (Hoàng Sa, Trường Sa): rings at most
    ISLET_DEGREES across are their own shape, bordered in the province's colour."""
    from dashboard.charts.maps import ISLET_DEGREES, ISLETS_SHAPE

    land = [[109, 12], [109.5, 12], [109.5, 12.5], [109, 12]]
    islet = [[114.0, 10.0], [114.01, 10.0], [114.01, 10.01], [114.0, 10.0]]
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "56"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[land], [islet]]}}]}
    df = pd.DataFrame({"province_code": ["56"], "label": ["Khánh Hòa"], "value": [44.0],
                       "performance_group": [2]})
    fig = charts.geo_map(df, gj, "vi", title="x", year=2024, color_by="group")
    shapes = {s.name: s for s in fig.layout.shapes if s.name}
    color = style.group_colors()[2]
    assert 0.01 <= ISLET_DEGREES < 0.5
    assert _path_rings(shapes[PROVINCE_SHAPE + "56"].path) == [[tuple(p) for p in land]]
    assert shapes[PROVINCE_SHAPE + "56"].line.color == "#ffffff"
    assert _path_rings(shapes[ISLETS_SHAPE + "56"].path) == [[tuple(p) for p in islet]]
    assert shapes[ISLETS_SHAPE + "56"].fillcolor == shapes[ISLETS_SHAPE + "56"].line.color
    assert shapes[ISLETS_SHAPE + "56"].fillcolor == color


def test_geo_map_outline_is_one_path_of_every_ring() -> None:
    """The 34 provinces' borders over the 63: 899 rings were 899 traces (seconds to draw); now
    one path of every ring, in order, above the fills."""
    square = [[105, 21], [106, 21], [106, 22], [105, 21]]
    islands = [[[[108, 16], [108.3, 16], [108.3, 16.2], [108, 16]]],
               [[[112, 16.5], [112.2, 16.5], [112.2, 16.7], [112, 16.5]]]]
    fills = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "01"},
         "geometry": {"type": "Polygon", "coordinates": [square]}}]}
    outline = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "01"},
         "geometry": {"type": "Polygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {"code": "46"},
         "geometry": {"type": "MultiPolygon", "coordinates": islands}}]}
    df = pd.DataFrame({"province_code": ["01"], "label": ["Hà Nội"], "value": [45.0],
                       "performance_group": [1]})
    fig = charts.geo_map(df, fills, "vi", title="34", year=2024, outline=outline)
    names = [s.name for s in fig.layout.shapes]
    [line] = [s for s in fig.layout.shapes if s.name == OUTLINE_NAME]
    rings = [square, islands[0][0], islands[1][0]]
    assert _path_rings(line.path) == [[tuple(p) for p in r] for r in rings]
    assert "Z" not in line.path and line.fillcolor == "rgba(0,0,0,0)"  # borders, not fills
    assert line.line.width == 1.6 and line.layer == "above"
    assert names.index(PROVINCE_SHAPE + "01") < names.index(OUTLINE_NAME)
    assert not [tr for tr in fig.data if tr.type == "scatter" and tr.mode == "lines"]


def test_ranking_and_status_and_movers() -> None:
    df = pd.DataFrame({"province_code": ["01", "02", "04"], "label": ["A", "B", "C"],
                       "value": [45.0, 40.0, None], "rank": [1, 2, None],
                       "performance_group": [1, 4, None]})
    fig = charts.ranking_bars(df, "vi", title="Xếp hạng", year=2023, highlight="01")
    assert fig.layout.title.text == "Xếp hạng" and source_text(fig).endswith("2023")
    assert any(tr.name == "không công bố" for tr in fig.data)
    prog = pd.DataFrame({"unit": ["Sở A"], "n_done_on_time": [2], "n_done_late": [1],
                         "n_in_progress": [0], "n_overdue": [1], "n_not_reported": [0]})
    sb = charts.status_bars(prog, "vi", title="Theo đơn vị", category="unit", years=2023)
    assert [tr.name for tr in sb.data][:4] == ["Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                                               "Đang thực hiện trong hạn",
                                               "Quá hạn chưa hoàn thành"]
    mv = charts.movers_bars(pd.DataFrame({"label": ["x", "y"], "change": [-1.5, 0.25]}), "vi",
                            title="Thay đổi", years=(2022, 2023))
    assert list(mv.data[0].text) == ["+0,25", "-1,50"]
    assert source_text(mv).endswith("2022–2023")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_builder_has_title_axis_unit_and_source(lang: str) -> None:
    lines = pd.DataFrame({"year": [2022, 2023], "value": [1.0, 2.0], "median": [1.5, 1.5],
                          "label": ["a", "a"], "status": ["published"] * 2,
                          "province_label": ["A", "A"], "item_label": ["D1", "D2"]})
    figs = [charts.subitem_trends(lines, lang, title="T1"),
            charts.compare_trend(lines, lang, title="T2"),
            charts.compare_bars(lines, lang, title="T3", year=2023)]
    for fig in figs:
        assert fig.layout.title.text.startswith("T")
        assert source_text(fig)
        assert fig.layout.yaxis.title.text


def test_boundary_files_from_the_settings_file(tmp_path, monkeypatch) -> None:
    from dashboard.charts import maps

    (tmp_path / "b63.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    cfg = tmp_path / "papi.toml"
    cfg.write_text('[maps]\ngeojson_63 = "b63.geojson"\ngeojson_34 = "missing.geojson"\n')
    monkeypatch.delenv("PAPI_GEOJSON_63", raising=False)
    monkeypatch.delenv("PAPI_GEOJSON_34", raising=False)
    monkeypatch.setenv("PAPI_CONFIG", str(cfg))
    assert maps.geojson_path("63") == tmp_path / "b63.geojson"
    assert maps.geojson_path("34") is None  # configured but absent: the tile map
    monkeypatch.setenv("PAPI_GEOJSON_63", str(tmp_path / "b63.geojson"))
    assert maps.geojson_path("63") == tmp_path / "b63.geojson"


def _lines(first: int, last: int, dims: tuple[str, ...] = ("D6 – Cung ứng dịch vụ công",)
           ) -> pd.DataFrame:
    return pd.DataFrame([{"year": y, "label": d, "value": 6.5 + (y % 3) / 10}
                         for d in dims for y in range(first, last + 1)])


def test_many_yearly_ticks_get_room_under_the_plot_for_the_axis_title() -> None:
    """14 yearly ticks turn vertical in a half-width column (the units chart at 1366 px put
    'Năm' on the source line): the bottom margin and the height grow by as much; 9 do not."""
    from dashboard.charts.common import ROTATED_PX

    long = charts.dimension_lines(_lines(2011, 2024), "vi", title="Điểm")
    short = charts.dimension_lines(_lines(2016, 2024), "vi", title="Điểm")
    assert long.layout.margin.b == short.layout.margin.b + ROTATED_PX
    assert long.layout.height == short.layout.height + ROTATED_PX
    source = _annotations(long, "source")[0]
    assert source.yshift == -(long.layout.margin.b - 4)  # still at the picture's bottom
    trend = charts.score_trend(_lines(2011, 2024).drop(columns="label"), "vi", title="Điểm",
                               series_label="Lạng Sơn")
    assert trend.layout.margin.b == 80 + ROTATED_PX


def test_a_unit_leading_one_dimension_sees_its_name_in_the_legend() -> None:
    fig = charts.dimension_lines(_lines(2019, 2024), "vi", title="Điểm")
    assert fig.layout.showlegend is True
    assert [tr.name for tr in fig.data] == ["D6 – Cung ứng dịch vụ công"]
