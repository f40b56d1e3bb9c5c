"""What an analyst notebook looks at: warehouse, province and year from the environment, checked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import SupportsFloat

import pandas as pd

from dashboard import data
from dashboard.subject import Subject
from dashboard.subject import subject as make_subject
from etl import ref


@dataclass(frozen=True)
class NotebookView:
    db: str | None
    province: str
    province_name: str
    year: int
    years: list[int]
    status: data.Status
    vintage: str  # geography of `province`: '63' (PAPI 2011–2024) or '34' (from 2025)

    def subject(self, lang: str = "vi") -> Subject:
        """The view object the pages and the deck read for this province and year: the same
        headline, score year, actions and overdue count (dashboard.subject)."""
        return make_subject(self.province, self.vintage, self.year, lang, None, self.db)


def from_env(default_province: str = "01") -> NotebookView:
    """PAPI_DB, PAPI_PROVINCE, PAPI_VINTAGE and PAPI_YEAR (default: the latest year).

    PAPI_PROVINCE is a GSO code or a name of either geography, resolved by
    etl.ref.resolve_province: PAPI_VINTAGE ('63' or '34') where a code or name fits both
    (Phú Thọ 25, Tuyên Quang …), else the geography of the year (≤ 2024: 63, later: 34).
    """
    db = os.environ.get("PAPI_DB") or None
    province = os.environ.get("PAPI_PROVINCE") or default_province
    status = data.status(db)
    if not status.ok:
        raise RuntimeError(f"Warehouse not usable ({status.state}): {status.path} {status.error}")
    years = data.years(db)
    year = int(os.environ.get("PAPI_YEAR") or years[-1])
    if year not in years:
        raise ValueError(f"PAPI_YEAR={year} not in the warehouse ({years[0]}–{years[-1]})")
    wanted = os.environ.get("PAPI_VINTAGE") or None
    if wanted not in (None, *ref.VINTAGES):
        raise ValueError(f"PAPI_VINTAGE={wanted!r}: give '63' (until 30/06/2025) or '34'")
    is_code = ref.normalise_code(province) is not None
    try:
        vintage, code = ref.resolve_province(province if is_code else None,
                                             None if is_code else province,
                                             year=year, vintage=wanted)
    except ref.ProvinceError as exc:
        raise ValueError(f"PAPI_PROVINCE={province!r}: {exc}") from exc
    from dashboard import fmt as f

    f.set_demo(data.is_demo(db))  # charts drawn from the demo carry the demo mark
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    return NotebookView(db, code, ref.province_name(code, vintage), year, years, status,
                        vintage)


def vi(value: object, sign: bool = False) -> str:
    """A number for a Vietnamese sentence: decimal comma, 2 decimals, '–' when missing
    (dashboard.fmt, the one formatting layer)."""
    from dashboard import fmt as f

    return f.num(value, "vi", 2, sign)


def fmt(value: SupportsFloat | None, sign: bool = False) -> str:
    """Machine-checkable number: 2 decimals, 'NA' when missing."""
    return "NA" if value is None or pd.isna(value) else f"{float(value):{'+' if sign else ''}.2f}"
