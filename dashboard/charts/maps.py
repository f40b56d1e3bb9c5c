"""Offline maps: a tile grid of provinces, or true boundaries from a GeoJSON file, no base map.

Never go.Choropleth / mapbox (they fetch a world base map from a CDN). Both maps draw on
plain axes: the tile grid's one-fill tiles as one heatmap (a merged province's stripes as
polygons), the boundaries as filled SVG paths (layout shapes) under a trace of hover points.
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard import style
from dashboard.charts import simplify
from dashboard.charts.common import finish
from dashboard.i18n import ODM_CREDIT, fmt_num, t
from etl.paths import PROJECT_ROOT

GEO_DIR = Path(__file__).resolve().parent.parent / "geo"
COLORSCALE = "Viridis"
TILE = 0.92
TILE_34_HEIGHT = 1150  # 18 rows of 34 tiles: about 50 px a tile, values readable
NATIONAL = {"lon": (102.0, 117.9), "lat": (6.2, 23.5)}  # with Hoàng Sa and Trường Sa
ARCHIPELAGOS = (  # (label lon, lat, i18n key, dashed frame lon0, lon1, lat0, lat1)
    (112.0, 17.6, "hoang_sa", 111.0, 113.0, 15.6, 17.2),
    (114.6, 12.0, "truong_sa", 111.4, 117.6, 6.4, 11.6),
)
TILES_NAME = "tiles"
GEOJSON_ENV = {"63": "PAPI_GEOJSON_63", "34": "PAPI_GEOJSON_34"}
CONFIG_ENV = "PAPI_CONFIG"
CONFIG_FILE = PROJECT_ROOT / "config" / "papi.toml"


@lru_cache(maxsize=4)
def load_tile_grid(vintage: str = "63") -> pd.DataFrame:
    """dashboard/geo/tile_grid_{vintage}.csv: code, abbr, row, col (north at top)."""
    return pd.read_csv(GEO_DIR / f"tile_grid_{vintage}.csv", dtype={"code": str})


def settings(path: Path | None = None) -> dict:
    """config/papi.toml (or the file named by env PAPI_CONFIG); {} when absent."""
    file = path or Path(os.environ.get(CONFIG_ENV) or CONFIG_FILE)
    if not file.is_file():
        return {}
    with open(file, "rb") as fh:
        return tomllib.load(fh)


def geojson_path(vintage: str = "63") -> Path | None:
    """The boundary file of a vintage, if it exists: env PAPI_GEOJSON_63 / PAPI_GEOJSON_34,
    else `[maps] geojson_63` / `geojson_34` of config/papi.toml (relative to that file)."""
    value = os.environ.get(GEOJSON_ENV[vintage])
    if not value:
        file = Path(os.environ.get(CONFIG_ENV) or CONFIG_FILE)
        value = settings(file).get("maps", {}).get(f"geojson_{vintage}")
        if value and not Path(value).is_absolute():
            value = str(file.resolve().parent / value)
    return Path(value) if value and Path(value).is_file() else None


@lru_cache(maxsize=4)
def load_geojson(path: str | Path) -> dict:
    """A GeoJSON FeatureCollection read from disk (cached)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# Degrees (≈ 500 m): under half a pixel of a 1920-px export of the national map (about 0.016°
# a pixel), where the shared 63-province file's 29,828 points become 13,517 (half the figure
# the browser receives and draws; issue 23).
DISPLAY_TOLERANCE = 0.005


@lru_cache(maxsize=4)
def display_geojson(path: str) -> dict:
    """The boundary file at `path` as drawn: its rings thinned to DISPLAY_TOLERANCE (cached)."""
    return simplify.collection(load_geojson(path), DISPLAY_TOLERANCE)


def geo_map_file(df: pd.DataFrame, path: str, lang: str = "vi", *,
                 outline_path: str | None = None, **kwargs: object) -> go.Figure:
    """geo_map of the boundary file at `path` (outline: another file's borders on top), each
    thinned for drawing (display_geojson).

    Keyed by the file names rather than the large FeatureCollections (dashboard.figcache
    hashes the arguments)."""
    outline = display_geojson(outline_path) if outline_path else None
    return geo_map(df, display_geojson(path), lang, outline=outline, **kwargs)  # type: ignore[arg-type]


