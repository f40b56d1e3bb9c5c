"""Boundary rings thinned for drawing (Douglas–Peucker): the points a picture cannot show."""

from __future__ import annotations

from collections.abc import Sequence

Point = Sequence[float]


def ring(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of a ring (or line) that lie more than `tolerance` (in its units) from the
    line through the points kept either side; the first and last always stay. A ring that
    would keep fewer than 4 points (a small island) is kept whole: thinning must never make a
    province's piece vanish."""
    n = len(points)
    if n < 5 or tolerance <= 0:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    spans = [(0, n - 1)]
    while spans:
        a, b = spans.pop()
        ax, ay = points[a][0], points[a][1]
        dx, dy = points[b][0] - ax, points[b][1] - ay
        length = dx * dx + dy * dy
        far, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i][0] - ax, points[i][1] - ay
            # squared distance to the line a–b (to point a when a and b coincide: a closed ring)
            d = px * px + py * py if length == 0 else (px * dy - py * dx) ** 2 / length
            if d > far:
                far, at = d, i
        if at >= 0 and far > limit:
            keep[at] = True
            spans += [(a, at), (at, b)]
    kept = [p for p, k in zip(points, keep, strict=True) if k]
    return kept if len(kept) >= 4 else list(points)


def collection(geojson: dict, tolerance: float) -> dict:
    """A copy of a FeatureCollection with every Polygon's and MultiPolygon's rings thinned;
    properties, ids and other geometries as they were."""
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            coords = [ring(r, tolerance) for r in coords]
        elif geometry.get("type") == "MultiPolygon":
            coords = [[ring(r, tolerance) for r in poly] for poly in coords]
        else:
            features.append(feature)
            continue
        features.append({**feature, "geometry": {**geometry, "coordinates": coords}})
    return {**geojson, "features": features}
