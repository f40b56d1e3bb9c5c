"""Units and times named inside a task's text: '… (Sở Nội vụ chủ trì, phối hợp với …; thường
xuyên)', 'Cơ quan chủ trì: …; cơ quan phối hợp: …; thời gian: …', 'Giao … thực hiện'."""

from __future__ import annotations

import re

from etl.plans.due import DUE_LABEL, Due, parse_due
from etl.plans.text import fold
from etl.plans.units import _LABEL, is_unit_start, split_units

_GIAO = re.compile(r"^[Gg]iao\s+(?=\S)")
# A unit phrase's closing verb: what follows it is a time or nothing ('… thực hiện thường xuyên').
_CLOSING = re.compile(r",?\s+(?:chủ trì\s+)?(?:tổ chức\s+)?(?:thực hiện|triển khai|tham mưu|"
                      r"hoàn thành|theo dõi)\b", re.IGNORECASE)
_COORD = re.compile(r"^\s*,?\s*(?:và\s+)?phối hợp(?:\s+với)?\s+", re.IGNORECASE)
_TIME_START = re.compile(r"^(?:trong\s+|trước\s+|từ\s+|đến\s+|vào\s+)?(?:thường xuyên|hằng|hàng|"
                         r"định kỳ|liên tục|quý|tháng|năm|ngày|\d|6 tháng)", re.IGNORECASE)
_MAX = 400  # a unit or time clause is short; longer clauses are task text


