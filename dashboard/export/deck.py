"""The briefing as plain data (slides of text, tables and figures), shared by PPTX and PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import plotly.graph_objects as go

FULL = (1920, 876)  # chart across the slide (12.5 × 5.7 in)
SIDE = (1920, 1272)  # chart beside a table or text panel (8.6 × 5.7 in)
LAYOUT_WIDTH = {FULL: 1100, SIDE: 820}  # CSS px the chart is laid out at, for legible fonts


@dataclass
class Table:
    """A small table of already formatted cells."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class Slide:
    """One slide: a title and any of subtitle, bullets, a figure (rendered later), a table."""

    title: str
    subtitle: str = ""
    bullets: list[str] = field(default_factory=list)
    figure: go.Figure | None = None
    table: Table | None = None
    kind: str = "content"  # 'title' | 'content'
    image: bytes | None = None  # PNG of `figure` (its source line in `footer`), from briefing
    footer: str = ""  # this slide's source line (a chart's, with its years), else the deck's

    @property
    def image_size(self) -> tuple[int, int]:
        """Pixel size the figure is rendered at: beside a panel, or across the slide."""
        return SIDE if (self.table or self.bullets) else FULL


@dataclass
class Deck:
    """A whole briefing pack."""

    title: str
    province: str
    year: int
    lang: str
    footer: str
    slides: list[Slide] = field(default_factory=list)
    generated: date = field(default_factory=date.today)
    author: str = ""  # the files' author property (default: the tool)
    subject: str = ""  # the files' subject property


class SlideSink(Protocol):
    """What takes a deck's slides as they become complete (render_pptx.PptxWriter,
    render_pdf.PdfWriter): start(deck) once the slides are built, add(slide) in order."""

    def start(self, deck: Deck) -> None: ...

    def add(self, slide: Slide) -> None: ...


class Sinks:
    """Several sinks fed as one (the PPTX and the PDF of one deck)."""

    def __init__(self, *sinks: SlideSink) -> None:
        self.sinks = sinks

    def start(self, deck: Deck) -> None:
        for sink in self.sinks:
            sink.start(deck)

    def add(self, slide: Slide) -> None:
        for sink in self.sinks:
            sink.add(slide)
