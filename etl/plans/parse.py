"""Parse a PAPI plan (.txt, .docx, .pdf, .xlsx) into metadata, targets and actions by dimension."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from etl import ref
from etl.plans import issuer
from etl.plans.dimensions import (
    DIMENSIONS,
    GENERAL,
    classify_heading,
    dimension_code_by_number,
    heading_core,
)
from etl.plans.doctable import header_map, table_actions
from etl.plans.due import DUE_LABEL, Due, parse_due
from etl.plans.model import Action, Plan, Target, fingerprint
from etl.plans.readers import Document, TooLargeError, read_document
from etl.plans.structure import is_target, papi_part, split_tasks, task_parts
from etl.plans.text import fold
from etl.plans.units import unit_line
from etl.problems import InputError, Problem

SUFFIXES = (".txt", ".docx", ".pdf", ".xlsx")
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
_DATE = re.compile(r"ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})|,\s*ngày\s*"
                   r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_NUMBER = re.compile(r"\bS[ốố]\s*(?:hiệu)?\s*:\s*(\d*)\s*/\s*([A-Za-zĐđ0-9][A-Za-zĐđ0-9\-.]*)")
_PARENT = re.compile(
    r"Kế hoạch số\s*(\d+)\s*/\s*([A-Za-zĐđ0-9\-]+?)\s*,?\s*ngày\s*(?:(\d{1,2})\s*[/.\-]\s*"
    r"(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4}))",
    re.IGNORECASE)
_AGENCY = re.compile(
    r"((?:Sở|Ban|Văn phòng|Thanh tra|Ủy ban|UBND|Cục|Chi cục|Trung tâm|Đài|Bảo hiểm|Công an|"
    r"Bộ Chỉ huy|Kho bạc|Cục Thuế)\s[^,.;:()]*?)\s+(?:xây dựng|ban hành)\s+(?:Kế hoạch|kế hoạch)")
_AGENCY_END = re.compile(r"Kế hoạch[^.]*? của ((?:Sở|Ban|Văn phòng|Thanh tra)\s[^,.;:()]*?)"
                         r"(?: tỉnh [^,.;]*?)?\s+năm\s+\d{4}")
_KNOWN_AGENCIES = {
    "SNV": "Sở Nội vụ", "STC": "Sở Tài chính", "STP": "Sở Tư pháp", "SYT": "Sở Y tế",
    "SXD": "Sở Xây dựng", "SCT": "Sở Công Thương", "SGTVT": "Sở Giao thông vận tải",
    "STTTT": "Sở Thông tin và Truyền thông", "SGDĐT": "Sở Giáo dục và Đào tạo",
    "SKHĐT": "Sở Kế hoạch và Đầu tư", "STNMT": "Sở Tài nguyên và Môi trường",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn", "SKHCN": "Sở Khoa học và Công nghệ",
    "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội", "SNGV": "Sở Ngoại vụ",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch", "BDT": "Ban Dân tộc",
    "UBND": "Ủy ban nhân dân tỉnh",
}
_SIGN_TITLES = re.compile(r"giam doc|chu tich|truong|\bkt\b|\btm\b|\bq\.|thu truong|nguoi ky")
_DIM_STARTS = ("tham gia cua nguoi dan", "su tham gia", "cong khai", "trach nhiem giai trinh",
               "kiem soat tham nhung", "thu tuc hanh chinh", "cung ung dich vu", "quan tri moi",
               "quan tri dien tu", "cong tac chi dao", "chi dao dieu hanh")


def _fail(path: Path, message: str, found: str | None = None, cls: type = InputError):
    raise cls([Problem(str(path), message, found=found, allowed=EXPECTED,
                       action="Kiểm tra lại tệp / check the file")])


def paragraphs(lines: list[str]) -> list[str]:
    """Non-empty paragraphs, markup stripped, a sentence split by a page break joined again."""
    out: list[str] = []
    for raw in lines:
        line = re.sub(r"\*\*|__", "", raw).strip()
        if not line:
            continue
        if (out and not out[-1].endswith(_TERMINAL) and line[0].islower()
                and not _BULLET.match(line)):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def looks_like_plan(paras: list[str]) -> bool:
    """A 'KẾ HOẠCH' title line and PAPI (by name or acronym) near the top of the document."""
    head = [fold(p) for p in paras[:40]]
    titled = any(p.startswith("ke hoach") and not p.startswith("ke hoach so") for p in head)
    text = " ".join(head)
    return titled and ("papi" in text or "hieu qua quan tri va hanh chinh" in text)


def _flatten(doc: Document) -> tuple[list[str], list[list[list[str]]]]:
    """Lines of the document with a marker line where each task table stands, and the tables."""
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    for block in doc.blocks:
        if isinstance(block, str):
            lines.append(block)
        elif (head := header_map(block)) is not None:
            for row in block[: head[0]]:  # a title block above the header (Excel task lists)
                lines.extend(dict.fromkeys(c for c in row if c))
            lines += ["", _TABLE.format(len(tables)), ""]
            tables.append(block[head[0]:])
        else:  # a layout table (header, signature): its cells as lines, merged cells once
            for row in block:
                for cell in dict.fromkeys(c for c in row if c):
                    lines.extend(cell.split("\n"))
            lines.append("")
    return lines, tables


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
    if doc.ocr_pages:
        _warn(plan, f"Văn bản được nhận dạng từ ảnh quét (OCR, {doc.ocr_pages} trang, độ tin "
              f"cậy trung bình {doc.ocr_confidence:.0f}%); hãy đối chiếu với bản gốc / text read "
              "by OCR from a scan; check against the original",
              found=f"OCR {doc.ocr_confidence:.1f}".replace(".", ","))
    _metadata(plan, paras)
    _actions(plan, paras, tables)
    if not plan.actions:
        _fail(path, "Kế hoạch không có mục nhiệm vụ theo lĩnh vực PAPI nào / no PAPI dimension "
              "section with actions was found", found=f"{len(paras)} đoạn văn / paragraphs")
    return plan


def _warn(plan: Plan, message: str, found: str | None = None, action: str | None = None) -> None:
    plan.problems.append(Problem(str(plan.source), message, "warning", found=found,
                                 action=action))


def _safe_date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _metadata(plan: Plan, paras: list[str]) -> None:
    head = paras[:25]
    issue_year = None
    place = None
    for p in head:
        if (m := _NUMBER.search(p)) and plan.symbol is None:
            plan.symbol = m.group(2).rstrip(".").upper()
            if m.group(1):
                plan.number = f"{int(m.group(1))}/{plan.symbol}"
        if (m := _DATE.search(p)) and issue_year is None:
            d, mo, y = m.groups()[:3] if m.group(3) else m.groups()[3:]
            issue_year = int(y)
            plan.issued_on = _safe_date(d, mo, y) if d and mo else None
            if plan.issued_on is None:
                _warn(plan, "Ngày ban hành để trống hoặc không hợp lệ / issue date blank or "
                      "invalid", found=m.group(0))
            place = re.sub(r"^.*?/\s*\S+\s+", "", p[: m.start()]).strip(" ,")
    if plan.number is None:
        _warn(plan, "Số kế hoạch để trống (bản dự thảo?) / plan number is blank (draft?)",
              found=plan.symbol, action="Điền số văn bản khi ban hành / fill in when issued")
    if issue_year is None:
        _warn(plan, "Không thấy dòng 'ngày … tháng … năm …' / no issue date line")
    _title_and_year(plan, paras, issue_year)
    _province(plan, paras, place if issue_year is not None else None)
    plan.is_amendment = bool(re.search(r"\bsua doi\b", fold(plan.title or "")))
    _parent(plan, paras)
    _agency(plan, paras)
    plan.signer = _signer(paras)
    if plan.signer is None:
        _warn(plan, "Không thấy người ký / signer not found (draft?)")


def _province(plan: Plan, paras: list[str], place: str | None) -> None:
    """Province and vintage from the issuer lines ('UBND TỈNH …'), the place line, the body."""
    head = [p for p in paras[:12] if not fold(p).startswith(("can cu", "thuc hien"))]
    found = issuer.resolve(place, head, paras[:60], plan.issued_on, plan.year)
    plan.vintage = issuer.plan_vintage(plan.issued_on, plan.year)
    if found is None:
        plan.problems.append(Problem(
            str(plan.source), "Không xác định được tỉnh ban hành kế hoạch / the plan's province "
            "cannot be found", found=place or (head[0][:60] if head else None),
            allowed=f"một tỉnh, thành phố của danh mục {plan.vintage} tỉnh / a province of the "
            f"{plan.vintage}", action="Ghi rõ 'UBND TỈNH …' ở đầu văn bản / name the province"))
        return
    plan.vintage, plan.province_code = found
    plan.province = ref.province_name(plan.province_code, plan.vintage)


def _title_and_year(plan: Plan, paras: list[str], issue_year: int | None) -> None:
    for i, p in enumerate(paras[:30]):
        f = fold(p)
        if f.startswith("ke hoach") and not f.startswith("ke hoach so"):
            rest = p[len("KẾ HOẠCH"):].strip()
            plan.title = rest if len(rest) > 10 else (paras[i + 1] if i + 1 < len(paras) else "")
            break
    years = re.findall(r"năm\s+(\d{4})", plan.title or "", flags=re.IGNORECASE)
    plan.year = int(years[-1]) if years else issue_year
    if plan.year is None:
        _warn(plan, "Không xác định được năm của kế hoạch / plan year not found")


def _parent(plan: Plan, paras: list[str]) -> None:
    for p in paras[:40]:
        for m in _PARENT.finditer(p):
            number = f"{int(m.group(1))}/{m.group(2).upper()}"
            if number == plan.number:
                continue
            g = m.groups()
            plan.parent_number = number
            plan.parent_issued_on = _safe_date(*g[2:5]) if g[2] else _safe_date(*g[5:8])
            return


def _sentence_case(s: str) -> str:
    """'SỞ Y TẾ' → 'Sở Y tế': first word and the word after 'Sở'/'Ban' capitalised."""
    words = s.strip().lower().split()
    if len(words) > 1 and fold(words[0]) in ("so", "ban"):
        words[1] = words[1][:1].upper() + words[1][1:]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]]) if words else ""


def _agency(plan: Plan, paras: list[str]) -> None:
    body = " ".join(paras[:40])
    m = _AGENCY.search(body) or _AGENCY_END.search(" ".join(paras))
    if m:
        plan.agency = m.group(1).strip()
        return
    known = {fold(v): v for v in _KNOWN_AGENCIES.values()}
    for p in paras[:8]:
        f = fold(p)
        if p.isupper() and f.startswith(("so ", "ban ", "van phong", "thanh tra")):
            plan.agency = known.get(f, _sentence_case(p))
            return
    suffix = (plan.symbol or "").split("-", 1)[-1].upper()
    if suffix in _KNOWN_AGENCIES:
        plan.agency = _KNOWN_AGENCIES[suffix]
        return
    _warn(plan, "Không xác định được cơ quan ban hành / issuing agency not found",
          found=plan.symbol)


def _signer(paras: list[str]) -> str | None:
    """The name under the signature block (before an appendix 'PHỤ LỤC', if any)."""
    sent = next((i for i, p in enumerate(paras) if fold(p).startswith("noi nhan")), None)
    if sent is not None:
        appendix = next((i for i in range(sent, len(paras))
                         if fold(paras[i]).startswith("phu luc")), None)
        if appendix is not None:
            paras = paras[:appendix]
    tail = [p for p in paras[-12:] if not re.fullmatch(r"[(\[].*(đã ký|ký|sign).*[)\]]", p,
                                                        flags=re.IGNORECASE)]
    for i in range(len(tail) - 1, 0, -1):
        if _SIGN_TITLES.search(fold(tail[i - 1])) and tail[i - 1].isupper():
            cand = tail[i]
            if cand.isupper() or fold(cand).startswith(("luu", "noi nhan", "-")):
                return None
            return cand if i == len(tail) - 1 else None
    return None


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


def _deadline(plan: Plan, paras: list[str]) -> None:
    """A plan-wide deadline ('Thời gian hoàn thành: trước 30/11/2026') outside the task lists."""
    for p in paras:
        if _TABLE_RX.match(p) or len(p) > 400:
            continue
        m = DUE_LABEL.search(p)
        if m and (due := parse_due(p[m.end():], plan.year)) is not None and due.on:
            plan.deadline = Due(due.on, due.text + " (hạn chung của kế hoạch)")
            return


def _actions(plan: Plan, paras: list[str], tables: list[list[list[str]]]) -> None:
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
            for a in table_actions(tables[k], plan.year, heads[-1] if heads else None) or []:
                a.seq = len(actions) + 1
                actions.append(a)
    else:
        actions = _section_actions(plan, paras[start:end])
    _deadline(plan, [p for j, p in enumerate(paras) if j < start or j >= end])
    for a in actions:
        if a.due is None and plan.deadline is not None:
            a.due = plan.deadline
    plan.actions = actions


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
            text, due, lead, coord = task_parts(task)
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
