"""Units named inside a task's text: '… Sở Nội vụ chủ trì, phối hợp với …', 'Giao … thực hiện'."""

from __future__ import annotations

import re

from etl.plans.units import _LABEL, _UNIT_START, split_units, unit_line

_SEP = ".;:(–-"
_GIAO = re.compile(r"(?:^|[.;(]\s*|,\s*)[Gg]iao\s+(?=\S)")
_DO_THUC_HIEN = re.compile(r"\s+(?:chủ trì\s+)?(?:thực hiện|triển khai|tham mưu)\b")
_COORD = re.compile(r"^\s*,?\s*(?:và\s+)?phối hợp(?:\s+với)?\s+", re.IGNORECASE)


def _clause_start(text: str, end: int, window: int = 240) -> int:
    """Index where the clause ending at `end` begins (after the last . ; : ( – or ', '),
    looked for within `window` characters (unit names are short; keeps long texts linear)."""
    best = max(0, end - window)
    lo = best
    for ch in _SEP:
        i = text.rfind(ch + " ", lo, end)
        if ch in "(" and (j := text.rfind("(", lo, end)) >= 0:
            i = max(i, j)
        best = max(best, i + 1)
    i = text.rfind(", ", best, end)
    while i >= 0 and not _UNIT_START.match(text[i + 2:end]):
        i = text.rfind(", ", best, i)
    return max(best, i + 1 if i >= 0 else 0)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:.–-(")


def split_inline_units(text: str) -> tuple[str, list[str], list[str]]:
    """(task text without the unit phrase, lead units, coordinating units)."""
    for m in _LABEL.finditer(text):  # "…; Cơ quan chủ trì: Sở Nội vụ; phối hợp: …"
        start = m.start()
        if start == 0 or text[start - 1] in " " and text[:start].rstrip()[-1:] in _SEP + ",":
            found = unit_line(text[start:])
            if found is not None and (found[0] or found[1]):
                return _clean(text[:start]), found[0], found[1]
    if (m := _GIAO.search(text)) and (t := _DO_THUC_HIEN.search(text, m.end())):
        lead = split_units(text[m.end():t.start()])
        if lead and _UNIT_START.match(lead[0]):
            rest = text[t.end():]
            coord = _coord(rest)
            return _clean(text[:m.start()] or text[t.end():]), lead, coord
    i = text.find(" chủ trì")
    while i > 0:
        start = _clause_start(text, i)
        lead_text = text[start:i].strip()
        if _UNIT_START.match(lead_text):
            tail = text[i + len(" chủ trì"):]
            coord = _coord(tail)
            body = _clean(text[:start])
            return body, split_units(lead_text), coord
        i = text.find(" chủ trì", i + 1)
    return text, [], []


def _coord(tail: str) -> list[str]:
    m = _COORD.match(tail)
    if not m:
        return []
    rest = tail[m.end():]
    cut = min((k for k in (rest.find(". "), rest.find(")")) if k >= 0), default=len(rest))
    return split_units(rest[:cut])
