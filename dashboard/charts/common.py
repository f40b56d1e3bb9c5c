"""Shared figure finishing: title, axis titles, source line, fonts and margins."""

from __future__ import annotations

import base64
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import fmt, style
from dashboard.i18n import source_line

SOURCE_NAME = "source"
DEMO_NAME = "demo-mark"
BREAK_NAME = "break"
BREAK_FONT = 10  # px: a methodology break's label
BREAK_GAP = 4  # px between two stacked break labels, and under the last one
SOURCE_INSET = 10  # px from the figure's left edge to the source line
TITLE_WIDTH = 56  # characters of a title line that fit a half-width column on a 1366-px screen
LINE_PX = 20  # one more title line or legend row: this much more room at the top
TOP_PX = 95  # the top margin of a one-line title over a one-row legend
TITLE_PAD = 8  # px above a title's first line
ROTATED_YEARS = 10  # more yearly ticks than this turn vertical in a half-width column …
ROTATED_PX = 24  # … and need this much more room under the plot for the axis title
TICK_GAP = 6  # px between y tick labels and the plot (Plotly's 0 put category labels on the bars)


def finish(fig: go.Figure, title: str, lang: str, years: Iterable[int] | int | None = None,
           x_title: str | None = None, y_title: str | None = None,
           credit: str | None = None, height: int = 420, source: str = "papi",
           demo: bool | None = None, legend_rows: int = 1,
           legend_row_px: int = LINE_PX, title_width: int = TITLE_WIDTH) -> go.Figure:
    """Title, axis titles, the language's number separators and a bottom-left source line.

    source: 'papi' (PAPI scores) or 'tasks' (the departments' reports). demo: add the
    'Dữ liệu minh họa / Illustrative data' mark (default: fmt.is_demo(), set per run).
    A long title wraps (a narrow column would cut it); legend_rows: the rows the legend may
    wrap into in a narrow column (each legend_row_px high), kept clear of the title;
    title_width: characters of a title line (a full-width chart takes more). Each line
    more adds to the top margin and to `height`.
    """
    text = source_line(lang, years, source)
    white_template(fig)
    if credit:
        text += f" · {credit}"
    shown = wrap(title, title_width, escape=False) if len(title) > title_width else title
    extra = LINE_PX * shown.count("<br>") + legend_row_px * (max(legend_rows, 1) - 1)
    below = ROTATED_PX if _vertical_years(fig, x_title) else 0
    fig.update_layout(
        separators=fmt.separators(lang),
        # Plotly draws a title of several lines about 16 px above its 'top' anchor (one line:
        # 5 px), which cut the first line and its diacritics: the pad puts it inside
        title={"text": shown, "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 1, "yanchor": "top", "yref": "container", "font": {"size": 15},
               "pad": {"t": TITLE_PAD + (12 if "<br>" in shown else 0)}},
        font={"family": style.FONT, "size": 12},
        height=height + extra + below,
        margin={"l": max(60, label_margin(fig)), "r": 20, "t": TOP_PX + extra, "b": 80 + below},
        legend={"orientation": "h", "y": 1.01, "x": 0, "yanchor": "bottom",
                "font": {"size": 11}},
    )
    place_source(fig, text)
    if fmt.is_demo() if demo is None else demo:
        add_demo_mark(fig)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    fig.update_yaxes(ticklabelstandoff=TICK_GAP)
    room_for_breaks(fig)
    return fig


def _vertical_years(fig: go.Figure, x_title: str | None) -> bool:
    """Whether a titled x axis has a tick every year over more than ROTATED_YEARS years: Plotly
    turns such labels vertical where the chart is narrow, and the axis title then needs room
    above the source line (the units chart at 1366 px had 'Năm' on it)."""
    axes = list(fig.select_xaxes())
    titled = x_title is not None or any(ax.title.text for ax in axes)
    return titled and any(ax.dtick == 1 and ax.range is not None
                          and ax.range[1] - ax.range[0] > ROTATED_YEARS for ax in axes)


def label_margin(fig: go.Figure) -> int:
    """Left margin (px) for the category labels of horizontal bars, so that the plot starts
    where Plotly's automargin would put it and the source line, placed from the margin, starts
    at the figure's left edge (0 when there are none)."""
    labels = {str(v) for tr in fig.data if getattr(tr, "orientation", None) == "h"
              for v in (tr.y if tr.y is not None else ())}
    lines = [line for label in labels for line in label.split("<br>")]
    return int(max(map(len, lines)) * 6.6) + 20 + TICK_GAP if lines else 0


def room_for_outside_labels(fig: go.Figure, values: pd.DataFrame) -> None:
    """An x range with room right of the longest horizontal bar for its outside label (never
    cut); left to Plotly when a value is negative (a net share)."""
    top, low = values.max(numeric_only=True).max(), values.min(numeric_only=True).min()
    if pd.notna(top) and top > 0 and not low < 0:
        fig.update_xaxes(range=[0, float(top) * 1.12])


def white_template(fig: go.Figure) -> None:
    """layout.template = 'plotly_white', stored as plain JSON as plotly stores its default
    template: the same figure, without the validated deep copy of the whole template that
    `update_layout(template='plotly_white')` makes for every figure."""
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout.template = pio.templates["plotly_white"]
    finally:
        layout._validate = validate


