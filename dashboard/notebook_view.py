"""What an analyst notebook looks at: warehouse, province and year from the environment, checked."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from dashboard import data


@dataclass(frozen=True)
class NotebookView:
    db: str | None
    province: str
    province_name: str
    year: int
    years: list[int]
    status: data.Status


def from_env(default_province: str = "01") -> NotebookView:
    """PAPI_DB, PAPI_PROVINCE (vintage-63 code) and PAPI_YEAR (default: the latest year)."""
    db = os.environ.get("PAPI_DB") or None
    province = os.environ.get("PAPI_PROVINCE") or default_province
    status = data.status(db)
    if not status.ok:
        raise RuntimeError(f"Warehouse not usable ({status.state}): {status.path} {status.error}")
    years = data.years(db)
    year = int(os.environ.get("PAPI_YEAR") or years[-1])
    if year not in years:
        raise ValueError(f"PAPI_YEAR={year} not in the warehouse ({years[0]}–{years[-1]})")
    names = data.provinces("63", db).set_index("code")
    if province not in names.index:
        raise ValueError(f"PAPI_PROVINCE={province!r} is not a vintage-63 province code")
    from dashboard import fmt as f

    f.set_demo(data.is_demo(db))  # charts drawn from the demo carry the demo mark
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    return NotebookView(db, province, names.loc[province, "name_vi"], year, years, status)


def vi(value: object, sign: bool = False) -> str:
    """A number for a Vietnamese sentence: decimal comma, 2 decimals, '–' when missing
    (dashboard.fmt, the one formatting layer)."""
    from dashboard import fmt as f

    return f.num(value, "vi", 2, sign)


def fmt(value: object, sign: bool = False) -> str:
    """Machine-checkable number: 2 decimals, 'NA' when missing."""
    return "NA" if pd.isna(value) else f"{float(value):{'+' if sign else ''}.2f}"
