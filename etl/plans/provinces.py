"""Province lookup by normalised name (GSO codes, vintage 63), read lazily from etl/ref."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from etl.paths import REF_DIR
from etl.plans.text import fold

# Fallback used only when etl/ref/provinces.csv is not there (GSO codes, vintage 63).
_FALLBACK = (
    "01 Hà Nội|02 Hà Giang|04 Cao Bằng|06 Bắc Kạn|08 Tuyên Quang|10 Lào Cai|11 Điện Biên|"
    "12 Lai Châu|14 Sơn La|15 Yên Bái|17 Hòa Bình|19 Thái Nguyên|20 Lạng Sơn|22 Quảng Ninh|"
    "24 Bắc Giang|25 Phú Thọ|26 Vĩnh Phúc|27 Bắc Ninh|30 Hải Dương|31 Hải Phòng|33 Hưng Yên|"
    "34 Thái Bình|35 Hà Nam|36 Nam Định|37 Ninh Bình|38 Thanh Hóa|40 Nghệ An|42 Hà Tĩnh|"
    "44 Quảng Bình|45 Quảng Trị|46 Thừa Thiên Huế|48 Đà Nẵng|49 Quảng Nam|51 Quảng Ngãi|"
    "52 Bình Định|54 Phú Yên|56 Khánh Hòa|58 Ninh Thuận|60 Bình Thuận|62 Kon Tum|64 Gia Lai|"
    "66 Đắk Lắk|67 Đắk Nông|68 Lâm Đồng|70 Bình Phước|72 Tây Ninh|74 Bình Dương|75 Đồng Nai|"
    "77 Bà Rịa - Vũng Tàu|79 Hồ Chí Minh|80 Long An|82 Tiền Giang|83 Bến Tre|84 Trà Vinh|"
    "86 Vĩnh Long|87 Đồng Tháp|89 An Giang|91 Kiên Giang|92 Cần Thơ|93 Hậu Giang|94 Sóc Trăng|"
    "95 Bạc Liêu|96 Cà Mau"
)
_EXTRA_ALIASES = {"tp hcm": "79", "thanh pho ho chi minh": "79", "hue": "46",
                  "ba ria vung tau": "77", "dak lak": "66", "dak nong": "67"}


def province_key(name: str) -> str:
    """Folded name without a 'tỉnh'/'thành phố' prefix or punctuation."""
    s = fold(name)
    s = re.sub(r"^(tinh|thanh pho|tp\.?|t\.p\.?)\s+", "", s)
    s = re.sub(r"[^a-z0-9 ]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s


def _rows(fname: str) -> list[dict[str, str]]:
    with (REF_DIR / fname).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(key → code, code → name_vi) from etl/ref (provinces + aliases), else a fallback list."""
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for fname in ("provinces.csv", "provinces_63.csv"):
        if (REF_DIR / fname).exists() and not names:
            for row in _rows(fname):
                if str(row.get("vintage", "63")) == "63":
                    names[str(row["code"]).zfill(2)] = row["name_vi"]
                    if row.get("full_name_vi"):
                        aliases[row["full_name_vi"]] = str(row["code"]).zfill(2)
    if (REF_DIR / "province_aliases.csv").exists():
        for row in _rows("province_aliases.csv"):
            if str(row.get("vintage", "63")) == "63":
                aliases[row["alias"]] = str(row["code"]).zfill(2)
    if not names:
        for item in _FALLBACK.split("|"):
            code, name = item.split(" ", 1)
            names[code] = name
    keys = {province_key(n): c for c, n in names.items()}
    for alias, code in (aliases | _EXTRA_ALIASES).items():
        keys.setdefault(province_key(alias), code)
    return keys, names


def lookup_province(name: str | None) -> tuple[str, str] | None:
    """(code, official name_vi) for a province name in any spelling, or None."""
    if not name:
        return None
    keys, names = _table()
    code = keys.get(province_key(name))
    return (code, names[code]) if code else None


def find_province_in(text: str) -> tuple[str, str] | None:
    """The first province named after 'tỉnh'/'thành phố' in a text, or None."""
    keys, names = _table()
    folded = " " + province_key(text) + " "
    best: tuple[int, str] | None = None
    for key, code in keys.items():
        for m in re.finditer(rf"(?:tinh|thanh pho|tp) {re.escape(key)} ", folded):
            if best is None or m.start() < best[0]:
                best = (m.start(), code)
    return (best[1], names[best[1]]) if best else None
