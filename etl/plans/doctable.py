"""Task tables (Word, PDF, Excel): header row found by meaning, group rows naming a dimension."""

from __future__ import annotations

import re
from datetime import date, timedelta

from etl.plans.dimensions import GENERAL, classify_heading, dimension_code_by_number
from etl.plans.due import parse_due
from etl.plans.inline import inline_parts
from etl.plans.model import Action
from etl.plans.readers import SUB
from etl.plans.text import fold
from etl.plans.units import split_units

# Column role → folded words a header cell of that role contains (checked in this order).
ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("seq", ("stt", "so tt", "tt")),
    ("coord", ("phoi hop",)),
    ("lead", ("chu tri", "co quan thuc hien", "don vi thuc hien", "co quan", "don vi",
              "trach nhiem")),
    ("due", ("thoi gian", "thoi han", "tien do", "han hoan thanh")),
    ("product", ("san pham", "ket qua dau ra")),
    ("dimension", ("linh vuc", "chi so noi dung", "chi so thanh phan")),
    ("task", ("nhiem vu", "noi dung", "giai phap", "cong viec", "hoat dong", "ten nhiem vu")),
    ("note", ("ghi chu",)),
]


def _role(cell: str) -> str | None:
    f = fold(cell)
    if not f or len(f) > 80:
        return None
    for role, words in ROLES:
        if any(f == w or re.search(rf"\b{w}\b", f) for w in words):
            return role
    return None


def header_map(rows: list[list[str]], limit: int = 15) -> tuple[int, int, dict[str, int]] | None:
    """(first and last header row, role → column) if a header with a task column and a unit or
    time column is among the first `limit` rows (a second header row refines the first); rows
    above it are a title block."""
    for i, row in enumerate(rows[:limit]):
        roles: dict[str, int] = {}
        for j, cell in enumerate(row):
            r = _role(cell)
            if r and r not in roles:
                roles[r] = j
        if "task" in roles and ({"lead", "due", "coord"} & roles.keys()):
            last = i
            if i + 1 < len(rows):  # "Cơ quan thực hiện" over "Chủ trì | Phối hợp"
                sub = {j: _role(c) for j, c in enumerate(rows[i + 1]) if c}
                units = {j: r for j, r in sub.items() if r in ("lead", "coord")}
                if sub and len(units) == len(sub):
                    for j, r in units.items():
                        roles[r] = j
                    last = i + 1
            return i, last, roles
    return None


def _distinct(row: list[str]) -> list[str]:
    return list(dict.fromkeys(c for c in row if c))


def _group_dimension(row: list[str], roles: dict[str, int]) -> str | None:
    """D1…D8/GENERAL if the row is a group row (merged, or only a heading cell filled)."""
    cells = _distinct(row)
    if len(cells) != 1 and not (len(cells) == 2 and re.fullmatch(
            r"[IVXivx]+|[A-Ea-e]|\d+", cells[0].strip(" .)"))):
        return None
    text = cells[-1]
    if len(cells) == 2 and cells[0].strip(" .)").isdigit() and not (
            (c := dimension_code_by_number(text) or classify_heading(text)) and c != GENERAL
            and len(text.split()) <= 14):
        return None  # '2 | Xây dựng kế hoạch …' with no unit or deadline is a task, not a heading
    lead_cells = [row[j] for r, j in roles.items() if r in ("lead", "due", "coord") and j < len(row)]
    if any(c and c != text for c in lead_cells):
        return None
    return dimension_code_by_number(text) or classify_heading(text) or (
        GENERAL if len(text.split()) <= 15 else None)


_DIM_SHORT = re.compile(r"^(?:d|cs|chi so|chi so noi dung|noi dung|linh vuc|tru cot)\s{0,2}"
                        r"(?:so\s)?\s{0,2}([1-8])$")


def dimension_cell(text: str) -> str | None:
    """A dimension column's cell: 'D4', 'Chỉ số 1', 'Nội dung 3', or the dimension's name."""
    f = fold(text).strip(" .:")
    if m := _DIM_SHORT.match(f):
        return f"D{m.group(1)}"
    return dimension_code_by_number(text) or classify_heading(text)


def due_cell(text: str, year: int | None):
    """A deadline cell: a phrase, a dd/mm/yyyy date, or an Excel date serial ('46295')."""
    t = text.replace("\n", " ").strip()
    if re.fullmatch(r"\d{5}", t) and 20_000 < int(t) < 80_000:
        d = date(1899, 12, 30) + timedelta(days=int(t))
        t = f"{d.day:02d}/{d.month:02d}/{d.year}"
    return parse_due(t, year)


def table_actions(rows: list[list[str]], year: int | None,
                  start_dimension: str | None = None) -> list[Action] | None:
    """Actions of a task table (seq from 1), None if the table is no task table."""
    found = header_map(rows)
    if found is None:
        return None
    _, last, roles = found
    dim = start_dimension
    actions: list[Action] = []

    def get(row: list[str], role: str) -> str:
        j = roles.get(role)
        return row[j] if j is not None and j < len(row) else ""

    body = rows[last + 1:]
    for i, row in enumerate(body):
        if not any(row) or all(re.fullmatch(r"\(?\d+\)?", c) for c in row if c):
            continue  # blank row or the "(1) (2) (3)" column-number row
        if header_map([row], 1) is not None:
            continue  # the header repeated (on each page, or pasted again)
        if (g := _group_dimension(row, roles)) is not None:
            dim = g
            continue
        text = re.sub(r"\s+", " ", get(row, "task")).strip()
        if not text:
            continue
        nxt = get(body[i + 1], "task") if i + 1 < len(body) else ""
        if nxt.startswith(SUB) and not text.startswith(SUB):
            continue  # '… gồm:' above its sub-tasks: the sub-tasks are the actions
        text, inline_lead, inline_coord, inline_due = inline_parts(text.removeprefix(SUB), year)
        lead = split_units(get(row, "lead").replace("\n", "; ")) or inline_lead
        coord = split_units(get(row, "coord").replace("\n", "; ")) or inline_coord
        due = inline_due or due_cell(get(row, "due"), year)
        doubts = []
        if not (lead or coord or due) and _numbered(get(row, "seq")):
            doubts.append("dòng đánh số không có đơn vị, thời hạn: đọc là nhiệm vụ, không phải "
                          "tiêu đề mục")
        d = get(row, "dimension")
        code = dimension_cell(d) if d else None
        actions.append(Action(len(actions) + 1, code or dim or GENERAL, text.rstrip(" ;"), lead,
                              coord, due=due, product=get(row, "product") or None,
                              doubts=doubts))
    return actions


def _numbered(seq: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:\.\d{1,2})*\.?", seq.strip()))