def _fill_colors(df: pd.DataFrame, color_by: str, groups: pd.DataFrame | None
                 ) -> tuple[list[str], tuple[float, float] | None]:
    if color_by == "group":
        gc = style.group_colors(groups)
        return [gc.get(int(g), style.NOT_PUBLISHED_COLOR) if pd.notna(g)
                else style.NOT_PUBLISHED_COLOR for g in df["performance_group"]], None
    values = df["value"]
    if values.notna().sum() == 0:
        return [style.NOT_PUBLISHED_COLOR] * len(df), None
    lo, hi = float(values.min()), float(values.max())
    scale = [(v - lo) / (hi - lo) if hi > lo else 0.5 for v in values.fillna(lo)]
    colors = sample_colorscale(COLORSCALE, scale)
    return [c if pd.notna(v) else style.NOT_PUBLISHED_COLOR
            for c, v in zip(colors, values, strict=True)], (lo, hi)


def _hover(df: pd.DataFrame, lang: str) -> list[str]:
    if "hover" in df.columns:
        return list(df["hover"])
    return [f"{r['label']}: {_value_text(r['value'], lang, 2)}" for _, r in df.iterrows()]


def _value_text(value: object, lang: str, digits: int = 1) -> str:
    return fmt_num(value, lang, digits) if pd.notna(value) else t("not_published", lang)


def _legend(fig: go.Figure, lang: str, color_by: str, groups: pd.DataFrame | None,
            rng: tuple[float, float] | None, unit: str) -> None:
    if color_by == "group":
        for _, g in style.groups(groups).iterrows():
            fig.add_scatter(x=[None], y=[None], mode="markers", name=g[f"name_{lang}"],
                            marker={"symbol": "square", "size": 12, "color": g["color"]})
    elif rng is not None:
        fig.add_scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
                        marker={"colorscale": COLORSCALE, "cmin": rng[0], "cmax": rng[1],
                                "color": [rng[0]], "showscale": True,
                                "colorbar": {"title": {"text": unit}, "thickness": 12}})
    fig.add_scatter(x=[None], y=[None], mode="markers", name=t("not_published", lang),
                    marker={"symbol": "square", "size": 12, "color": style.NOT_PUBLISHED_COLOR})


HIGHLIGHT_NAME = "selected-province"


def _polygon(fig: go.Figure, xs: list, ys: list, color: str, line: str = "white") -> None:
    fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=color,
                    line={"color": line, "width": 0.8}, hoverinfo="skip", showlegend=False)


CELLS_NAME = "tile-cells"
OUTLINE_NAME = "outline"
CELL_GAP_PX = 3


def _cells(fig: go.Figure, cells: dict[tuple[int, int], str], rows: int, cols: int) -> None:
    """The one-fill tiles as one heatmap under the other traces: a browser draws it several
    times faster than a polygon per tile (issue 23: the compare page's first chart). Each
    cell keeps its exact colour: z is the colour's index on a scale stepping through the
    colours used."""
    if not cells:
        return
    colors = sorted(set(cells.values()))
    index = {c: i for i, c in enumerate(colors)}
    top = max(len(colors) - 1, 1)
    scale = [[index[c] / top, c] for c in colors]
    if len(colors) == 1:
        scale.append([1, colors[0]])
    z = [[index[cells[(r, c)]] if (r, c) in cells else None for c in range(cols)]
         for r in range(rows)]
    fig.add_heatmap(z=z, x=list(range(cols)), y=[-r for r in range(rows)], colorscale=scale,
                    zmin=0, zmax=top, showscale=False, hoverinfo="skip", name=CELLS_NAME,
                    xgap=CELL_GAP_PX, ygap=CELL_GAP_PX)
    fig.data = (fig.data[-1], *fig.data[:-1])


