"""Pure Plotly chart builders: DataFrame (+ language, labels) in, go.Figure out.

No Streamlit, no duckdb: shared by the dashboard, the notebooks and the slide exports.
Every figure has a title, axis titles with units and a source line annotation.
"""

from dashboard.charts.compare import compare_bars, compare_trend, ranking_bars
from dashboard.charts.drill import movers_bars, subitem_trends
from dashboard.charts.maps import geo_map, load_geojson, load_tile_grid, tile_map
from dashboard.charts.scores import dimension_bars, score_trend
from dashboard.charts.tasks import dimension_lines, status_bars

__all__ = [
    "compare_bars", "compare_trend", "dimension_lines", "dimension_bars", "geo_map", "load_geojson",
    "load_tile_grid", "movers_bars", "ranking_bars", "score_trend", "status_bars",
    "subitem_trends", "tile_map",
]
