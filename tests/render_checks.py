"""Checks shared by the render tests: what a person would see wrong on a slide or a chart."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageFont

from dashboard.charts.common import DEMO_NAME, SOURCE_NAME, trace_values

BAD_WORDS = re.compile(r"\b(nan|None|NaN|NaT|null|undefined)\b")
# 47.82, -0.3; not 1.234 (thousands), D1.1 (item codes), 01/07/2025
VI_DECIMAL_POINT = re.compile(r"(?<![\w.])\d{1,3}\.\d{1,2}(?![\d.])")
# item codes written out in notes ('chỉ số thành phần 3.2 và 3.3', 'số thứ tự 5.1, 5.3')
ITEM_CODES = re.compile(r"(thành phần|thứ tự|chỉ tiêu|sub-dimensions?|numbering keeps)\s+"
                        r"[\d.]+(\s*(,|và|and)\s*[\d.]+)*")
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"


def figure_texts(fig: go.Figure) -> list[str]:
    """Every piece of text a figure can show: title, axis titles, annotations, legend names,
    category labels, bar texts and hover data."""
    d = json.loads(fig.to_json())
    out = [str(d["layout"].get("title", {}).get("text", ""))]
    for key, ax in d["layout"].items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(ax, dict):
            out.append(str(ax.get("title", {}).get("text", "")))
    out += [str(a.get("text", "")) for a in d["layout"].get("annotations", [])]
    for tr in d["data"]:
        out.append(str(tr.get("name", "")))
        for key in ("text", "customdata"):
            v = tr.get(key)
            if isinstance(v, list):
                out += [str(x) for x in v if x is not None]
            elif isinstance(v, str):
                out.append(v)
        for key in ("x", "y"):
            v = tr.get(key)
            if isinstance(v, list) and v and isinstance(v[0], str):
                out += v
    return out


def text_problems(texts: list[str], lang: str = "vi") -> list[str]:
    """'nan'/'None' words, and (Vietnamese) numbers written with a decimal point."""
    bad = []
    for s in texts:
        if BAD_WORDS.search(s):
            bad.append(f"missing-value word in {s!r}")
        if lang == "vi" and VI_DECIMAL_POINT.search(ITEM_CODES.sub("", s.replace("<br>", " "))):
            bad.append(f"decimal point in Vietnamese text {s!r}")
    return bad


def source_annotation(fig: go.Figure):
    anns = [a for a in fig.layout.annotations if a.name == SOURCE_NAME]
    assert len(anns) == 1, f"{len(anns)} source lines in {fig.layout.title.text!r}"
    return anns[0]


def unbroken_breaks(fig: go.Figure) -> list[str]:
    """Year lines that join a point of 2017 to one of 2018 (6 → 8 dimensions) with no
    vertical break line at 2017.5 in the figure."""
    lines = {round(float(s.x0), 1) for s in fig.layout.shapes
             if s.type == "line" and s.x0 is not None and s.x0 == s.x1}
    bad = []
    for tr in fig.data:
        if tr.type != "scatter" or tr.x is None or tr.y is None or "lines" not in (tr.mode or ""):
            continue
        pts = {int(x): y for x, y in zip(tr.x, tr.y, strict=False)
               if isinstance(x, int | float) and float(x).is_integer() and y is not None
               and y == y}
        if 2017 in pts and 2018 in pts and 2017.5 not in lines:
            bad.append(f"{tr.name!r} joins 2017 to 2018 without the break line")
    return bad


def breaks_over_points(fig: go.Figure, css_height: float) -> list[str]:
    """Points drawn under a break label at the top of the plot, the figure drawn `css_height`
    px high: each label (font size, lines of 1.3 em, stacked by its yshift) must sit above
    the highest point of the lines on the top axis (D5's 2021 note hid 2019–2020)."""
    labels = [a for a in fig.layout.annotations if a.name == "break"]
    if not labels:
        return []
    band = max(-(a.yshift or 0) + 1.3 * (a.font.size or 12) * ((a.text or "").count("<br>") + 1)
               for a in labels)
    axis = fig.layout.yaxis
    if axis.range is None:
        return [f"{fig.layout.title.text!r}: break labels but the y axis is left to Plotly"]
    low, high = axis.range
    d0, d1 = axis.domain or (0, 1)
    m = fig.layout.margin
    plot = (css_height - (m.t or 0) - (m.b or 0)) * (d1 - d0)
    ys = [float(y) for tr in fig.data if tr.type == "scatter" and (tr.yaxis or "y") == "y"
          and tr.y is not None for y in trace_values(tr.y) if y is not None and y == y]
    top = (high - max(ys)) / (high - low) * plot if ys else plot  # px from the plot's top
    return [] if top >= band else [
        f"{fig.layout.title.text!r}: the highest point {top:.0f} px under the plot's top, "
        f"under the break labels ({band:.0f} px)"]


def _ink_diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The pixels that differ between two renders (summed over the channels, more than 60)."""
    return np.abs(a.astype(np.int16) - b.astype(np.int16)).sum(axis=2) > 60


def _ink_box(diff: np.ndarray, top: bool = False) -> tuple[int, int, int, int] | None:
    """Bounding box of the pixels that differ, in the bottom (or `top`) half of the image."""
    half = diff.shape[0] // 2
    ys, xs = np.nonzero(diff[:half] if top else diff[half:])
    if not len(xs):
        return None
    y0 = 0 if top else half
    return int(xs.min()), int(ys.min()) + y0, int(xs.max()), int(ys.max()) + y0


def _hidden(f: go.Figure) -> go.Figure:
    """The figure without its source line and title."""
    g = go.Figure(f)
    for a in g.layout.annotations:
        if a.name == SOURCE_NAME:
            a.visible = False
    g.update_layout(title_text="")
    return g


def source_clipping(figs: list[go.Figure], width: int, height: int, layout_width: int
                    ) -> list[str]:
    """Render each figure with and without its source line and title; the pixels that differ
    are their text: the source line must be there, inside the image, and as wide as its text;
    the title must not touch the top edge (a wrapped title pushed out of the image)."""
    return renders_clipping([(f, (width, height), layout_width, None) for f in figs])


def renders_clipping(items: list[tuple[go.Figure, tuple[int, int], int, bytes | None]],
                     *, source_in_png: bool = True) -> list[str]:
    """source_clipping for figures of any sizes, all rendered in one export session: each
    item is (figure, (width, height), layout width, its PNG when already rendered at that
    size — a deck's own image — or None to render it here). `source_in_png` False: the PNGs
    given are a slide's pictures, whose source line is the slide's footer, not in the
    picture (the figure still has it: the slide's picture must show no more than the figure
    without it)."""
    from dashboard.export.figures import ExportSession

    with ExportSession() as session:
        todo = [(session.submit(f, "png", w, h, layout_width=lw) if png is None else None,
                 session.submit(_hidden(f), "png", w, h, layout_width=lw))
                for f, (w, h), lw, png in items]
        pngs = [(on.result() if on is not None else png, off.result())
                for (on, off), (_, _, _, png) in zip(todo, items, strict=True)]
    problems = []
    for (f, (width, _), layout_width, _), (on, off) in zip(items, pngs, strict=True):
        scale = width / min(width, layout_width)
        a = np.asarray(Image.open(io.BytesIO(on)).convert("RGB"))
        b = np.asarray(Image.open(io.BytesIO(off)).convert("RGB"))
        diff = _ink_diff(a, b)
        box = _ink_box(diff)
        ann = source_annotation(f)
        title = f.layout.title.text
        tbox = _ink_box(diff, top=True)
        if tbox is None or tbox[1] <= 2:
            problems.append(f"{title!r}: title missing or cut at the top ({tbox})")
        if not source_in_png:
            if box is not None:
                problems.append(f"{title!r}: source line drawn in the slide's picture {box} "
                                "(the slide's footer has it)")
            continue
        if box is None:
            problems.append(f"{title!r}: source line not drawn")
            continue
        x0, y0, x1, y1 = box
        size = (ann.font.size or 10) * scale
        expected = ImageFont.truetype(FONT, round(size)).getlength(ann.text)
        h, w = a.shape[:2]
        if x0 <= 1 or x1 >= w - 2 or y1 >= h - 2 or y0 <= 1:
            problems.append(f"{title!r}: source line touches the edge {box} of {w}×{h}")
        if (x1 - x0) < 0.8 * expected:
            problems.append(f"{title!r}: source line {x1 - x0:.0f}px wide, text needs "
                            f"{expected:.0f}px (clipped)")
    return problems


def label_gaps(figs: list[go.Figure], width: int, height: int, layout_width: int,
               least: float = 3.0) -> list[str]:
    """Render each figure with its y tick labels drawn and transparent: the pixels that differ
    are the labels. Right of each label row, the first inked pixel of the second picture (a
    bar) must be at least `least` px (at layout scale) from the label's end."""
    from dashboard.export.figures import figures_bytes

    hidden = [go.Figure(f).update_yaxes(tickfont_color="rgba(0,0,0,0)") for f in figs]
    pngs = figures_bytes([*figs, *hidden], "png", width, height, layout_width=layout_width)
    n = len(figs)
    scale = width / min(width, layout_width)
    problems = []
    for f, on, off in zip(figs, pngs[:n], pngs[n:], strict=True):
        a = np.asarray(Image.open(io.BytesIO(on)).convert("RGB")).astype(int)
        b = np.asarray(Image.open(io.BytesIO(off)).convert("RGB")).astype(int)
        label = np.abs(a - b).sum(axis=2) > 60
        ink = b.sum(axis=2) < 700  # bars and text; plotly_white's grid lines are lighter
        gaps = []
        for y in np.flatnonzero(label.any(axis=1)):
            end = int(np.flatnonzero(label[y]).max())
            right = np.flatnonzero(ink[y, end + 1:end + 1 + int(40 * scale)])
            if len(right):
                gaps.append(int(right[0]))
        if not gaps:
            problems.append(f"{f.layout.title.text!r}: no y label beside a bar")
        elif min(gaps) < least * scale:
            problems.append(f"{f.layout.title.text!r}: a y label ends {min(gaps)} px from its "
                            f"bar (at least {least * scale:.0f})")
    return problems


def pdf_pages_png(pdf: Path, out: Path, dpi: int = 72) -> list[Path]:
    """Every page of a PDF as PNG (pdftoppm)."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "p")], check=True)
    return sorted(out.glob("p-*.png"))


def bottom_band_has_ink(png: Path, band: tuple[float, float] = (0.935, 0.975)) -> bool:
    """Whether the page's footer band (fractions of its height) has dark pixels."""
    a = np.asarray(Image.open(png).convert("L"))
    h = a.shape[0]
    return bool((a[int(h * band[0]):int(h * band[1])] < 200).sum() > 20)


def has_demo_mark(fig: go.Figure) -> bool:
    return any(a.name == DEMO_NAME for a in fig.layout.annotations)


def legend_overflow(svg: str) -> str | None:
    """Where the legend box ends past the SVG's right edge: a message; None when inside."""
    view = re.search(r'<svg[^>]*viewBox="0 0 ([\d.]+) [\d.]+"', svg)
    width = float(view.group(1) if view else
                  re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))  # layout px
    m = re.search(r'<g class="legend"[^>]*transform="translate\(([\d.]+),\s*([\d.]+)\)"[^>]*>'
                  r'\s*<rect class="bg"[^>]*width="([\d.]+)"', svg)
    if m is None:
        return None  # no legend drawn
    x, w = float(m.group(1)), float(m.group(3))
    return None if x + w <= width + 0.5 else f"legend ends at {x + w:.0f} of {width:.0f}px"


def export_sessions_closed(timeout: float = 60) -> None:
    """Wait until every export chromium has closed. A deck's session closes in the background
    once its last chart is in (ExportSession.close(wait=False)) and the files are written
    while it renders, so the pack can be ready before chromium's profile folder is removed:
    what must not be left behind is what remains once it has closed."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "papi-export":
            thread.join(timeout=timeout)
