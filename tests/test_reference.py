"""The project's reference facts: internally consistent, and equal to ../shared where it has them."""

from __future__ import annotations

import csv
import unicodedata

import pytest

from etl import ref
from etl.text import modern_tones, province_key_ascii


def _shared_csv(shared, *parts):
    with open(shared.joinpath(*parts), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_provinces_have_both_vintages_with_unique_codes_and_ascii_keys():
    codes63 = ref.province_codes("63")
    codes34 = ref.province_codes("34")
    assert (len(codes63), len(set(codes63)), len(codes34), len(set(codes34))) == (63, 63, 34, 34)
    keys = [province_key_ascii(p["name_vi"]) for p in ref.provinces() if p["vintage"] == "63"]
    assert len(set(keys)) == 63


def test_reference_text_is_nfc():
    for name in ("provinces.csv", "province_aliases.csv", "indicators.csv", "task_status.csv",
                 "performance_groups.csv", "methodology_breaks.csv"):
        for row in ref.read_csv(name):
            for value in filter(None, row.values()):
                assert unicodedata.is_normalized("NFC", value), (name, value)
    text = (ref.REF / "items.yaml").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(("name", "code"), [
    ("Tỉnh Hoà Bình", "17"), ("Hòa Bình", "17"), ("TP. Hồ Chí Minh", "79"), ("HCMC", "79"),
    ("Thua Thien-Hue", "46"), ("Thừa Thiên Huế", "46"), ("  Cà Mau ", "96"), ("Ba Ria - Vung Tau", "77"),
    (unicodedata.normalize("NFD", "Khánh Hoà"), "56"), ("Đắk Lắk", "66"), ("Dak Lak", "66"),
    ("Thành phố Cần Thơ", "92"),
])
def test_match_province_by_any_spelling(name, code):
    assert ref.match_province(name) == code


def test_unknown_province_is_none():
    assert ref.match_province("Atlantis") is None


def test_merger_maps_every_old_province_to_a_new_one():
    merge = ref.merge_2025()
    assert sorted(merge) == sorted(ref.province_codes("63"))
    assert set(merge.values()) == set(ref.province_codes("34"))


def test_eras_cover_2011_to_2024_with_official_structure():
    counts = {y: (len(ref.era_for(y).dimensions()), len(ref.era_for(y).subdimensions()))
              for y in range(2011, 2025)}
    assert counts[2011] == counts[2017] == (6, 22)
    assert counts[2018] == (8, 28)
    assert counts[2019] == counts[2020] == (8, 29)
    assert counts[2021] == counts[2024] == (8, 28)
    assert "D5.2" not in ref.era_for(2021).items and "D5.3" in ref.era_for(2021).items


@pytest.mark.shared
def test_provinces_equal_shared_geo_tables(shared):
    ours = {(p["vintage"], p["code"]): p for p in ref.provinces()}
    for vintage, name in (("63", "provinces_63.csv"), ("34", "provinces_34.csv")):
        rows = _shared_csv(shared, "geo", name)
        assert len(rows) == int(vintage)
        for r in rows:
            p = ours[(vintage, r["code"])]
            assert modern_tones(p["name_vi"]) == modern_tones(r["name_vi"])
            assert p["name_ascii"] == r["name_ascii"]


@pytest.mark.shared
def test_merger_equals_shared(shared):
    rows = _shared_csv(shared, "geo", "merge_2025.csv")
    assert {r["old_code"]: r["new_code"] for r in rows} == ref.merge_2025()


@pytest.mark.shared
def test_items_equal_shared_structure_by_era(shared):
    rows = _shared_csv(shared, "papi", "papi_structure_by_era.csv")
    eras = {e.era: e for e in ref.eras()}
    seen = {name: set() for name in eras}
    for r in rows:
        era = eras[r["era"]]
        item = era.items[f"D{r['subdim_no']}"]
        lo, hi = (float(x) for x in r["subdim_scale"].split("-"))
        assert (item.name_vi, item.name_en, item.scale_min, item.scale_max) == (
            unicodedata.normalize("NFC", r["subdim_vi"]), r["subdim_en"], lo, hi)
        dim = era.items[f"D{r['dimension']}"]
        assert (dim.name_vi, dim.name_en) == (unicodedata.normalize("NFC", r["dimension_vi"]),
                                              r["dimension_en"])
        seen[r["era"]].add(item.item_code)
    for name, era in eras.items():
        assert seen[name] == set(era.subdimensions()), name
