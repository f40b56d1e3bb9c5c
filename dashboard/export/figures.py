"""Plotly figures to PNG/SVG/PDF bytes through kaleido and Debian's chromium (never a download)."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import plotly.graph_objects as go

from dashboard import fmt
from dashboard.charts.common import SOURCE_NAME as SOURCE
from dashboard.charts.common import add_demo_mark, place_source, wrap
from dashboard.i18n import source_line

Fmt = Literal["png", "svg", "pdf"]
FONT_FAMILY = "Noto Sans, DejaVu Sans, Arial, sans-serif"
LAYOUT_WIDTH = 1280  # CSS width charts are laid out at; larger outputs are scaled up
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
SOURCE_NAME = "papi-source"
TITLE_CHARS = 80  # longest title line, in characters, at the narrowest export layout


def chromium_path() -> str:
    """The system chromium (env BROWSER_PATH first); raises if none: kaleido must not download."""
    env = os.environ.get("BROWSER_PATH")
    candidates = ([env] if env else []) + list(CHROMIUM_CANDIDATES) + [shutil.which("chromium")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    raise RuntimeError(
        "No chromium found for chart export: run `make setup` (installs Debian's chromium) "
        "or set BROWSER_PATH"
    )


def use_system_chromium() -> str:
    """Point kaleido/choreographer (also plain `fig.to_image`) at the system chromium."""
    path = chromium_path()
    os.environ.setdefault("BROWSER_PATH", path)
    return path


def _is_source(a: Any) -> bool:
    return a.name in (SOURCE_NAME, SOURCE) or (a.text or "").startswith(("Nguồn:", "Source:"))


def prepare_figure(
    fig: go.Figure,
    *,
    title: str | None = None,
    province: str | None = None,
    year: int | None = None,
    lang: str = "vi",
    demo: bool | None = None,
) -> go.Figure:
    """A copy ready for a file: province in the title, the whole source line at the bottom
    left, the legend at the right (never clipped), number separators of `lang`, a
    Vietnamese-capable font, and the demo mark when `demo` (default: fmt.is_demo())."""
    out = go.Figure(fig)
    current = out.layout.title.text if out.layout.title else None
    text = current or title or ""
    if province and fmt.label(province) not in text and province not in text:
        text = f"{text} – {fmt.label(province)}" if text else fmt.label(province)
    if text:
        if "<br>" not in text and len(text) > TITLE_CHARS:
            text = wrap(text, TITLE_CHARS, escape=False)  # wraps instead of running off the edge
        out.update_layout(title={"text": text, "x": 0.01, "xanchor": "left", "xref": "container"})
        extra = text.count("<br>")
        if extra:  # Plotly anchors a title's first line: make room for the others below it
            top = out.layout.margin.t if out.layout.margin and out.layout.margin.t else 95
            line = 1.3 * ((out.layout.title.font.size or 15) if out.layout.title.font else 15)
            out.update_layout(margin={"t": top + line * extra},
                              title={"y": 1, "yanchor": "top", "yref": "container",
                                     "pad": {"t": 8 + line * extra}})
    sources = [a for a in out.layout.annotations if _is_source(a)]
    for a in sources:
        a.name = SOURCE
    margin_b = out.layout.margin.b if out.layout.margin and out.layout.margin.b else 0
    out.update_layout(
        margin={"b": max(margin_b, 110), "r": 30},
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        separators=fmt.separators(lang),
    )
    place_source(out, None if sources else source_line(lang, year))
    if fmt.is_demo() if demo is None else demo:
        add_demo_mark(out)
    size = out.layout.font.size if out.layout.font and out.layout.font.size else 12
    out.update_layout(font={"family": FONT_FAMILY, "size": size})
    return out


async def _render(figs: Sequence[go.Figure], opts: dict) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(n=1, path=chromium_path(), mathjax=False) as k:
        return [await k.calc_fig(f.to_dict(), opts=opts) for f in figs]


def figures_bytes(
    figs: Sequence[go.Figure],
    fmt: Fmt = "png",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1,
    layout_width: int = LAYOUT_WIDTH,
) -> list[bytes]:
    """Render figures in one chromium session; PNG is `width*scale` pixels wide.

    Charts are laid out `layout_width` CSS pixels wide and scaled up to `width`, so fonts keep
    their proportion on a large image.
    """
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unsupported format {fmt!r}: png, svg or pdf")
    use_system_chromium()
    css_w = min(width, layout_width)
    css_h = round(height * css_w / width)
    # a hair over the exact ratio, so chromium's rounding never yields 1919 px for 1920
    opts = {"format": fmt, "width": css_w, "height": css_h, "scale": scale * width / css_w + 1e-6}
    with ThreadPoolExecutor(max_workers=1) as pool:  # own event loop, safe under Streamlit
        return pool.submit(asyncio.run, _render(list(figs), opts)).result()


def figure_bytes(
    fig: go.Figure,
    fmt: Fmt = "png",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1,
    *,
    title: str | None = None,
    province: str | None = None,
    year: int | None = None,
    lang: str = "vi",
    demo: bool | None = None,
) -> bytes:
    """One figure as image bytes, with title, province and source line ensured."""
    prepared = prepare_figure(fig, title=title, province=province, year=year, lang=lang,
                              demo=demo)
    return figures_bytes([prepared], fmt, width, height, scale)[0]
