"""PAPI dimensions D1…D8 (plus GENERAL) and classifying section headings by meaning."""

from __future__ import annotations

import re

from etl.plans.text import fold

GENERAL = "GENERAL"

DIMENSIONS: dict[str, tuple[str, str]] = {
    "D1": ("Tham gia của người dân ở cấp cơ sở", "Participation at local levels"),
    "D2": ("Công khai, minh bạch trong việc ra quyết định ở địa phương",
           "Transparency in local decision-making"),
    "D3": ("Trách nhiệm giải trình với người dân", "Vertical accountability towards citizens"),
    "D4": ("Kiểm soát tham nhũng trong khu vực công", "Control of corruption in the public sector"),
    "D5": ("Thủ tục hành chính công", "Public administrative procedures"),
    "D6": ("Cung ứng dịch vụ công", "Public service delivery"),
    "D7": ("Quản trị môi trường", "Environmental governance"),
    "D8": ("Quản trị điện tử", "E-governance"),
    GENERAL: ("Nhiệm vụ chung (không thuộc lĩnh vực PAPI)", "General tasks (no PAPI dimension)"),
}

# Checked in order; each entry is (code, patterns on folded text). More specific first.
_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("D4", (r"tham nhung",)),
    ("D5", (r"thu tuc hanh chinh", r"\btthc\b")),
    ("D6", (r"dich vu cong", r"cung ung dich vu", r"dich vu su nghiep")),
    ("D7", (r"moi truong",)),
    ("D8", (r"dien tu", r"chuyen doi so", r"so hoa")),
    ("D3", (r"giai trinh",)),
    ("D2", (r"cong khai", r"minh bach")),
    ("D1", (r"tham gia", r"dan chu co so")),
    (GENERAL, (r"chi dao", r"dieu hanh", r"nhiem vu chung", r"giai phap chung",
               r"cong tac chung", r"tuyen truyen", r"to chuc thuc hien chung")),
]

_PREFIX = re.compile(
    r"^(?:(?:chi so )?(?:noi dung|linh vuc|chi so thanh phan|chi so)"
    r"\s*(?:so\s*)?\d*\s*[:.\-–]?\s*)+"
)


def heading_core(text: str) -> str:
    """Folded heading with numbering and 'Nội dung'/'Chỉ số nội dung N:' wrappers removed."""
    s = fold(text)
    s = re.sub(r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])\s*[.)\-–:]\s*", "", s)
    s = _PREFIX.sub("", s)
    return s.strip(" .:;-–")


def classify_heading(text: str) -> str | None:
    """D1…D8 or GENERAL for a section heading, None when it names no known topic."""
    core = heading_core(text)
    if not core:
        return None
    for code, pats in _RULES:
        if any(re.search(p, core) for p in pats):
            return code
    return None


def dimension_name(code: str) -> str:
    return DIMENSIONS.get(code, (code, code))[0]


_BY_NUMBER = re.compile(
    r"^(?:chi so\s+)?(?:noi dung|linh vuc|chi so thanh phan|tru cot)\s+(?:so\s+)?([1-8])(?![.\d])")


def dimension_code_by_number(text: str) -> str | None:
    """'Chỉ số nội dung 3', 'Nội dung số 5: …', 'Lĩnh vực 8' → D3, D5, D8; else None."""
    s = fold(text)
    s = re.sub(r"^(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])\s*[.)\-–:]\s*", "", s)
    m = _BY_NUMBER.match(s)
    return f"D{m.group(1)}" if m else None
