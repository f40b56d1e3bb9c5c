"""A plan's province and vintage from its issuer and issue date, through the one resolver etl.ref."""

from __future__ import annotations

import re
from datetime import date

from etl import ref
from etl.plans.text import fold

# "UBND TỈNH PHÚ THỌ", "Ủy ban nhân dân thành phố Hà Nội", "tỉnh Lạng Sơn" … (folded text).
_PREFIXED = re.compile(r"\b(?:tinh|thanh pho|tp\.?)\s+([a-z][a-z\- ]{1,30})")


def _candidates(text: str) -> list[str]:
    """Names following 'tỉnh'/'thành phố' in a text, in order (1–4 words each, longest first)."""
    out: list[str] = []
    for m in _PREFIXED.finditer(fold(text)):
        words = re.sub(r"[^a-z ]", " ", m.group(1)).split()
        out.extend(" ".join(words[:n]) for n in range(min(4, len(words)), 0, -1))
    return out


def find_province(texts: list[str], vintage: str) -> str | None:
    """The code of the first province named after 'tỉnh'/'thành phố' in `texts` (vintage)."""
    for text in texts:
        for cand in _candidates(text):
            try:
                code = ref.match_province(cand, vintage)
            except ref.AmbiguousProvince:
                continue
            if code:
                return code
    return None


def plan_vintage(issued_on: date | None, year: int | None) -> str:
    """The geography in force when the plan was issued (else for the year it plans)."""
    if issued_on is not None:
        return ref.vintage_for_date(issued_on)
    return ref.NEW if year is not None and year > ref.MERGER_DATE.year else ref.OLD


def place_name(line: str) -> str | None:
    """'Phú Thọ' from the place-and-date line 'Phú Thọ, ngày 05 tháng 8 năm 2025'."""
    m = re.match(r"^\s*([^,0-9]{2,40}?)\s*,\s*ngày", line)
    return m.group(1).strip() if m else None


def resolve(place: str | None, head: list[str], body: list[str], issued_on: date | None,
            year: int | None) -> tuple[str, str] | None:
    """(vintage, code): the issuer's 'tỉnh X' line, else the place line, else the body text."""
    vintage = plan_vintage(issued_on, year)
    code = find_province(head, vintage)
    if code is None and place:
        try:
            code = ref.resolve_province(name=place, vintage=vintage)[1]
        except ref.ProvinceError:
            code = None
    if code is None:
        code = find_province(body, vintage)
    return (vintage, code) if code else None
