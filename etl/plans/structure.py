"""Tasks inside a section: bullets, a) … đ), '(1) (2)' inline, ';' sentences; targets; PAPI part."""

from __future__ import annotations

import re

from etl.plans.due import DUE_LABEL, split_due
from etl.plans.inline import inline_parts, time_clause, top_split, unit_clause, unit_group
from etl.plans.text import fold
from etl.plans.units import _UNIT_START

_INLINE_NUM = re.compile(r"(?:^|\s)\((\d{1,2})\)\s")
_TARGET = re.compile(  # on folded text; every repetition bounded
    r"\btang (?:it nhat |toi thieu |tu )?\d{1,2} (?:bac|diem|hang)\b"
    r"|\bphan dau\b.{0,120}?(?:\b\d{1,3}(?:[.,]\d{1,2})? (?:bac|diem)\b"
    r"|\b(?:xep hang|thu hang|top \d|nhom dau|nhom cao)\b)"
    r"|\b(?:chi so|papi)\b.{0,80}?\bdat\b.{0,40}?\b\d{1,3}(?:[.,]\d{1,2})? diem\b"
    r"|\bnam trong nhom\b")
# Headings of the other indexes that share one document with PAPI.
_OTHER_INDEX = re.compile(r"\b(par ?index|sipas|chi so cai cach hanh chinh|chi so hai long|"
                          r"pci|nang luc canh tranh|dti|chuyen doi so cap tinh|pgi)\b")
_PAPI = re.compile(r"\b(papi|hieu qua quan tri va hanh chinh cong)\b")


def _min_words(part: str) -> bool:
    return len(part.split()) >= 5


def _is_tail(part: str) -> bool:
    """A ';' piece that belongs to the task before it: its units or its deadline."""
    p = part.strip()
    if (u := unit_clause(p, None)) is not None and not u[0] or time_clause(p, None):
        return True
    return bool(DUE_LABEL.match(p) or (_UNIT_START.match(p) and " chủ trì" in p)
                or fold(p).startswith(("giao ", "don vi", "co quan", "phoi hop"))
                or not _min_words(p))


def split_tasks(paragraph: str) -> list[str]:
    """One paragraph → its tasks: '(1) … (2) …' items, else ';'-separated sentences."""
    marks = list(_INLINE_NUM.finditer(paragraph))
    if len(marks) >= 2 and [int(m.group(1)) for m in marks[:2]] == [1, 2]:
        head = paragraph[: marks[0].start()].strip()
        parts = [paragraph[m.end(): n.start() if n else len(paragraph)].strip(" ;.,")
                 for m, n in zip(marks, [*marks[1:], None], strict=True)]
        if head and not head.endswith(":"):
            parts.insert(0, head)
        return [p for p in parts if p]
    pieces = [p.strip() for p in top_split(paragraph)]
    if len(pieces) < 2:
        return [paragraph]
    # 'A (Sở X chủ trì, …); b (Sở Y chủ trì, …); c (…).': one task per piece with its own units
    if all(_min_words(p) and unit_group(p) is not None for p in pieces):
        return [p[0].upper() + p[1:] for p in pieces]
    out: list[str] = []
    for p in pieces:
        if out and _is_tail(p):
            out[-1] = f"{out[-1]}; {p}"
        else:
            out.append(p)
    # Tasks are sentences starting with a capital; "…; tăng cường …" continues one task.
    if len(out) >= 2 and all(_min_words(p) and p[0].isupper() for p in out):
        return out
    return [paragraph]


def task_parts(text: str, year: int | None = None):
    """(text, due, lead units, coordinating units) of one task written with inline details."""
    body, lead, coord, due = inline_parts(text, year)
    if due is None:
        body, due = split_due(body, year)
    return body.strip(" ;,"), due, lead, coord


def is_target(paragraph: str) -> bool:
    """'Phấn đấu Chỉ số PAPI tăng ít nhất 02 bậc …' — a goal, not an action."""
    return bool(_TARGET.search(fold(paragraph)[:600]))


def papi_part(paras: list[str]) -> tuple[int, int] | None:
    """(start, end) of the PAPI part of a combined PAR INDEX/SIPAS/PAPI plan, else None."""
    heads: list[tuple[int, str]] = []
    for i, p in enumerate(paras):
        f = fold(p)
        if len(f.split()) > 25 or not re.match(r"^(?:phan\s+)?(?:[ivx]+|[a-e]|\d+)\s*[.):\-–]", f):
            continue
        if _PAPI.search(f):
            heads.append((i, "papi"))
        elif _OTHER_INDEX.search(f):
            heads.append((i, "other"))
    kinds = {k for _, k in heads}
    if kinds != {"papi", "other"}:
        return None
    for n, (i, kind) in enumerate(heads):
        if kind == "papi":
            end = next((j for j, k in heads[n + 1:] if k == "other"), len(paras))
            return i + 1, end
    return None
