"""The one formatting layer: numbers, percents, dates, Plotly separators, Excel number formats."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import math
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

MISSING = "–"
DEMO_MARK = "Dữ liệu minh họa / Illustrative data"
SEPARATORS = {"vi": ",.", "en": ".,"}  # Plotly: decimal mark, then thousands separator
EXCEL_DATE = "dd/mm/yyyy"
_DEMO: ContextVar[bool] = ContextVar("papi_demo", default=False)


def is_missing(x: Any) -> bool:
    """None, NaN, NaT or pandas NA."""
    if x is None:
        return True
    if isinstance(x, dt.date) and not hasattr(x, "to_pydatetime"):
        return False
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        pass
    try:
        import pandas as pd

        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def num(x: Any, lang: str = "vi", digits: int = 2, sign: bool = False) -> str:
    """A number with decimal comma (vi: 1.234,56) or point (en: 1,234.56); '–' if missing."""
    if is_missing(x):
        return MISSING
    value = float(x)
    if round(value, digits) == 0:  # a tiny negative is shown as 0, never '-0,00'
        value = 0.0
    text = f"{value:{'+' if sign else ''},.{digits}f}"
    if lang != "en":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def integer(x: Any, lang: str = "vi") -> str:
    """An integer with the language's thousands separator; '–' if missing."""
    return num(x, lang, digits=0)


def pct(x: Any, lang: str = "vi", digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.856 → '85,6%' (vi) / '85.6%' (en); '–' if missing."""
    return MISSING if is_missing(x) else num(float(x) * 100, lang, digits) + "%"


def _as_datetime(d: Any) -> dt.datetime | dt.date | None:
    if d is None or (not isinstance(d, str) and is_missing(d)):
        return None
    if isinstance(d, str):
        text = d.strip()
        if not text:
            return None
        return dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text)
    if hasattr(d, "to_pydatetime"):
        return d.to_pydatetime()
    return d


def date(d: Any, lang: str = "vi") -> str:
    """A date as dd/mm/yyyy (both languages, as Vietnamese documents write it); '' if missing."""
    v = _as_datetime(d)
    return "" if v is None else f"{v.day:02d}/{v.month:02d}/{v.year:04d}"


def datetime(d: Any, lang: str = "vi") -> str:
    """A timestamp as dd/mm/yyyy HH:MM (no seconds, no microseconds); '' if missing."""
    v = _as_datetime(d)
    if v is None:
        return ""
    if not isinstance(v, dt.datetime):
        return date(v, lang)
    return f"{date(v, lang)} {v.hour:02d}:{v.minute:02d}"


def separators(lang: str = "vi") -> str:
    """Plotly `layout.separators` for the language: ',.' (vi) or '.,' (en)."""
    return SEPARATORS["en" if lang == "en" else "vi"]


def excel_number_format(digits: int = 2) -> str:
    """The Excel number format of a number with `digits` decimals ('#,##0.00').

    Excel stores the format with '.' and shows it with the reader's locale marks, so the cell
    stays a number (sums, sorting) and a Vietnamese Excel shows 47,82.
    """
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def excel_percent_format(digits: int = 1) -> str:
    """The Excel format of a share 0–1 shown as a percent ('0.0%')."""
    return "0" + ("." + "0" * digits if digits > 0 else "") + "%"


def label(text: Any) -> str:
    """A data label made safe for Plotly: '<b>' and '<a href=…>' are shown, not rendered."""
    return html.escape("" if is_missing(text) else str(text), quote=False)


def is_demo() -> bool:
    """Whether what is being drawn now comes from the demo warehouse."""
    return _DEMO.get()


def set_demo(flag: bool) -> None:
    """Mark (or unmark) this run's charts and files as made from the demo warehouse."""
    _DEMO.set(bool(flag))


@contextlib.contextmanager
def demo(flag: bool) -> Iterator[None]:
    """Within the block, charts and files carry the demo mark iff `flag`."""
    token = _DEMO.set(bool(flag))
    try:
        yield
    finally:
        _DEMO.reset(token)


def short_path(path: Any) -> str:
    """A file as a user may be shown it: relative to the working folder when inside it, else
    its folder and name — never the server's absolute path."""
    import os
    from pathlib import Path

    if path is None or is_missing(path) or str(path) == "":
        return MISSING
    p = Path(str(path))
    if not p.is_absolute():
        return str(p)
    try:
        rel = os.path.relpath(p)
    except ValueError:
        rel = ""
    if rel and not rel.startswith(".."):
        return rel
    return str(Path(*p.parts[-2:])) if len(p.parts) > 2 else p.name
