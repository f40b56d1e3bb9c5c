"""One export session for many charts: order, sizes, failures that end instead of hanging."""

from __future__ import annotations

import io
import threading

import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard.export import figures
from dashboard.export.figures import ExportSession
from tests.test_export_figures import need_chromium


def _bar(n: int) -> go.Figure:
    return go.Figure(go.Bar(x=list("ABC"), y=[n, n + 1, n + 2]))


def test_one_session_renders_in_order_at_each_size() -> None:
    need_chromium()
    sizes = [(1920, 1272, 820), (1920, 876, 1100), (640, 480, 1280)]
    with ExportSession() as session:
        done = [session.submit(_bar(i), "png", w, h, layout_width=lw)
                for i, (w, h, lw) in enumerate(sizes)]
        pngs = [d.result(timeout=180) for d in done]
    got = [Image.open(io.BytesIO(p)).size for p in pngs]
    assert [w for w, _ in got] == [w for w, _, _ in sizes]  # in order: each its own width
    # heights within a pixel: the CSS height is rounded before scaling (1272 → 1271)
    assert all(abs(g[1] - h) <= 1 for g, (_, h, _) in zip(got, sizes, strict=True))
    assert not any(t.name == "papi-export" and t.is_alive() for t in threading.enumerate())


def test_svg_and_png_in_one_session() -> None:
    need_chromium()
    with ExportSession() as session:
        svg, png = session.submit(_bar(1), "svg"), session.submit(_bar(2), "png", 800, 600)
        assert svg.result(timeout=180).lstrip().startswith(b"<svg")
        assert png.result(timeout=180)[:8] == b"\x89PNG\r\n\x1a\n"


def test_closed_session_refuses_work() -> None:
    need_chromium()
    session = ExportSession()
    session.close()
    with pytest.raises(RuntimeError, match="closed"):
        session.submit(_bar(1))


def test_chromium_that_fails_fails_every_render(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "chromium_path", lambda: "/bin/false")
    session = ExportSession()
    done = [session.submit(_bar(i)) for i in range(3)]
    for d in done:
        with pytest.raises(Exception):  # noqa: B017,PT011 - whatever choreographer raises
            d.result(timeout=120)
    session.close()  # returns: nothing is left waiting


def test_bad_format_fails_before_chromium() -> None:
    with pytest.raises(ValueError, match="unsupported format"):
        figures.render_options("gif", 100, 100)  # type: ignore[arg-type]
