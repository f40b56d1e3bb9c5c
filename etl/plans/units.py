"""Section-level unit lines ('Đơn vị chủ trì thực hiện: …') and splitting them into units."""

from __future__ import annotations

import re
from contextvars import ContextVar

from etl.plans.aliases import known_names
from etl.plans.text import fold

# Words a unit's name starts with (case-sensitive, after NFC): a ',' or ' và ' before one of
# them starts a new unit; before anything else it is part of the current unit's name.
UNIT_WORDS = (
    "Phòng", "Văn phòng", "Thanh tra", "Trạm", "Trung tâm", "Sở", "UBND", "Ủy ban", "Uỷ ban",
    "Ban", "Chi cục", "Cục", "Bộ phận", "Đội", "Công an", "Hội", "Đoàn", "Tổ công tác", "Hạt",
    "Bệnh viện", "Trường", "Đài", "Cổng", "Các", "Lãnh đạo", "Công đoàn", "Chi bộ", "Đảng ủy",
)
_WORDS = "|".join(map(re.escape, UNIT_WORDS))
_UNIT_START = re.compile(rf"^(?:{_WORDS})(?=\s|$|[,.;:])")
# "Các Phòng", "Các phòng, ban" …: a plural prefix whose comma continues the same unit.
_PLURAL_HEAD = re.compile(r"^Các\s+\S+$", re.IGNORECASE)

# Names of the plan being read (its agency, from its header): also start a new unit.
HEADER_NAMES: ContextVar[tuple[str, ...]] = ContextVar("HEADER_NAMES", default=())
# Generic units of the province ('các sở, ban, ngành'), known without being named.
_GENERIC = re.compile(r"^(?:cac|toan the|tat ca)\b")


def _known_start(text: str) -> bool:
    f = fold(text)
    return any(f.startswith(k) and (len(f) == len(k) or not f[len(k)].isalnum())
               for k in (*known_names(), *(fold(h) for h in HEADER_NAMES.get())))


def is_unit_start(text: str) -> bool:
    """Does the text start with a unit's name (a unit word or a known unit of ref/aliases)?"""
    t = text.strip()
    return bool(_UNIT_START.match(t)) or _known_start(t)


def is_known_unit(name: str) -> bool:
    """A unit a department would recognise: a known name, a unit word, or 'các sở, ngành…'."""
    return is_unit_start(name) or bool(_GENERIC.match(fold(name)))


_LABEL = re.compile(
    r"(?:(?:đơn vị|cơ quan|bộ phận)\s+)?(chủ trì|phối hợp|thực hiện)(?:\s+thực hiện)?\s*:",
    re.IGNORECASE,
)


def unit_line(line: str) -> tuple[list[str], list[str]] | None:
    """(lead, coordinating) units if the line is a unit line, else None."""
    body = re.sub(r"^[-–+•*]\s*", "", line.strip())
    if not _LABEL.match(body):
        return None
    lead: list[str] = []
    coord: list[str] = []
    labels = list(_LABEL.finditer(body))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
        units = split_units(body[m.end():end])
        (coord if fold(m.group(1)) == "phoi hop" else lead).extend(units)
    return lead, coord


def split_units(value: str) -> list[str]:
    """Split a unit list on ';' always, on ',' / ' và ' only before a new unit's name."""
    value = value.strip().strip(" .;,")
    if ":" in value:  # "Các phòng có TTHC: Phòng A; Phòng B" → the named units
        head, tail = value.rsplit(":", 1)
        if split_units(tail):
            value = tail
    units: list[str] = []
    for chunk in re.split(r"\s*;\s*", value):
        parts = re.split(r"(\s*,\s*|\s+và\s+)", chunk)
        current = parts[0]
        for sep, nxt in zip(parts[1::2], parts[2::2], strict=True):
            if is_unit_start(nxt) and not _PLURAL_HEAD.match(current.strip()):
                units.append(current)
                current = nxt
            else:
                current += sep + nxt
        units.append(current)
    cleaned = [_CLOSING_TAIL.sub("", re.sub(r"\s+", " ", u)).strip(" .;,-–()") for u in units]
    return [u for u in cleaned if u]


# A closing verb left at a unit's end ('UBND các xã, phường thực hiện'): never part of it.
_CLOSING_TAIL = re.compile(r"\s+(?:chủ trì\s+)?(?:tổ chức\s+)?(?:thực hiện|triển khai|tham mưu)"
                           r"(?:\s+(?:thường xuyên|hằng năm|hàng năm|"
                           r"(?:trong|trước|từ|quý|tháng|năm)\s.{0,40}))?$",
                           re.IGNORECASE)
