"""A person's corrections of parsed plans, applied at every build: etl/ref/plan_corrections.csv
and filled review sheets ('papi plan review') in the inputs, keyed by plan id and fingerprint."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from etl.paths import REF_DIR
from etl.plans.doctable import dimension_cell
from etl.plans.due import Due, parse_due
from etl.plans.model import Action, Plan, text_fingerprint
from etl.plans.text import fold, nfc
from etl.problems import Problem

CSV_PATH = REF_DIR / "plan_corrections.csv"
COLUMNS = ["plan_id", "fingerprint", "text", "dimension", "lead_units", "coordinating_units",
           "deadline", "kind", "note"]
# kind: blank = correct the values given; the others, in the CSV or as written in the sheet
KINDS = {"": "", "sua": "", "not_action": "not_action", "khong phai nhiem vu": "not_action",
         "missing_action": "missing_action", "nhiem vu bo sung": "missing_action",
         "confirmed": "confirmed", "da kiem tra, dung": "confirmed", "dung": "confirmed"}
KIND_VI = {"not_action": "không phải nhiệm vụ", "missing_action": "nhiệm vụ bổ sung",
           "confirmed": "đã kiểm tra, đúng"}
ONGOING = ("thuong xuyen", "ongoing")


@dataclass
class Correction:
    plan_id: str
    fingerprint: str
    text: str = ""
    dimension: str = ""
    lead_units: str = ""
    coordinating_units: str = ""
    deadline: str = ""
    kind: str = ""
    source: str = ""
    where: str = ""
    used: bool = field(default=False, compare=False)


def _units(value: str) -> list[str]:
    return [u.strip() for u in nfc(value).replace("\n", ";").split(";") if u.strip()]


def from_row(row: dict, source: str, where: str) -> Correction | Problem:
    """One correction from a row (CSV or sheet), or the problem that makes it unusable."""
    get = {k: nfc(str(row.get(k) or "")).strip() for k in COLUMNS}
    kind = KINDS.get(fold(get["kind"]))
    if kind is None:
        return Problem(source, "Loại hiệu chỉnh không hiểu được / unknown correction kind",
                       "warning", cell=where, found=get["kind"],
                       allowed="để trống, " + ", ".join(KIND_VI.values()))
    fp = get["fingerprint"] or (text_fingerprint(get["text"]) if get["text"] else "")
    if not get["plan_id"] or not fp:
        return Problem(source, "Dòng hiệu chỉnh thiếu mã kế hoạch hoặc nhiệm vụ / a correction "
                       "needs a plan id and an action (fingerprint or text)", "warning",
                       cell=where, found=get["plan_id"] or None)
    return Correction(get["plan_id"], fp, get["text"], get["dimension"], get["lead_units"],
                      get["coordinating_units"], get["deadline"], kind, source, where)


def read_csv(path: Path = CSV_PATH) -> tuple[list[Correction], list[Problem]]:
    """The corrections of the reference file (absent file: none)."""
    if not path.is_file():
        return [], []
    out: list[Correction] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            c = from_row(row, str(path), f"dòng {i}")
            if isinstance(c, Correction):
                out.append(c)
            else:
                problems.append(c)
    return out, problems


def _due(value: str, plan: Plan) -> Due | str:
    """The deadline a person wrote; 'thường xuyên' → ongoing; '' → keep; a string = problem."""
    if fold(value) in ONGOING:
        return Due(None, value, True)
    due = parse_due(value, plan.year)
    if due is None or due.invalid:
        return "invalid"
    return due


def apply(plan: Plan, corrections: list[Correction]) -> list[Problem]:
    """Apply the corrections of this plan in place; problems for values that cannot be used."""
    problems: list[Problem] = []
    mine = [c for c in corrections if c.plan_id == plan.plan_id]
    by_fp = {a.fingerprint: a for a in plan.actions}
    top = max((a.seq for a in plan.actions), default=0)  # added actions never reuse an id
    for c in mine:
        if c.kind == "missing_action":
            if c.fingerprint in by_fp or not c.text:
                c.used = c.fingerprint in by_fp
                continue
            top += 1
            added = Action(top, dimension_cell(c.dimension) or "GENERAL", c.text, corrected=True)
            plan.actions.append(added)
            by_fp[added.fingerprint] = added
        a = by_fp.get(c.fingerprint)
        if a is None:
            continue
        c.used = True
        if c.kind == "not_action":
            plan.actions.remove(a)
            del by_fp[c.fingerprint]
            continue
        fixed: set[str] = {"all"} if c.kind in ("confirmed", "missing_action") else set()
        if c.dimension and (code := dimension_cell(c.dimension)) and code != a.dimension:
            a.dimension = code
            fixed.add("dòng")
        elif c.dimension and not dimension_cell(c.dimension):
            problems.append(_bad(c, "lĩnh vực / dimension", c.dimension, "D1…D8 hoặc tên lĩnh vực"))
        for name in ("lead_units", "coordinating_units"):
            value = getattr(c, name)
            if value and _units(value) != getattr(a, name):
                setattr(a, name, _units(value))
                fixed.update(("đơn vị", "dòng"))
        if c.deadline and not (a.due and c.deadline == a.due.text):  # pre-filled, unchanged
            due = _due(c.deadline, plan)
            if isinstance(due, str):
                problems.append(_bad(c, "hạn / deadline", c.deadline, "dd/mm/yyyy, Quý II/2026, "
                                     "Tháng 6/2026, Năm 2026, thường xuyên"))
            elif (due.on, due.ongoing) != ((a.due.on, a.due.ongoing) if a.due else (None, False)):
                a.due = due
                fixed.update(("hạn", "dòng"))
        if fixed:
            a.corrected = True  # the doubts a person has settled go; the others stay
            a.doubts = [] if "all" in fixed else [d for d in a.doubts
                                                  if not d.startswith(tuple(fixed))]
    return problems


def _bad(c: Correction, what: str, found: str, allowed: str) -> Problem:
    return Problem(c.source, f"Hiệu chỉnh {what} không đọc được; giữ giá trị đã đọc từ kế hoạch "
                   "/ correction value unreadable, the parsed value is kept", "warning",
                   cell=c.where, found=found, allowed=allowed)


def unmatched(corrections: list[Correction], loaded: set[str]) -> list[Problem]:
    """A warning for each correction that no longer matches any action of a loaded plan; one
    per file for a plan that is not loaded at all."""
    out: list[Problem] = []
    absent: dict[tuple[str, str], int] = {}
    for c in corrections:
        if c.used:
            continue
        if c.plan_id not in loaded:
            absent[(c.source, c.plan_id)] = absent.get((c.source, c.plan_id), 0) + 1
            continue
        out.append(Problem(c.source, f"Hiệu chỉnh không còn khớp nhiệm vụ nào của kế hoạch "
                           f"{c.plan_id} (kế hoạch đã sửa?) / correction matches no action any "
                           "more", "warning", cell=c.where, found=c.text[:80] or c.fingerprint,
                           action="Xóa hoặc cập nhật dòng hiệu chỉnh / remove or update the row"))
    for (source, plan_id), n in absent.items():
        out.append(Problem(source, f"{n} dòng hiệu chỉnh cho kế hoạch {plan_id} chưa được nạp "
                           "(không còn khớp) / corrections for a plan that is not loaded",
                           "warning", found=plan_id,
                           action="Đặt tệp kế hoạch vào thư mục đầu vào, hoặc xóa các dòng này / "
                           "add the plan file, or remove the rows"))
    return out
