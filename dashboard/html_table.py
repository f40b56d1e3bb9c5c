"""Tables on the pages as plain HTML: no data-grid JavaScript to fetch before the first chart.

Streamlit's data grid (`st.dataframe`) makes the browser fetch and compile ≈ 1.6 MB of JavaScript
on a page's first load, beside Plotly's: the pages with a grid drew their first chart later than
those without (README, Performance). A shown table is a read-only list a user reads or puts on
the meeting screen; sorting and filtering go through the downloads (XLSX, CSV) beside it.
"""

from __future__ import annotations

import datetime as dt
import html
import numbers
import re
import unicodedata
from typing import Any

import pandas as pd

from dashboard import fmt

CLASS = "papi-table"
_NUMBER = re.compile(r"[+\-−]?\d[\d.,\s]*%?")  # a cell read as a figure: aligned right
_STYLE = f"""<style>
.{CLASS}-wrap {{overflow: auto; border: 1px solid rgba(128, 128, 128, 0.3);
  border-radius: 0.5rem; margin-bottom: 0.75rem}}
table.{CLASS} {{border-collapse: collapse; width: 100%; font-size: 0.875rem; line-height: 1.35}}
table.{CLASS} th {{position: sticky; top: 0; z-index: 1; text-align: left; font-weight: 600;
  background: rgb(240, 242, 246); color: rgb(49, 51, 63); padding: 0.4rem 0.6rem;
  border-bottom: 1px solid rgba(128, 128, 128, 0.45); white-space: nowrap}}
table.{CLASS} td {{padding: 0.35rem 0.6rem; border-top: 1px solid rgba(128, 128, 128, 0.18);
  vertical-align: top}}
table.{CLASS} tbody tr:nth-child(even) {{background: rgba(128, 128, 128, 0.06)}}
table.{CLASS} td.mid {{min-width: 6.5rem}}
table.{CLASS} td.long {{min-width: 18rem}}
table.{CLASS} .num {{text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums}}
</style>"""


def cell_text(value: Any, lang: str) -> str:
    """A cell as the page shows it: dates dd/mm/yyyy, whole numbers as they are, others with the
    language's decimal mark, '–' for nothing, text in NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if value is None or fmt.is_missing(value):
        return fmt.MISSING
    if isinstance(value, dt.date):
        return fmt.date(value, lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real)
                                               and float(value).is_integer()):
        return str(int(float(value)))  # ranks, counts and years: no thousands separator
    if isinstance(value, numbers.Real):
        return fmt.num(value, lang)
    return unicodedata.normalize("NFC", str(value))


def to_html(frame: pd.DataFrame, lang: str, *, label: str, max_height: int | None = None) -> str:
    """The frame as an HTML table (header, then rows in order, every cell escaped); a column
    whose cells are all figures is aligned right. `label` names the table for screen readers;
    `max_height` (px) scrolls a long table under its header."""
    columns = [str(c) for c in frame.columns]
    body = [[cell_text(v, lang) for v in row] for row in frame.itertuples(index=False, name=None)]
    kinds = [_kind([r[j] for r in body]) for j in range(len(columns))]
    head = "".join(f'<th scope="col"{_cls("num" if kinds[j] == "num" else "")}>'
                   f"{html.escape(c)}</th>" for j, c in enumerate(columns))
    rows = "".join("<tr>" + "".join(f'<td{_cls(kinds[j])}>{html.escape(v)}</td>'
                                    for j, v in enumerate(r)) + "</tr>" for r in body)
    height = f' style="max-height: {int(max_height)}px"' if max_height else ""
    return (f'{_STYLE}<div class="{CLASS}-wrap"{height}><table class="{CLASS}" '
            f'aria-label="{html.escape(label)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def _kind(cells: list[str]) -> str:
    """'num' (every cell a figure or '–'), 'long' or 'mid' (text wide enough to need a column
    that does not shrink to a word a line), or ''."""
    shown = [c for c in cells if c != fmt.MISSING]
    if shown and all(_NUMBER.fullmatch(c) for c in shown):
        return "num"
    widest = max(map(len, shown), default=0)
    return "long" if widest > 40 else "mid" if widest > 14 else ""


def _cls(kind: str) -> str:
    return f' class="{kind}"' if kind else ""


HEIGHT = 440  # px: about ten rows, as the grid showed; a longer table scrolls under its header


def show(frame: pd.DataFrame, lang: str, *, label: str, max_height: int = HEIGHT) -> None:
    """Draw the table on the page (see to_html)."""
    import streamlit as st

    st.html(to_html(frame, lang, label=label, max_height=max_height))
