"""Parse a departmental PAPI plan (.txt or .docx) into metadata and actions by dimension."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError

from etl.plans.dimensions import DIMENSIONS, classify_heading, heading_core
from etl.plans.model import Action, Plan, fingerprint
from etl.plans.provinces import find_province_in, lookup_province
from etl.plans.text import fold, read_lines
from etl.plans.units import unit_line
from etl.problems import InputError, Problem

SUFFIXES = (".txt", ".docx")
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


def parse_plan(path: str | Path) -> Plan:
    """Read one plan document; raises InputError (NotAPlanError if it is no PAPI plan)."""
    path = Path(path)
    if not path.is_file():
        _fail(path, "Không tìm thấy tệp / file not found")
    if path.suffix.lower() not in SUFFIXES:
        _fail(path, "Chỉ đọc được tệp .txt hoặc .docx / only .txt or .docx plans can be read",
              found=path.suffix, cls=NotAPlanError)
    try:
        lines = read_lines(path)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        _fail(path, "Không mở được tệp Word / the .docx file cannot be opened", found=str(exc))
    paras = paragraphs(lines)
    if not looks_like_plan(paras):
        _fail(path, "Tệp này không phải kế hoạch PAPI / this file is not a PAPI plan",
              found=(paras[0][:80] if paras else "(tệp rỗng / empty file)"), cls=NotAPlanError)
    plan = Plan(source=path, fingerprint=fingerprint(paras))
    plan.is_demo = "du lieu minh hoa" in fold(" ".join(paras[:10]))
    _metadata(plan, paras)
    plan.actions = _actions(paras)
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
            if found := lookup_province(place):
                plan.province_code, plan.province = found
    if plan.number is None:
        _warn(plan, "Số kế hoạch để trống (bản dự thảo?) / plan number is blank (draft?)",
              found=plan.symbol, action="Điền số văn bản khi ban hành / fill in when issued")
    if issue_year is None:
        _warn(plan, "Không thấy dòng 'ngày … tháng … năm …' / no issue date line")
    text = " ".join(paras)
    if plan.province is None and (found := find_province_in(text)):
        plan.province_code, plan.province = found
    if plan.province is None:
        _warn(plan, "Không xác định được tỉnh / province not recognised")
    _title_and_year(plan, paras, issue_year)
    _parent(plan, paras)
    _agency(plan, paras)
    plan.signer = _signer(paras)
    if plan.signer is None:
        _warn(plan, "Không thấy người ký / signer not found (draft?)")


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
    tail = [p for p in paras[-12:] if not re.fullmatch(r"[(\[].*(đã ký|ký|sign).*[)\]]", p,
                                                        flags=re.IGNORECASE)]
    for i in range(len(tail) - 1, 0, -1):
        if _SIGN_TITLES.search(fold(tail[i - 1])) and tail[i - 1].isupper():
            cand = tail[i]
            if cand.isupper() or fold(cand).startswith(("luu", "noi nhan", "-")):
                return None
            return cand if i == len(tail) - 1 else None
    return None


def is_heading(p: str) -> str | None:
    """The section code if the paragraph is a section heading, else None."""
    words = len(p.split())
    if _BULLET.match(p) and not _NUMBERED.match(p):
        return None
    code = classify_heading(p)
    if _NUMBERED.match(p):
        if code and code != "GENERAL" and words <= 25 and not p.endswith(";"):
            return code
        if words <= 15 and not p.endswith((".", ";")) or (words <= 6 and p.endswith(".")):
            return code or "GENERAL"
        return None
    core = heading_core(p)
    if code and words <= 14 and not p.endswith((".", ";")) and (
            re.match(r"(noi dung|chi so|linh vuc)", fold(p)) or core.startswith(_DIM_STARTS)):
        return code
    return None


def _section_bounds(paras: list[str]) -> tuple[int, int]:
    start = None
    for i, p in enumerate(paras):
        m = _ROMAN.match(p)
        if m and start is None and re.search(r"noi dung|nhiem vu|giai phap", fold(m.group(2))):
            start = i + 1
        elif m and start is not None:
            return start, i
        elif start is not None and fold(p).startswith(("noi nhan", "tren day la")):
            return start, i
    if start is not None:
        return start, len(paras)
    firsts = [i for i, p in enumerate(paras) if (c := is_heading(p)) and c in DIMENSIONS
              and c != "GENERAL"]
    if not firsts:
        return 0, 0
    end = next((i for i in range(firsts[0], len(paras)) if _ROMAN.match(paras[i])
                or fold(paras[i]).startswith(("noi nhan", "tren day la"))), len(paras))
    return firsts[0], end


def _actions(paras: list[str]) -> list[Action]:
    start, end = _section_bounds(paras)
    sections: list[tuple[str, list[str], list[str], list[str]]] = []
    for p in paras[start:end]:
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
        sections[-1][1].append(_BULLET.sub("", p).strip())
    actions: list[Action] = []
    for code, texts, lead, coord in sections:
        for t in texts:
            actions.append(Action(len(actions) + 1, code, t, list(dict.fromkeys(lead)),
                                  list(dict.fromkeys(coord))))
    return actions
