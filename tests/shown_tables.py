"""The tables a page shows, read back as a user reads them: the grids' frames and the HTML tables' cells."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _Tables(HTMLParser):
    """Every <table>: header cells (th) and body rows (td), as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
            if tag == "th":
                self.tables[-1][0].append(self._row.pop())
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> list[pd.DataFrame]:
    """The tables of an HTML text, each a frame of strings."""
    p = _Tables()
    p.feed(html)
    return [pd.DataFrame(rows, columns=head) for head, rows in p.tables]


def html_tables(at) -> list[pd.DataFrame]:
    """The HTML tables of an AppTest page, in page order."""
    return [t for el in at.html for t in parse(el.proto.body)]


def tables(at) -> list[pd.DataFrame]:
    """Every table of an AppTest page: the grids (st.dataframe) first, then the HTML tables."""
    return [d.value for d in at.dataframe] + html_tables(at)
