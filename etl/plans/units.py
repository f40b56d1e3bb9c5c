"""Section-level unit lines ('Đơn vị chủ trì thực hiện: …') and splitting them into units."""

from __future__ import annotations

import re

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
            if _UNIT_START.match(nxt) and not _PLURAL_HEAD.match(current.strip()):
                units.append(current)
                current = nxt
            else:
                current += sep + nxt
        units.append(current)
    cleaned = [re.sub(r"\s+", " ", u).strip(" .;,-–") for u in units]
    return [u for u in cleaned if u]
