"""Chart images: kaleido with Debian's chromium, 1920 px PNG, title/source/province ensured."""

from __future__ import annotations

import io
import os

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageStat

from dashboard.export import figures
from dashboard.export.figures import figure_bytes, figures_bytes, prepare_figure


def need_chromium() -> str:
    """The system chromium; fails in CI (setup installs it), skips elsewhere."""
    try:
        return figures.chromium_path()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture
def no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to download a browser fails the test."""
    import choreographer.cli
    import kaleido

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("a Chrome download was attempted")

    for mod in (kaleido, choreographer.cli):
        for attr in ("get_chrome", "get_chrome_sync"):
            if hasattr(mod, attr):
                monkeypatch.setattr(mod, attr, boom)


@pytest.fixture
def fig() -> go.Figure:
    return go.Figure(go.Bar(x=["Hà Nội", "Thừa Thiên Huế", "Đắk Lắk"], y=[45.1, 43.2, 41.0]))


def test_prepare_adds_title_province_source_font(fig: go.Figure) -> None:
    out = prepare_figure(fig, title="Tổng điểm PAPI", province="Hà Nội", year=2024)
    assert out.layout.title.text == "Tổng điểm PAPI – Hà Nội"
    texts = [a.text for a in out.layout.annotations]
    assert any(t.startswith("Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP") and "2024" in t
               for t in texts)
    assert "Noto Sans" in out.layout.font.family
    assert not fig.layout.annotations  # the original is untouched


def test_prepare_english_and_existing_source(fig: go.Figure) -> None:
    out = prepare_figure(fig, title="Total", province="Ha Noi", year=2023, lang="en")
    assert any(a.text.startswith("Source: PAPI") for a in out.layout.annotations)
    again = prepare_figure(out, province="Ha Noi", lang="en")
    assert len(again.layout.annotations) == len(out.layout.annotations)
    assert again.layout.title.text.count("Ha Noi") == 1


def test_png_is_1920_wide_and_not_blank(fig: go.Figure, no_download: None) -> None:
    need_chromium()
    png = figure_bytes(fig, "png", title="Tổng điểm", province="Hà Nội", year=2024)
    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.size[0] >= 1920 and img.size == (1920, 1080)
    assert ImageStat.Stat(img).var[0] > 100  # drawn, not a blank canvas


def test_svg_and_pdf(fig: go.Figure, no_download: None) -> None:
    need_chromium()
    svg, pdf = (figure_bytes(fig, f, province="Hà Nội", year=2024) for f in ("svg", "pdf"))
    text = svg.decode("utf-8")
    assert text.lstrip().startswith("<svg") and "Hà Nội" in text and "Nguồn: PAPI" in text
    assert pdf.startswith(b"%PDF")


def test_many_in_one_session(fig: go.Figure, no_download: None) -> None:
    need_chromium()
    out = figures_bytes([fig, fig], "png", 1920, 1200, scale=1)
    assert [Image.open(io.BytesIO(b)).size for b in out] == [(1920, 1200)] * 2


def test_plain_to_image_uses_system_chromium(fig: go.Figure, no_download: None) -> None:
    need_chromium()
    figures.use_system_chromium()
    assert fig.to_image(format="png", width=400, height=300).startswith(b"\x89PNG")


def test_unknown_format(fig: go.Figure) -> None:
    with pytest.raises(ValueError):
        figures_bytes([fig], "gif")  # type: ignore[arg-type]
