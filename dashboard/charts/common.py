"""Shared figure finishing: title, axis titles, source line, fonts and margins."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from dashboard import style
from dashboard.i18n import source_line

SOURCE_NAME = "source"


def finish(fig: go.Figure, title: str, lang: str, years: Iterable[int] | int | None = None,
           x_title: str | None = None, y_title: str | None = None,
           credit: str | None = None, height: int = 420) -> go.Figure:
    """Set the title, axis titles and a bottom-left source line (plus an optional credit)."""
    text = source_line(lang, years)
    if credit:
        text += f" · {credit}"
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 0.985, "yanchor": "top", "yref": "container", "font": {"size": 15}},
        font={"family": style.FONT, "size": 12},
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 95, "b": 80},
        legend={"orientation": "h", "y": 1.01, "x": 0, "yanchor": "bottom",
                "font": {"size": 11}},
    )
    fig.add_annotation(
        text=text, xref="paper", yref="paper", x=1, y=0, xanchor="right", yanchor="top",
        yshift=-48, showarrow=False, font={"size": 10, "color": "#555"}, name=SOURCE_NAME,
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def wrap(text: str, width: int = 32) -> str:
    """Break a long label into lines of about `width` characters joined by <br>."""
    lines: list[str] = []
    for word in str(text).split():
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
    """Dotted red lines with labels at the methodology breaks that fall inside `span` (years)."""
    for x, label in breaks or []:
        if span and span.start - 0.5 <= x <= span.stop - 0.5:
            fig.add_vline(x=x, line={"color": "#b30000", "dash": "dot", "width": 1.5})
            fig.add_annotation(x=x, y=1.0, yref="paper", text=wrap(label, 40),
                               showarrow=False, xanchor="left", yanchor="top", align="left",
                               bgcolor="rgba(255,255,255,0.75)",
                               font={"size": 10, "color": "#b30000"}, name="break")
