"""The dashboard's download buttons render (AppTest) and their deferred data is correct."""

from __future__ import annotations

import io
import os
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from dashboard.export import figures, streamlit_buttons
from tests import render_checks as rc

SCRIPT = '''
import pandas as pd, plotly.graph_objects as go
from dashboard.export.streamlit_buttons import briefing_button, chart_downloads, table_downloads
chart_downloads(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "chart")
table_downloads(pd.DataFrame({"a": ["=x", "Huế"], "b": [1.5, 2]}), "tbl",
                {"title": "Bảng", "province": "Huế", "year": 2024})
briefing_button("20", 2024, "vi", DB)
'''


def need_chromium() -> None:
    """Fails in CI (setup installs chromium), skips elsewhere."""
    try:
        figures.chromium_path()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def test_buttons_render_and_briefing_builds(demo_db: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    need_chromium()
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where a click's temp files land
    script = tmp_path / "app.py"
    script.write_text(f"DB = {str(demo_db)!r}\n" + SCRIPT, encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=300).run()
    assert not at.exception
    keys = [b.key for b in at.get("download_button")]
    assert keys == ["dl-chart-png", "dl-chart-svg", "dl-chart-pdf", "dl-tbl-xlsx", "dl-tbl-csv"]
    at.button[0].click().run()
    assert not at.exception
    keys = [b.key for b in at.get("download_button")]
    assert "dl-briefing-20-2024-vi-pptx" in keys and "dl-briefing-20-2024-vi-pdf" in keys
    rc.export_sessions_closed()  # chromium closes in the background (its profile folder)
    assert list(scratch.iterdir()) == []  # the click made the pack in memory: nothing left


def test_chart_bytes_outside_a_script() -> None:
    need_chromium()
    png = streamlit_buttons._chart_bytes(go.Figure(go.Bar(x=[1], y=[2])).to_json(), "png")
    assert Image.open(io.BytesIO(png)).size[0] >= 1920