def place_source(fig: go.Figure, text: str | None = None) -> None:
    """Put (or move) the source line at the figure's bottom-left corner, inside the margins."""
    margin = fig.layout.margin
    left = margin.l if margin and margin.l is not None else 80
    bottom = margin.b if margin and margin.b is not None else 80
    anns = [a for a in fig.layout.annotations or () if a.name == SOURCE_NAME]
    if text is None and not anns:
        return
    spec = {"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "bottom", "xshift": -(left - SOURCE_INSET), "yshift": -(bottom - 4),
            "align": "left", "showarrow": False, "font": {"size": 10, "color": "#555"}}
    if anns:
        anns[0].update(spec, **({"text": text} if text is not None else {}))
    else:
        fig.add_annotation(text=text, name=SOURCE_NAME, **spec)


def add_demo_mark(fig: go.Figure) -> None:
    """The 'Dữ liệu minh họa / Illustrative data' mark across the plot (once): a large, light
    watermark that no legend, title or source line can hide or be hidden by."""
    if any(a.name == DEMO_NAME for a in fig.layout.annotations or ()):
        return
    fig.add_annotation(text=fmt.DEMO_MARK.replace(" / ", "<br>"), name=DEMO_NAME, xref="paper",
                       yref="paper", x=0.5, y=0.5, xanchor="center", yanchor="middle", showarrow=False,
                       textangle=-15, font={"size": 20, "color": "rgba(179,0,0,0.3)"})


def wrap(text: str, width: int = 32, escape: bool = True) -> str:
    """Break a long label into lines of about `width` characters joined by <br>."""
    lines: list[str] = []
    for word in (fmt.label(text) if escape else str(text)).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def source_text(fig: go.Figure) -> str:
    """The source line of a figure built here ('' if none)."""
    for ann in fig.layout.annotations or ():
        if ann.name == SOURCE_NAME:
            return ann.text
    return ""


def drop_source(fig: go.Figure) -> None:
    """Take the source line off a figure whose page shows it elsewhere (a slide's footer)."""
    fig.layout.annotations = [a for a in fig.layout.annotations or () if a.name != SOURCE_NAME]


def empty_figure(title: str, message: str, lang: str) -> go.Figure:
    """A titled figure saying there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5,
                       showarrow=False, font={"size": 14, "color": "#777"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, lang, height=300)


def add_breaks(fig: go.Figure, breaks: Iterable[tuple[float, str]] | None,
               span: range | None) -> None:
    """Dotted red lines with labels at the methodology breaks that fall inside `span` (years);
    a label in the right half reads leftwards from its line, so the edge never cuts it."""
    if not span:  # no years: no break falls inside
        return
    shown = [(x, label) for x, label in breaks or [] if span.start - 0.5 <= x <= span.stop - 0.5]
    below = 0  # px: the labels are stacked downwards from the plot's top, so none overlaps another
    for x, label in shown:
        fig.add_vline(x=x, line={"color": "#b30000", "dash": "dot", "width": 1.5})
        side = "right" if x > (span.start + span.stop - 1) / 2 else "left"
        text = wrap(label, 40)
        fig.add_annotation(x=x, y=1.0, yref="paper", yshift=-below, text=text,
                           showarrow=False, xanchor=side, yanchor="top", align=side,
                           bgcolor="rgba(255,255,255,0.75)",
                           font={"size": BREAK_FONT, "color": "#b30000"}, name=BREAK_NAME)
        below += _label_px(text) + BREAK_GAP


def _label_px(text: str) -> int:
    """Height (px) of a break label of this many lines as Plotly draws it (1.3 em a line)."""
    return round(1.3 * BREAK_FONT * (text.count("<br>") + 1)) + 2


def trace_values(values: object) -> Iterable[object]:
    """A trace's values, also as a copied figure keeps them (plotly's {'dtype', 'bdata'})."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values  # type: ignore[return-value]


def _number(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if v == v else None


def room_for_breaks(fig: go.Figure, height: float | None = None) -> None:
    """Raise the top of the top plot's y axis so that its break labels sit above every point,
    the figure drawn `height` px high (default: its own): a label over the line hid the points
    it covered (D5's 2021 note over 2019–2020). Always from the data: called again for
    another size, it gives that size's range."""
    labels = [a for a in fig.layout.annotations or () if a.name == BREAK_NAME]
    layout = fig.layout
    height = height or layout.height
    if not labels or not height:
        return
    band = max(-(a.yshift or 0) + _label_px(a.text or "") for a in labels) + BREAK_GAP
    axes = {ax.plotly_name.replace("axis", ""): ax for ax in fig.select_yaxes()}
    name, axis = next(((n, ax) for n, ax in axes.items()
                       if ax.domain is None or ax.domain[1] >= 0.99), ("y", layout.yaxis))
    d0, d1 = axis.domain or (0, 1)
    margin = layout.margin
    plot = (height - (margin.t or 0) - (margin.b or 0)) * (d1 - d0)
    ys = [v for tr in fig.data if tr.type == "scatter" and (tr.yaxis or "y") == name
          and tr.y is not None for v in map(_number, trace_values(tr.y)) if v is not None]
    if not ys or plot <= 2 * band:
        return
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.06 or 0.5
    bottom, top = low - pad, high + pad
    axis.update(range=[bottom, bottom + (top - bottom) / (1 - band / plot)])