def tile_map(df: pd.DataFrame, lang: str = "vi", *, title: str, year: int,
             color_by: str = "value", unit: str | None = None,
             groups: pd.DataFrame | None = None, vintage: str = "63",
             highlight: str | None = None) -> go.Figure:
    """A tile-grid map: one square per province (north at top), coloured by score or group;
    the tile of `highlight` (the view's province, a code of this map) framed in black.

    vintage '63': df columns province_code, label, value, performance_group (opt. hover).
    vintage '34' with new_code/new_label columns: one row per OLD province (a 2011–2024
    year); each new province's tile is split into stripes, one per predecessor, each
    coloured by that predecessor's own score (never one merged score); hover lists them.
    vintage '34' without new_code: the 34 provinces' own scores (2025 on), one fill a tile.
    """
    unit = unit or t("points", lang)
    grid = load_tile_grid(vintage)
    stripes = vintage == "34" and "new_code" in df.columns
    key = "new_code" if stripes else "province_code"
    d = df.copy()
    colors, rng = _fill_colors(d, color_by, groups)
    d["fill"] = colors
    fig = go.Figure()
    centres = []
    cells: dict[tuple[int, int], str] = {}  # (row, col) of a one-fill tile: its colour
    for _, tile in grid.iterrows():
        part = d[d[key] == tile["code"]].sort_values("province_code")
        x0, y0 = tile["col"] - TILE / 2, -tile["row"] - TILE / 2
        n = max(len(part), 1)
        fills = list(part["fill"]) or [style.NOT_PUBLISHED_COLOR]
        if n == 1:
            cells[(int(tile["row"]), int(tile["col"]))] = fills[0]
        else:  # a new province's stripes, one per predecessor
            for i, color in enumerate(fills):
                xa, xb = x0 + TILE * i / n, x0 + TILE * (i + 1) / n
                _polygon(fig, [xa, xb, xb, xa, xa], [y0, y0, y0 + TILE, y0 + TILE, y0], color)
        if tile["code"] == highlight:
            fig.add_scatter(x=[x0, x0 + TILE, x0 + TILE, x0, x0],
                            y=[y0, y0, y0 + TILE, y0 + TILE, y0], mode="lines",
                            line={"color": "#111", "width": 3.5}, hoverinfo="skip",
                            showlegend=False, name=HIGHLIGHT_NAME)
        if stripes:
            label = part["new_label"].iat[0] if len(part) else tile["code"]
            hover = predecessor_text(label, part, lang)
            value_text = ""
        else:
            hover = _hover(part, lang)[0] if len(part) else tile["code"]
            value_text = fmt_num(part["value"].iat[0], lang, 1) if len(part) else ""
        text = f"<b>{tile['abbr']}</b>" + (f"<br>{value_text}" if value_text != "" else "")
        centres.append((tile["col"], -tile["row"], text, hover, tile["code"],
                        style.text_on(fills[len(fills) // 2])))
    _cells(fig, cells, int(grid["row"].max()) + 1, int(grid["col"].max()) + 1)
    c = pd.DataFrame(centres, columns=["x", "y", "text", "hover", "code", "ink"])
    fig.add_scatter(x=c["x"], y=c["y"], mode="text", text=c["text"], hovertext=c["hover"],
                    hoverinfo="text", customdata=c["code"], name=TILES_NAME, showlegend=False,
                    textfont={"size": 9 if vintage == "63" else 12, "color": list(c["ink"])})
    _legend(fig, lang, color_by, groups, rng, unit)
    fig.update_xaxes(visible=False, range=[grid["col"].min() - 0.8, grid["col"].max() + 0.8])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1,
                     range=[-grid["row"].max() - 0.8, 0.8])
    fig.update_layout(plot_bgcolor="white")
    return finish(fig, title, lang, year, height=900 if vintage == "63" else TILE_34_HEIGHT)


def predecessor_text(new_label: str, part: pd.DataFrame, lang: str) -> str:
    """'Tuyên Quang (2025) ← Hà Giang 41,2 · Tuyên Quang 43,0' (predecessors' own scores)."""
    items = [f"{r['label']} {_value_text(r['value'], lang)}"
             for _, r in part.sort_values("province_code").iterrows()]
    return f"{new_label} (2025) ← " + " · ".join(items)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [poly[0] for poly in geometry["coordinates"]]


PROVINCE_SHAPE = "province-"  # + its code: a province's filled boundary (layout shape)
ISLETS_SHAPE = "islets-"  # + its code: its rings at most ISLET_DEGREES across (Hoàng Sa …)
ISLET_DEGREES = 0.05


def _extent(ring: list[list[float]]) -> float:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def svg_path(rings: list[list[list[float]]], closed: bool = True) -> str:
    """An SVG path of the rings in data coordinates: 'M x,y L x,y … Z' each (Z: filled)."""
    end = "Z" if closed else ""
    return "".join("M" + "L".join(f"{p[0]},{p[1]}" for p in ring) + end for ring in rings)


def _path_shape(rings: list[list[list[float]]], name: str, fill: str, border: str,
                width: float, layer: str) -> dict:
    """A layout shape of the rings (filled unless `fill` is transparent): the browser draws
    shapes ≈ 40 % faster than a trace each."""
    return {"type": "path", "path": svg_path(rings, closed=fill != TRANSPARENT), "xref": "x",
            "yref": "y", "fillcolor": fill, "line": {"color": border, "width": width},
            "layer": layer, "name": name}


TRANSPARENT = "rgba(0,0,0,0)"


def _code(feature: dict) -> str:
    return str(feature.get("properties", {}).get("code") or feature.get("id"))


def geo_map(df: pd.DataFrame, geojson: dict, lang: str = "vi", *, title: str, year: int,
            color_by: str = "value", unit: str | None = None,
            groups: pd.DataFrame | None = None, outline: dict | None = None) -> go.Figure:
    """True boundaries as filled paths (no base map), the national extent with the Hoàng Sa
    and Trường Sa archipelagos (labelled). Each province is one layout shape named
    PROVINCE_SHAPE + its code; its hover is a point at the centre of its largest ring.

    df columns: province_code (= feature properties.code), label, value, performance_group,
    optional hover. outline: another FeatureCollection drawn as thick borders on top (e.g. the
    34 new provinces over the 63 predecessors). Credit: Open Development Mekong, CC BY-SA 4.0.
    """
    unit = unit or t("points", lang)
    d = df.drop_duplicates("province_code").set_index("province_code")
    colors, rng = _fill_colors(d, color_by, groups)
    fill = dict(zip(d.index, colors, strict=True))
    hover = dict(zip(d.index, _hover(d.reset_index(), lang), strict=True))
    fig = go.Figure()
    centres = []
    shapes = []
    for feature in geojson["features"]:
        code = _code(feature)
        rings = _rings(feature["geometry"])
        if not rings:
            continue
        color = fill.get(code, style.NOT_PUBLISHED_COLOR)
        land = [r for r in rings if _extent(r) > ISLET_DEGREES]
        islets = [r for r in rings if _extent(r) <= ISLET_DEGREES]
        if islets:  # outlined in their own colour: a white border hid them
            shapes.append(_path_shape(islets, ISLETS_SHAPE + code, color, color, 0.8, "below"))
        if land:
            shapes.append(_path_shape(land, PROVINCE_SHAPE + code, color, "#ffffff", 0.8, "below"))
        main = max(rings, key=len)
        centres.append((sum(p[0] for p in main) / len(main), sum(p[1] for p in main) / len(main),
                        hover.get(code, code), code))
    rings = [ring for feature in (outline or {}).get("features", [])
             for ring in _rings(feature["geometry"])]
    if rings:  # one path of every ring (a trace per ring, 899, took the browser seconds)
        shapes.append(_path_shape(rings, OUTLINE_NAME, TRANSPARENT, "#222", 1.6, "above"))
    fig.update_layout(shapes=shapes)
    c = pd.DataFrame(centres, columns=["x", "y", "hover", "code"])
    fig.add_scatter(x=c["x"], y=c["y"], mode="markers", marker={"size": 6, "opacity": 0},
                    hovertext=c["hover"], hoverinfo="text", customdata=c["code"],
                    name=TILES_NAME, showlegend=False)
    for lon, lat, key, x0, x1, y0, y1 in ARCHIPELAGOS:
        fig.add_annotation(x=lon, y=lat, text=t(key, lang), showarrow=False,
                           font={"size": 10, "color": "#333"}, name="archipelago")
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, layer="below",
                      line={"color": "#888", "width": 1, "dash": "dot"})
    _legend(fig, lang, color_by, groups, rng, unit)
    fig.update_xaxes(visible=False, range=list(NATIONAL["lon"]))
    fig.update_yaxes(visible=False, range=list(NATIONAL["lat"]), scaleanchor="x",
                     scaleratio=1.04)
    fig.update_layout(plot_bgcolor="white")
    return finish(fig, title, lang, year, credit=ODM_CREDIT, height=900)
