"""A plan's metadata: number, issue date, year, province and vintage, parent plan, agency, signer."""

from __future__ import annotations

import re
from datetime import date

from etl import ref
from etl.plans import issuer
from etl.plans.model import Plan
from etl.plans.text import fold
from etl.problems import Problem

_DATE = re.compile(r"ngày\s*(\d{0,2})\s*tháng\s*(\d{0,2})\s*năm\s*(\d{4})|,\s*ngày\s*"
                   r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_NUMBER = re.compile(r"\bS[ốố]\s*(?:hiệu)?\s*:\s*(\d*)\s*/\s*([A-Za-zĐđ0-9][A-Za-zĐđ0-9\-.]*)")
_PARENT = re.compile(
    r"Kế hoạch số\s*(\d+)\s*/\s*([A-Za-zĐđ0-9\-]+?)\s*,?\s*ngày\s*(?:(\d{1,2})\s*[/.\-]\s*"
    r"(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4}))",
    re.IGNORECASE)
_ANNEX = re.compile(
    r"Kèm theo Kế hoạch số\s*(\d+)\s*/\s*([A-Za-zĐđ0-9\-]+?)\s*,?\s*ngày\s*(?:(\d{1,2})\s*[/.\-]\s*"
    r"(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4}))"
    r"(?:\s+của\s+((?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)[^;,.)]{0,60}))?", re.IGNORECASE)
_REPLACES = re.compile(r"(?:thay thế|bãi bỏ)\s+Kế hoạch số\s*(\d+)\s*/\s*([A-Za-zĐđ0-9\-]+)",
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


def warn(plan: Plan, message: str, found: str | None = None, action: str | None = None) -> None:
    plan.problems.append(Problem(str(plan.source), message, "warning", found=found,
                                 action=action))


def _safe_date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def read_metadata(plan: Plan, paras: list[str]) -> None:
    """Fill the plan's metadata from its paragraphs; what is missing becomes a warning."""
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
                warn(plan, "Ngày ban hành để trống hoặc không hợp lệ / issue date blank or "
                      "invalid", found=m.group(0))
            place = re.sub(r"^.*?/\s*\S+\s+", "", p[: m.start()]).strip(" ,")
    if plan.number is None and (m := _ANNEX.search(" ".join(head))):  # an annex task list
        plan.symbol = m.group(2).rstrip(".").upper()
        plan.number = f"{int(m.group(1))}/{plan.symbol}"
        g = m.groups()
        plan.issued_on = _safe_date(*g[2:5]) if g[2] else _safe_date(*g[5:8])
        issue_year = plan.issued_on.year if plan.issued_on else issue_year
        place = m.group(9) or place
    if plan.number is None:
        warn(plan, "Số kế hoạch để trống (bản dự thảo?) / plan number is blank (draft?)",
              found=plan.symbol, action="Điền số văn bản khi ban hành / fill in when issued")
    if issue_year is None:
        warn(plan, "Không thấy dòng 'ngày … tháng … năm …' / no issue date line")
    _title_and_year(plan, paras, issue_year)
    _province(plan, paras, place if issue_year is not None else None)
    plan.is_amendment = bool(re.search(r"\bsua doi\b", fold(plan.title or "")))
    for p in paras[:80]:
        if m := _REPLACES.search(p):
            plan.replaces = f"{int(m.group(1))}/{m.group(2).upper()}"
            break
    _parent(plan, paras)
    _agency(plan, paras)
    plan.signer = _signer(paras)
    if plan.signer is None:
        warn(plan, "Không thấy người ký / signer not found (draft?)")


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
        annex = f.startswith(("danh muc", "phu luc")) and "ke hoach" in f and len(f) > 40
        if annex or f.startswith("ke hoach") and not f.startswith("ke hoach so"):
            rest = p if annex else p[len("KẾ HOẠCH"):].strip()
            plan.title = rest if len(rest) > 10 else (paras[i + 1] if i + 1 < len(paras) else "")
            break
    years = re.findall(r"năm\s+(\d{4})", plan.title or "", flags=re.IGNORECASE)
    plan.year = int(years[-1]) if years else issue_year
    if plan.year is None:
        warn(plan, "Không xác định được năm của kế hoạch / plan year not found")


def _parent(plan: Plan, paras: list[str]) -> None:
    for p in paras[:40]:
        if _ANNEX.search(p):  # the plan this annex belongs to is the plan itself
            continue
        for m in _PARENT.finditer(p):
            number = f"{int(m.group(1))}/{m.group(2).upper()}"
            if number in (plan.number, plan.replaces):
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


_ISSUERS = ("cong hoa", "doc lap", "uy ban nhan dan", "ubnd", "tinh ", "thanh pho ", "ke hoach")


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
    for p in paras[:6]:  # another issuer named in the header ('LIÊN MINH HỢP TÁC XÃ TỈNH')
        f = fold(p)
        if f.startswith("so") and ":" in f or re.search(r"\bngay\b", f):
            break
        if p.isupper() and 2 <= len(f.split()) <= 10 and not f.startswith(_ISSUERS):
            plan.agency = _sentence_case(p)
            return
    suffix = (plan.symbol or "").split("-", 1)[-1].upper()
    if suffix in _KNOWN_AGENCIES:
        plan.agency = _KNOWN_AGENCIES[suffix]
        return
    warn(plan, "Không xác định được cơ quan ban hành / issuing agency not found",
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
