"""Boundary rings thinned for drawing (dashboard.charts.simplify): what is dropped lies within the
tolerance of what is kept, corners and small islands stay, nothing else of a file changes."""

from __future__ import annotations

import copy
import json
import math

import pytest

from dashboard.charts import maps, simplify
from etl.paths import shared_dir


def _off_segment(p, a, b) -> float:
    """Distance from p to the line through a and b (to a when they coincide)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.dist(p, a)
    return abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / math.hypot(dx, dy)


def _within(original: list, kept: list, tolerance: float) -> bool:
    """Each dropped point lies within `tolerance` of the line through the kept points either
    side of it (the kept points are a subsequence of the original, in order)."""
    at, i = [], 0
    for p in kept:
        while original[i] != p:
            i += 1
        at.append(i)
        i += 1
    assert at[0] == 0 and at[-1] == len(original) - 1
    return all(_off_segment(original[k], original[i], original[j]) <= tolerance + 1e-12
               for i, j in zip(at, at[1:], strict=False) for k in range(i + 1, j))


def test_points_on_a_side_go_corners_and_spikes_stay() -> None:
    side = [[x / 10, 0.001 * (x % 2)] for x in range(11)]  # zig-zag of 0.001 along y = 0
    square = [*side, [1, 1], [0.5, 1.0004], [0, 1], [0, 0]]
    kept = simplify.ring(square, 0.005)
    assert kept == [[0, 0], [1.0, 0.0], [1, 1], [0, 1], [0, 0]]
    assert _within(square, kept, 0.005)
    spiked = [*side[:5], [0.45, 0.2], *side[5:], [1, 1], [0, 1], [0, 0]]
    assert [0.45, 0.2] in simplify.ring(spiked, 0.005)


def test_a_small_island_is_kept_whole() -> None:
    islet = [[112.0, 16.5], [112.001, 16.5], [112.002, 16.501], [112.001, 16.502],
             [112.0, 16.501], [112.0, 16.5]]
    assert simplify.ring(islet, 0.005) == islet


def test_a_collection_keeps_everything_but_the_thinned_points() -> None:
    line = [[0, 0], [0.5, 0.0001], [1, 0], [1, 1], [0, 1], [0, 0]]
    gj = {"type": "FeatureCollection", "name": "x", "features": [
        {"type": "Feature", "id": "01", "properties": {"code": "01", "name": "Hà Nội"},
         "geometry": {"type": "Polygon", "coordinates": [line]}},
        {"type": "Feature", "properties": {"code": "46"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[line], [line]]}},
        {"type": "Feature", "properties": {"code": "x"},
         "geometry": {"type": "Point", "coordinates": [1, 2]}}]}
    before = copy.deepcopy(gj)
    out = simplify.collection(gj, 0.005)
    assert gj == before  # the cached file is not changed
    thinned = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    assert out["name"] == "x" and [f.get("id") for f in out["features"]] == ["01", None, None]
    assert [f["properties"] for f in out["features"]] == [f["properties"] for f in gj["features"]]
    assert out["features"][0]["geometry"]["coordinates"] == [thinned]
    assert out["features"][1]["geometry"]["coordinates"] == [[thinned], [thinned]]
    assert out["features"][2] == gj["features"][2]


@pytest.mark.skipif(shared_dir() is None, reason="needs ../shared/geo (boundary files)")
@pytest.mark.parametrize("name", ["vn_provinces_63_odm_simplified.geojson",
                                  "vn_provinces_34_from_odm63_simplified.geojson"])
def test_the_shared_boundaries_as_drawn(name: str) -> None:
    """Every ring of the file is drawn, closed, and no point drawn differs from the file's
    by more than the tolerance; the figure has about half the points."""
    path = shared_dir() / "geo" / name
    original = json.loads(path.read_text(encoding="utf-8"))
    drawn = maps.display_geojson(str(path))
    before = after = 0
    for f, g in zip(original["features"], drawn["features"], strict=True):
        assert f["properties"] == g["properties"]
        rings = _all_rings(f["geometry"])
        thin = _all_rings(g["geometry"])
        assert len(rings) == len(thin)
        for r, t in zip(rings, thin, strict=True):
            assert len(t) >= 4 and t[0] == t[-1] == r[0]
            assert _within(r, t, maps.DISPLAY_TOLERANCE)
            before, after = before + len(r), after + len(t)
    assert after < 0.6 * before


def _all_rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [r for poly in geometry["coordinates"] for r in poly]