def top_split(text: str, sep: str = "; ") -> list[str]:
    """Split on `sep` outside parentheses (a '(…; thường xuyên)' stays whole)."""
    out: list[str] = []
    depth, start, i, n = 0, 0, 0, len(sep)
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            out.append(text[start:i])
            start = i + n
            i += n
            continue
        i += 1
    out.append(text[start:])
    return out


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:.–-(")


def time_clause(c: str, year: int | None) -> Due | None:
    """The deadline if the clause is only a time phrase ('thường xuyên', 'Quý IV/2026')."""
    c = c.strip(" .;,")
    if not c or len(c) > 80:
        return None
    if m := DUE_LABEL.match(c):
        rest = c[m.end():]
        return parse_due(rest if ":" in m.group(0) else c, year)
    if _TIME_START.match(c) and len(c.split()) <= 8:
        return parse_due(c, year)
    return None


def _units_and_time(value: str, year: int | None) -> tuple[list[str], Due | None]:
    """Units of a phrase ending in a closing verb and/or a time: 'A, B thực hiện thường xuyên'."""
    due = None
    if m := _CLOSING.search(value):
        due = parse_due(value[m.end():], year) if value[m.end():].strip(" .,;") else None
        value = value[: m.start()]
    pieces = [p for p in top_split(value, ", ")]
    while pieces and (d := time_clause(pieces[-1], year)) is not None:  # '…, thường xuyên'
        due = due or d
        pieces.pop()
    return split_units(", ".join(pieces)), due


def unit_clause(c: str, year: int | None) -> tuple[str, list, list, Due | None] | None:
    """(text before the units, lead, coordinating, due) if the clause names units, else None."""
    c = c.strip()
    if not c or len(c) > _MAX:
        return None
    if _LABEL.match(c):  # 'Cơ quan chủ trì: A; cơ quan phối hợp: B'
        labels = list(_LABEL.finditer(c))
        lead: list[str] = []
        coord: list[str] = []
        due = None
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(c)
            units, d = _units_and_time(c[label.end():end], year)
            due = due or d
            (coord if fold(label.group(1)) == "phoi hop" else lead).extend(units)
        return ("", lead, coord, due) if lead or coord else None
    if m := _GIAO.match(c):
        rest = c[m.end():]
        if (t := _CLOSING.search(rest)) and is_unit_start(rest):
            lead = split_units(rest[: t.start()])
            tail = rest[t.end():]
            coord, due = _coord(tail, year)
            if _COORD.match(tail) or not tail.strip(" .,;"):
                return "", lead, coord, due
            if (due := time_clause(tail, year)) is not None:
                return "", lead, [], due
            return _clean(tail), lead, [], None  # 'Giao Sở A thực hiện rà soát …': the task
    if (i := c.find(" chủ trì")) > 0:
        head, prefix = c[:i], ""
        if not is_unit_start(head):
            k = head.rfind(", ")
            while k >= 0 and not is_unit_start(head[k + 2:]):
                k = head.rfind(", ", 0, k)
            if k < 0:
                return None
            prefix, head = head[:k], head[k + 2:]
        tail = c[i + len(" chủ trì"):]
        coord, due = _coord(tail, year)
        if due is None and not coord and (m := _CLOSING.match(tail)):
            due = parse_due(tail[m.end():], year) if tail[m.end():].strip(" .,;") else None
        return prefix, split_units(head), coord, due
    if is_unit_start(c) and (m := _CLOSING.search(c)) and len(c[: m.start()].split()) <= 12:
        rest = c[m.end():].strip(" .,;")
        if rest and time_clause(rest, year) is None:
            return None  # 'Sở Tư pháp thực hiện rà soát …' is a task, not a unit phrase
        lead, due = _units_and_time(c, year)  # 'UBND các xã, phường thực hiện thường xuyên'
        return ("", lead, [], due) if lead else None
    return None


def _coord(tail: str, year: int | None) -> tuple[list[str], Due | None]:
    m = _COORD.match(tail)
    if not m:
        return [], None
    return _units_and_time(tail[m.end():], year)


def _group(inner: str, year: int | None):
    """(lead, coord, due) if every clause of a parenthesis is units or a time, else None."""
    lead: list[str] = []
    coord: list[str] = []
    due = None
    for c in top_split(inner):
        if (d := time_clause(c, year)) is not None:
            due = due or d
        elif (u := unit_clause(c, year)) is not None and not u[0]:
            lead += u[1]
            coord += u[2]
            due = due or u[3]
        else:
            return None
    return (lead, coord, due) if lead or coord or due else None


def unit_group(text: str, year: int | None = None):
    """The (lead, coord, due) of a trailing '( … )' naming units or a time, else None."""
    t = text.rstrip(" .;")
    if not t.endswith(")") or (k := t.rfind("(")) < 0:
        return None
    return _group(t[k + 1:-1], year)


_SENTENCE_END = re.compile(r"(?<=[^\s.]{2})\.\s+")


def _sentences(text: str) -> list[str]:
    """Clauses: ';'-pieces and sentences (a '. ' before a capital), outside parentheses."""
    out: list[str] = []
    for piece in top_split(text):
        start = 0
        for m in _SENTENCE_END.finditer(piece):
            if piece[m.end():m.end() + 1].isupper():
                out.append(piece[start:m.start() + 1])
                start = m.end()
        out.append(piece[start:])
    return out


def inline_parts(text: str, year: int | None = None) -> tuple[str, list, list, Due | None]:
    """(task text without its unit and time phrases, lead units, coordinating units, due)."""
    lead: list[str] = []
    coord: list[str] = []
    due: Due | None = None
    body: list[str] = []
    for c in _sentences(text):
        core, found = c, None
        if (g := unit_group(c, year)) is not None:  # '… (Sở A chủ trì; thường xuyên)'
            core, found = c.rstrip(" .;")[: c.rstrip(" .;").rfind("(")], g
        elif body and (d := time_clause(c, year)) is not None:
            core, found = "", ([], [], d)
        elif (u := unit_clause(c, year)) is not None:
            core, found = u[0], u[1:]
        elif body and (open_at := c.rfind("(")) >= 0 and ")" not in c[open_at:]:
            if (g := _group(c[open_at + 1:], year)) is not None:  # an unclosed '(…'
                core, found = c[:open_at], g
        if found is not None:
            lead = lead or list(found[0])
            coord = coord or list(found[1])
            due = due or found[2]
        if core.strip(" ,;.–-("):
            body.append(core)
    if not lead and not coord and due is None:
        return text, [], [], None
    return _clean("; ".join(_clean(b) for b in body)), lead, coord, due


def split_inline_units(text: str, year: int | None = None) -> tuple[str, list[str], list[str]]:
    """(task text without the unit phrase, lead units, coordinating units)."""
    body, lead, coord, _ = inline_parts(text, year)
    return body, lead, coord
