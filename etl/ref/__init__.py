"""Reference facts kept in this folder: PAPI items per era, provinces, aliases, the 2025 merger."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from etl.text import label_key, province_key, province_key_ascii

REF = Path(__file__).resolve().parent


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REF / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Item:
    item_code: str
    level: str  # total | dimension | subdimension | indicator
    parent_code: str | None
    number: str | None
    name_vi: str
    name_en: str
    scale_min: float | None
    scale_max: float | None
    unit: str  # points | percent | other


@dataclass(frozen=True)
class Era:
    era: str
    first_year: int
    last_year: int
    items: dict[str, Item]  # item_code → Item, in official order

    def dimensions(self) -> list[str]:
        return [c for c, i in self.items.items() if i.level == "dimension"]

    def subdimensions(self, dimension: str | None = None) -> list[str]:
        return [
            c
            for c, i in self.items.items()
            if i.level == "subdimension" and (dimension is None or i.parent_code == dimension)
        ]


@cache
def _items_yaml() -> dict:
    with open(REF / "items.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@cache
def eras() -> tuple[Era, ...]:
    doc = _items_yaml()
    out = []
    for name, era in doc["eras"].items():
        first, last = era["first_year"], era["last_year"]
        items: dict[str, Item] = {}
        for code, total in doc["totals"].items():
            lo, hi = next((a, b) for y0, y1, a, b in total["scale_by_years"] if y0 <= first <= y1)
            items[code] = Item(code, "total", None, None, total["name_vi"], total["name_en"],
                               float(lo), float(hi), "points")
        d_lo, d_hi = doc["dimension_scale"]
        for dcode, dim in era["dimensions"].items():
            items[dcode] = Item(dcode, "dimension", "TOTAL", dcode[1:], dim["name_vi"],
                                dim["name_en"], float(d_lo), float(d_hi), "points")
            for scode, sub in dim["subdimensions"].items():
                lo, hi = sub["scale"]
                items[scode] = Item(scode, "subdimension", dcode, scode[1:], sub["name_vi"],
                                    sub["name_en"], float(lo), float(hi), "points")
        out.append(Era(name, first, last, items))
    return tuple(out)


def era_for(year: int) -> Era | None:
    """The PAPI era of a survey year; the latest era for years after it (until revised)."""
    for era in eras():
        if era.first_year <= year <= era.last_year:
            return era
    latest = eras()[-1]
    return latest if year > latest.last_year else None


@cache
def indicators() -> tuple[Item, ...]:
    out = []
    for r in read_csv("indicators.csv"):
        lo = float(r["scale_min"]) if r["scale_min"] else None
        hi = float(r["scale_max"]) if r["scale_max"] else None
        out.append(Item(r["item_code"], "indicator", r["parent_code"], None, r["name_vi"],
                        r["name_en"], lo, hi, r["unit"]))
    return tuple(out)


@cache
def indicator_index() -> dict[tuple[str, str], str]:
    """(parent sub-dimension, label key) → indicator code, for every known label of each."""
    index: dict[tuple[str, str], str] = {}
    for r in read_csv("indicators.csv"):
        for label in [r["name_vi"], r["name_en"], *filter(None, r["aliases"].split(" | "))]:
            index[(r["parent_code"], label_key(label))] = r["item_code"]
    return index


@cache
def indicator_years() -> dict[str, tuple[int, int]]:
    return {r["item_code"]: (int(r["first_year"]), int(r["last_year"]))
            for r in read_csv("indicators.csv")}


@cache
def provinces() -> tuple[dict[str, str], ...]:
    return tuple(read_csv("provinces.csv"))


def province_name(code: str, vintage: str = "63", lang: str = "vi") -> str:
    for p in provinces():
        if p["vintage"] == vintage and p["code"] == code:
            return p["name_vi"] if lang == "vi" else p["name_en"]
    raise KeyError(f"no province {code} in vintage {vintage}")


class AmbiguousProvince(ValueError):
    pass


@cache
def _province_index(vintage: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}
    names = [(p["code"], p[k]) for p in provinces() if p["vintage"] == vintage
             for k in ("name_vi", "name_en", "name_ascii", "full_name_vi")]
    names += [(a["code"], a["alias"]) for a in read_csv("province_aliases.csv")
              if a["vintage"] == vintage]
    for code, name in names:
        exact.setdefault(province_key(name), set()).add(code)
        loose.setdefault(province_key_ascii(name), set()).add(code)
    return exact, loose


def province_codes(vintage: str = "63") -> list[str]:
    return list(_province_codes(vintage))


@cache
def _province_codes(vintage: str) -> tuple[str, ...]:
    return tuple(p["code"] for p in provinces() if p["vintage"] == vintage)


def match_province(name: str, vintage: str = "63") -> str | None:
    """GSO code for a province name in any spelling we know; None if unknown.

    Matches by normalised name (NFC, modern tone placement, without 'Tỉnh'/'TP.'), then by the
    name without diacritics. Raises AmbiguousProvince if a loose match names two provinces.
    """
    exact, loose = _province_index(vintage)
    hits = exact.get(province_key(name)) or loose.get(province_key_ascii(name))
    if not hits:
        return None
    if len(hits) > 1:
        raise AmbiguousProvince(f"{name!r} matches provinces {sorted(hits)}")
    return next(iter(hits))


def normalise_code(value: object) -> str | None:
    """A GSO province code as the 2-character string ('1', 1, 1.0, '01' → '01')."""
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 2:
        return None
    return text.zfill(2)


@cache
def merge_2025() -> dict[str, str]:
    return {r["old_code"]: r["new_code"] for r in read_csv("merge_2025.csv")}
