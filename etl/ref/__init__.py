"""Reference facts kept in this folder: PAPI items per era, provinces, aliases, the 2025 merger."""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from etl.text import label_key, province_key, province_key_ascii

REF = Path(__file__).resolve().parent
ITEMS = REF / "items.yaml"
# items.yaml as parsed by setup (scripts/setup-python.sh runs `python -m etl.ref`): importing
# PyYAML and parsing cost ≈ 15 ms of every `papi etl`. The cache holds the SHA-256 of the bytes
# it was parsed from; a cache of other bytes (the YAML edited since), or one that cannot be read,
# is ignored and the YAML is parsed. It sits in __pycache__, beside the bytecode setup compiles.
ITEMS_CACHE = REF / "__pycache__" / "items.yaml.pickle"


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
    raw = ITEMS.read_bytes()
    cached = _cached_items(raw)
    return cached if cached is not None else _parse_items(raw)


def _parse_items(raw: bytes) -> dict:
    import yaml  # only when setup's parsed copy is missing or stale

    # libyaml's safe loader (8× faster, the same objects) when PyYAML was built with it
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader


def _cached_items(raw: bytes) -> dict | None:
    try:
        with open(ITEMS_CACHE, "rb") as f:
            digest, doc = pickle.load(f)  # noqa: S301 - written by setup, beside the bytecode
    except Exception:  # noqa: BLE001 - missing or unreadable: the YAML is parsed
        return None
    if digest != hashlib.sha256(raw).hexdigest() or not isinstance(doc, dict):
        return None
    return doc


def write_items_cache() -> Path:
    """Parse items.yaml and keep the result for the next runs (what setup calls)."""
    raw = ITEMS.read_bytes()
    ITEMS_CACHE.parent.mkdir(exist_ok=True)
    tmp = ITEMS_CACHE.with_name(f"{ITEMS_CACHE.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump((hashlib.sha256(raw).hexdigest(), _parse_items(raw)), f)
    os.replace(tmp, ITEMS_CACHE)  # a reader sees the old file or the new one, never a part
    return ITEMS_CACHE


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


# --- Geography vintages: the 63 provinces until 30/06/2025, the 34 from 01/07/2025 ---------

OLD, NEW = "63", "34"
VINTAGES = (OLD, NEW)
MERGER_DATE = date(2025, 7, 1)  # Resolution 202/2025/QH15
LAST_OLD_YEAR = 2024  # the last PAPI survey year published by the 63


class ProvinceError(ValueError):
    """A province that cannot be resolved; the message says what was found and what fits."""


def vintage_for_year(year: int) -> str:
    """The geography a PAPI survey year is expected in: 63 up to 2024, 34 from 2025."""
    return OLD if int(year) <= LAST_OLD_YEAR else NEW


def vintage_for_date(day: date) -> str:
    """The geography in force on a day (a plan's or report's issue date)."""
    return OLD if day < MERGER_DATE else NEW


@cache
def lineage() -> tuple[dict[str, object], ...]:
    """ref.province_lineage rows: every old province → its new province, valid from 01/07/2025."""
    return tuple({"old_vintage": OLD, "old_code": old, "new_vintage": NEW, "new_code": new,
                  "valid_from": MERGER_DATE} for old, new in merge_2025().items())


def predecessors(new_code: str) -> list[str]:
    """Old (63) codes merged into a new (34) province, in code order."""
    return sorted(old for old, new in merge_2025().items() if new == new_code)


def successor(old_code: str) -> str:
    """The new (34) province an old (63) province became part of."""
    return merge_2025()[old_code]


def is_unchanged(new_code: str) -> bool:
    """A new province whose territory is exactly one old province of the same code."""
    return predecessors(new_code) == [new_code]


def province_vintages(name: str) -> dict[str, str]:
    """{vintage: code} of every vintage in which `name` names a province (unambiguously)."""
    out = {}
    for v in VINTAGES:
        try:
            code = match_province(name, v)
        except AmbiguousProvince:
            continue
        if code is not None:
            out[v] = code
    return out


def resolve_province(code: object = None, name: str | None = None, *, year: int | None = None,
                     vintage: str | None = None) -> tuple[str, str]:
    """(vintage, code) for a province given by code, name or both — the one resolver.

    The vintage is decided by the data: a code and a name must agree within one vintage (new
    Lào Cai 15 is not old Yên Bái 15). What fits both vintages is settled by `vintage` when
    given, else by `year` (≤ 2024 → 63, later → 34). Raises ProvinceError saying what was found.
    """
    c = normalise_code(code) if code is not None and str(code).strip() else None
    if code is not None and str(code).strip() and c is None:
        raise ProvinceError(f"'{code}' is not a GSO province code (2 digits)")
    fits: list[tuple[str, str]] = []
    for v in ([vintage] if vintage else VINTAGES):
        by_name = None
        if name:
            try:
                by_name = match_province(name, v)
            except AmbiguousProvince:
                by_name = None
        if c is not None and name:
            if by_name == c:
                fits.append((v, c))
        elif c is not None:
            if c in _province_codes(v):
                fits.append((v, c))
        elif by_name is not None:
            fits.append((v, by_name))
    if not fits:
        what = " ".join(filter(None, [f"code {c}" if c else "", f"name '{name}'" if name else ""]))
        hint = _mismatch_hint(c, name) if c and name else ""
        where = f"vintage {vintage}" if vintage else "the 63 (until 30/06/2025) or the 34 provinces"
        raise ProvinceError(f"{what} is not a province of {where}{hint}")
    if len(fits) == 1:
        return fits[0]
    if year is not None:
        want = vintage_for_year(year)
        for fit in fits:
            if fit[0] == want:
                return fit
    return _ambiguous(fits, c, name)


def _ambiguous(fits: list[tuple[str, str]], code: str | None, name: str | None) -> tuple[str, str]:
    raise ProvinceError(
        f"{'code ' + code if code else name!r} fits both vintages "
        f"({', '.join(f'{v}: {province_name(c, v)}' for v, c in fits)}); give the year or vintage")


def _mismatch_hint(code: str, name: str) -> str:
    parts = []
    for v in VINTAGES:
        if code in _province_codes(v):
            parts.append(f"code {code} is {province_name(code, v)} in vintage {v}")
        try:
            by_name = match_province(name, v)
        except AmbiguousProvince:
            by_name = None
        if by_name:
            parts.append(f"'{name}' is code {by_name} in vintage {v}")
    return " (" + "; ".join(parts) + ")" if parts else ""
