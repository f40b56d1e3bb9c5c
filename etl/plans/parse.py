"""Parse a PAPI plan (.txt, .docx, .pdf, .xlsx) into metadata, targets and actions by dimension."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Set
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from etl.plans.dimensions import (
    DIMENSIONS,
    GENERAL,
    classify_heading,
    dimension_code_by_number,
    heading_core,
)
from etl.plans.doctable import header_map, table_actions
from etl.plans.doubts import header_names, review
from etl.plans.due import DUE_LABEL, Due, parse_due
from etl.plans.meta import read_metadata, warn
from etl.plans.model import SUFFIXES, Action, Plan, Target, fingerprint
from etl.plans.readers import Document, TooLargeError, read_document
from etl.plans.structure import is_target, papi_part, split_tasks, task_parts
from etl.plans.text import fold
from etl.plans.units import HEADER_NAMES, unit_line
from etl.problems import InputError, Problem, num_vi

_TABLE = "⟦BẢNG {}⟧."
_TABLE_RX = re.compile(r"^⟦BẢNG (\d+)⟧\.$")
EXPECTED = ("một kế hoạch PAPI: tiêu đề 'KẾ HOẠCH … (PAPI)' và mục II (Nội dung / Nhiệm vụ, "
            "giải pháp) chia theo lĩnh vực PAPI / a PAPI plan: a 'KẾ HOẠCH … PAPI' title and a "
            "section II with one heading per PAPI dimension")


class NotAPlanError(InputError):
    """The file is readable but is no PAPI plan at all (a build skips it)."""


_TERMINAL = tuple(".;:!?…") + ("./", "/.")
_BULLET = re.compile(r"^(?:[-–—+•*●▪◦]\s*|(?:\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s+)")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*\S")
_ROMAN = re.compile(r"^([IVX]+)\s*[.:\-–)]\s*(.+)$")
_DIM_STARTS = ("tham gia cua nguoi dan", "su tham gia", "cong khai", "trach nhiem giai trinh",
               "kiem soat tham nhung", "thu tuc hanh chinh", "cung ung dich vu", "quan tri moi",
               "quan tri dien tu", "cong tac chi dao", "chi dao dieu hanh")


def _fail(path: Path, message: str, found: str | None = None, cls: type = InputError):
    raise cls([Problem(str(path), message, found=found, allowed=EXPECTED,
                       action="Kiểm tra lại tệp / check the file")])


_DUE_COLON = re.compile(r"(?:thời gian|thời hạn)[^:;.]{0,25}:$", re.IGNORECASE)


def paragraphs(lines: list[str]) -> list[str]:
    """Non-empty paragraphs, markup stripped, a sentence split by a page break joined again."""
    out: list[str] = []
    for raw in lines:
        line = re.sub(r"\*\*|__", "", raw).strip()
        if not line:
            continue
        if out and not _BULLET.match(line) and (
                not out[-1].endswith(_TERMINAL) and (line[0].islower() or line[0].isdigit())
                or _DUE_COLON.search(out[-1]) and parse_due(line) is not None):
            out[-1] = f"{out[-1]} {line}"  # a sentence, or a 'thời gian: …' value, wrapped
        else:
            out.append(line)
    return out


_ANNEX_TITLES = ("danh muc nhiem vu", "danh muc cac nhiem vu", "phu luc nhiem vu",
                 "nhiem vu, giai phap", "bang phan cong nhiem vu")


def looks_like_plan(paras: list[str]) -> bool:
    """A 'KẾ HOẠCH' title line and PAPI (by name or acronym) near the top of the document."""
    head = [fold(p) for p in paras[:40]]
    titled = any(p.startswith("ke hoach") and not p.startswith("ke hoach so")
                 or p.startswith(_ANNEX_TITLES) and "ke hoach" in p for p in head)
    text = " ".join(head)
    return titled and ("papi" in text or "hieu qua quan tri va hanh chinh" in text)


def _flatten(doc: Document) -> tuple[list[str], list[list[list[str]]]]:
    """Lines of the document with a marker line where each task table stands, and the tables."""
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    gap: list[str] | None = None  # lines since the last task table (None: no task table yet)
    cut = doc.cut_tables
    for block in doc.blocks:
        if isinstance(block, str):
            lines.append(block)
            if gap is not None:
                gap.append(block)
        elif (head := header_map(block)) is None and gap is not None and _continues(tables, gap, block):
            tables[-1].extend(block)  # a task table continued (next page, second table)
            del lines[len(lines) - len(gap):]
            lines.append("")
            gap = []
        elif head is not None:
            for row in block[: head[0]]:  # a title block above the header (Excel task lists)
                lines.extend(dict.fromkeys(c for c in row if c))
            lines += ["", _TABLE.format(len(tables)), ""]
            tables.append(block[head[0]:])
            gap = []
        else:  # a layout table (header, signature): its cells as lines, merged cells once
            if tables and _task_rows(block):  # task rows the reader could not join: say so
                cut.add(len(tables) - 1)
            for row in block:
                for cell in dict.fromkeys(c for c in row if c):
                    lines.extend(cell.split("\n"))
            lines.append("")
    return lines, tables


_PAGE_NUMBER = re.compile(r"^[-–\s]{0,3}(?:trang\s)?\d{1,3}(?:\s?/\s?\d{1,3})?[-–\s]{0,3}$",
                          re.IGNORECASE)


def _task_rows(block: list[list[str]]) -> bool:
    """Rows numbered '1', '2.' … with text beside: a piece of a task table, not a layout."""
    numbered = [r for r in block if r and re.fullmatch(r"\d{1,3}\.?", r[0].strip())
                and sum(bool(c) for c in r) >= 3]
    return len(numbered) >= 2


def _continues(tables: list, gap: list[str] | None, block: list[list[str]]) -> bool:
    """A headerless table right after a task table (only blanks or page numbers between) with
    as many columns continues it."""
    if not tables or gap is None or not block:
        return False
    width = max(len(r) for r in tables[-1])
    return (max(len(r) for r in block) == width
            and all(not g.strip() or _PAGE_NUMBER.match(g) or "tiep theo" in fold(g)
                    and len(g) < 60 for g in gap))


def parse_plan(path: str | Path) -> Plan:
    """Read one plan document; raises InputError (NotAPlanError if it is no PAPI plan)."""
    path = Path(path)
    if not path.is_file():
        _fail(path, "Không tìm thấy tệp / file not found")
    if path.suffix.lower() not in SUFFIXES:
        _fail(path, "Chỉ đọc được kế hoạch .txt, .docx, .pdf hoặc .xlsx / only .txt, .docx, "
              ".pdf or .xlsx plans can be read", found=path.suffix, cls=NotAPlanError)
    try:
        doc = read_document(path)
    except TooLargeError as exc:
        _fail(path, "Tệp quá lớn so với một kế hoạch (giới hạn để đọc an toàn) / file far larger "
              "than any plan", found=str(exc))
    except Exception as exc:  # noqa: BLE001 - docx/pdf/xlsx libraries raise their own types
        # A workbook we cannot read is most likely some other input, not a plan.
        cls = NotAPlanError if path.suffix.lower() == ".xlsx" else InputError
        known = (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError)
        _fail(path, f"Không mở được tệp {path.suffix} (hỏng hoặc có mật khẩu?) / the file cannot "
              "be opened (damaged or password-protected?)",
              found=str(exc)[:200] if isinstance(exc, known) else type(exc).__name__, cls=cls)
    lines, tables = _flatten(doc)
    paras = paragraphs(lines)
    if path.suffix.lower() == ".xlsx" and not tables:  # a workbook is a plan only as a task list
        _fail(path, "Bảng tính không có danh sách nhiệm vụ (dòng tiêu đề 'Nhiệm vụ … Chủ trì … "
              "Thời gian') / the workbook has no task list", found=paras[0][:80] if paras else
              "(trống / empty)", cls=NotAPlanError)
    if not looks_like_plan(paras):
        _fail(path, "Tệp này không phải kế hoạch PAPI / this file is not a PAPI plan",
              found=(paras[0][:80] if paras else "(tệp rỗng / empty file)"), cls=NotAPlanError)
    plan = Plan(source=path, fingerprint=fingerprint(paras))
    plan.is_demo = "du lieu minh hoa" in fold(" ".join(paras[:10]))
    plan.ocr_confidence = doc.ocr_confidence
    if doc.ocr_pages and doc.ocr_confidence is not None:  # both set by the OCR together
        warn(plan, f"Văn bản được nhận dạng từ ảnh quét (OCR, {doc.ocr_pages} trang, độ tin "
              f"cậy trung bình {doc.ocr_confidence:.0f}%); hãy đối chiếu với bản gốc / text read "
              "by OCR from a scan; check against the original",
              found=f"OCR {num_vi(doc.ocr_confidence, '.1f')}")
    for note, todo in doc.notes:
        warn(plan, note, action=todo)
    read_metadata(plan, paras)
    token = HEADER_NAMES.set(header_names(plan, paras))
    try:
        _actions(plan, paras, tables, doc.cut_tables)
    finally:
        HEADER_NAMES.reset(token)
    if not plan.actions:
        _fail(path, "Kế hoạch không có mục nhiệm vụ theo lĩnh vực PAPI nào / no PAPI dimension "
              "section with actions was found", found=f"{len(paras)} đoạn văn / paragraphs")
    return plan


_LETTERED = re.compile(r"^[a-zđ]\s*\)\s")


def is_heading(p: str) -> str | None:
    """The section code if the paragraph is a section heading, else None."""
    words = len(p.split())
    if _BULLET.match(p) and not _NUMBERED.match(p):
        return None
    code = dimension_code_by_number(p) or classify_heading(p)
    if _LETTERED.match(p):  # a) … đ) are tasks unless a short one names a dimension
        ok = code and code != GENERAL and words <= 10 and not DUE_LABEL.search(p)
        return code if ok and " chủ trì" not in p else None
    if _NUMBERED.match(p):
        if code and code != GENERAL and words <= 25 and not p.endswith(";"):
            return code
        if words <= 15 and not p.endswith((".", ";")) or (words <= 6 and p.endswith(".")):
            return code or GENERAL
        return None
    if _ROMAN.match(p):
        return code if code and words <= 25 and not p.endswith(";") else None
    core = heading_core(p)
    if code and words <= 14 and not p.endswith((".", ";")) and (
            re.match(r"(noi dung|chi so|linh vuc)", fold(p)) or core.startswith(_DIM_STARTS)):
        return code
    return None


def _ends_section(p: str) -> bool:
    f = fold(p)
    return f.startswith(("noi nhan", "tren day la")) or bool(
        _ROMAN.match(p) and is_heading(p) in (None, GENERAL) and not re.search(
            r"noi dung|nhiem vu|giai phap", f))


def _section_bounds(paras: list[str]) -> tuple[int, int]:
    start = None
    for i, p in enumerate(paras):
        m = _ROMAN.match(p)
        if m and re.search(r"noi dung|nhiem vu|giai phap", fold(m.group(2))) and (
                is_heading(p) in (None, GENERAL)):
            start = i + 1
            break
    if start is None:
        start = next((i for i, p in enumerate(paras) if (c := is_heading(p)) and c in DIMENSIONS
                      and c != GENERAL), None)
    if start is None:
        return 0, 0
    end = next((i for i in range(start, len(paras)) if _ends_section(paras[i])), len(paras))
    return start, end


_REPORTING = re.compile(r"\bbao cao\b|\bgui ve\b|\btong hop\b")


def _deadline(plan: Plan, paras: list[str]) -> None:
    """A plan-wide deadline ('Thời gian hoàn thành: trước 30/11/2026') outside the task lists;
    a reporting clause ('báo cáo kết quả … trước ngày 15/6') is no deadline of the tasks."""
    for p in paras:
        if _TABLE_RX.match(p) or len(p) > 400:
            continue
        for m in DUE_LABEL.finditer(p):
            clause = re.split(r"[.;]\s", p[: m.start()])[-1]
            if _REPORTING.search(fold(clause)):
                continue
            rest = p[m.end():] if ":" in m.group(0) else p[m.start():]
            if (due := parse_due(rest[:80], plan.year)) is not None and due.on:
                plan.deadline = Due(due.on, due.text + " (hạn chung của kế hoạch)")
                return


def _actions(plan: Plan, paras: list[str], tables: list[list[list[str]]],
             cut: Set[int] = frozenset()) -> None:
    part = papi_part(paras)
    lo, hi = part if part else (0, len(paras))
    start, end = _section_bounds(paras[lo:hi])
    start, end = start + lo, end + lo
    for i, p in enumerate(paras):  # goals outside the task lists (of PAPI, in combined plans)
        if (i < start or i >= end) and is_target(p) and not _TABLE_RX.match(p) and (
                part is None or lo <= i < hi or "papi" in fold(p)):
            plan.targets.append(Target(p))
    table_rows = [(i, int(m.group(1))) for i, p in enumerate(paras[lo:hi], start=lo)
                  if (m := _TABLE_RX.match(p))]
    actions: list[Action] = []
    if table_rows:
        for i, k in table_rows:
            heads = [c for p in paras[start:i] if (c := is_heading(p))] if start <= i else []
            found = table_actions(tables[k], plan.year, heads[-1] if heads else None) or []
            for a in found:
                a.seq = len(actions) + 1
                actions.append(a)
            if found and k in cut:
                found[-1].doubts.append("bảng nhiệm vụ dừng trước khi hết văn bản (còn dòng "
                                        "nhiệm vụ ở bảng sau không ghép được)")
    else:
        actions = _section_actions(plan, paras[start:end])
    _deadline(plan, [p for j, p in enumerate(paras) if j < start or j >= end])
    for a in actions:
        if a.due is None and plan.deadline is not None:
            a.due = plan.deadline
            a.doubts.append("hạn lấy theo hạn chung của kế hoạch")
    plan.actions = actions
    review(plan)


def _section_actions(plan: Plan, paras: list[str]) -> list[Action]:
    sections: list[tuple[str, list[Action], list[str], list[str]]] = []
    for p in paras:
        if (units := unit_line(p)) is not None:
            if sections:
                sections[-1][2].extend(units[0])
                sections[-1][3].extend(units[1])
            continue
        if code := is_heading(p):
            sections.append((code, [], [], []))
            continue
        if not sections or (p.endswith(":") and len(p.split()) <= 8):
            continue
        body = _BULLET.sub("", p).strip()
        if is_target(body):
            plan.targets.append(Target(body, sections[-1][0]))
            continue
        for task in split_tasks(body):
            text, due, lead, coord = task_parts(task, plan.year)
            if not text and sections[-1][1] and (lead or coord):  # "Giao … thực hiện." alone
                prev = sections[-1][1][-1]
                prev.lead_units += lead
                prev.coordinating_units += coord
                continue
            if text:
                sections[-1][1].append(Action(0, sections[-1][0], text, lead, coord, due=due))
    actions: list[Action] = []
    for code, acts, lead, coord in sections:
        for a in acts:
            a.seq = len(actions) + 1
            a.dimension = code
            a.lead_units = list(dict.fromkeys(a.lead_units or lead))
            a.coordinating_units = list(dict.fromkeys(a.coordinating_units or coord))
            actions.append(a)
    return actions
