"""Unit names across the 2025 department mergers (etl/ref/unit_aliases.csv): one line per unit."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache

from etl.paths import REF_DIR
from etl.plans.text import fold


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(name)).split())


@cache
def aliases() -> dict[str, tuple[str, date]]:
    """Folded old name → (new name, valid from)."""
    with (REF_DIR / "unit_aliases.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {_key(r["old_name"]): (r["new_name"], date.fromisoformat(r["valid_from"]))
                for r in csv.DictReader(fh)}


def current_name(name: str) -> str:
    """The unit's name after the mergers ('Sở Giao thông vận tải' → 'Sở Xây dựng'); else as is.

    A trailing 'tỉnh X' is kept aside ('Sở Giao thông vận tải tỉnh Lạng Sơn' → 'Sở Xây dựng').
    """
    base = re.sub(r"\s+(?:tỉnh|thành phố)\s+.*$", "", name.strip(), flags=re.IGNORECASE)
    hit = aliases().get(_key(base))
    return hit[0] if hit else name


def current_names(names: list[str]) -> list[str]:
    return list(dict.fromkeys(current_name(n) for n in names))


@cache
def known_names() -> tuple[str, ...]:
    """Folded unit names of the reference (old and new names), longest first."""
    names = {fold(n) for k, (n, _) in aliases().items() for n in (k, n)}
    return tuple(sorted(names, key=len, reverse=True))


_OWN_OFFICES = ("van phong", "thanh tra")


def in_agency(name: str, agency: str | None) -> str:
    """A department's own office written bare ('Văn phòng' in a Sở's plan) as the unit it is
    ('Văn phòng Sở'), so the unit scorecard counts it once."""
    if agency and fold(agency).startswith("so ") and fold(name).strip(" .") in _OWN_OFFICES:
        return f"{name.strip(' .')} Sở"
    return name
