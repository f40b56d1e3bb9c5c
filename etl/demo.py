"""Synthetic demo dataset ("Dữ liệu minh họa"): illustrative scores, plans and reports, fixed seed.

Nothing here is PAPI data. It exists so that a fresh machine shows the whole workbench before
the official files are downloaded; every page built from it says it is illustrative.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path
from typing import cast

from etl import ref
from etl.steps.warehouse import build

SEED = 2024
YEARS = range(2011, 2025)  # by the 63 provinces
NEW_YEAR = 2025  # by the 34 provinces (vintage 34)
DEMO_CSV = "DU_LIEU_MINH_HOA_diem_PAPI.csv"


def _score(rng: random.Random, lo: float, hi: float, level: float) -> float:
    span = hi - lo
    return round(min(hi, max(lo, lo + span * (level + rng.gauss(0, 0.06)))), 6)


def write_demo_scores(path: Path, seed: int = SEED) -> Path:
    """A tidy CSV (the documented contract) with illustrative scores: 2011–2024 by the 63
    provinces, and 2025 by the 34 provinces of 01/07/2025 (each a little off its predecessors'
    mean level), so the continuity view across the merger exists on a fresh machine."""
    rng = random.Random(seed)
    strength = {code: rng.uniform(0.35, 0.65) for code in ref.province_codes()}
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "gso_code", "province_vi", "item_code", "score", "ci_low", "ci_high",
                    "std_error"])
        for year in YEARS:
            trend = 0.02 * (year - 2011) / 13
            for code in ref.province_codes():
                _write_province(w, rng, year, code, ref.OLD, strength[code] + trend)
        for code in ref.province_codes(ref.NEW):
            olds = ref.predecessors(code)
            level = sum(strength[o] for o in olds) / len(olds) + 0.02 + rng.gauss(0, 0.03)
            _write_province(w, rng, NEW_YEAR, code, ref.NEW, level)
    return path


def _write_province(w, rng: random.Random, year: int, code: str, vintage: str, level: float) -> None:
    era = ref.era_for(year)
    if era is None:  # YEARS start with the first era (2011)
        raise ValueError(f"no PAPI era for {year}")
    name = ref.province_name(code, vintage)
    total = 0.0
    for dim in era.dimensions():
        for sub in era.subdimensions(dim):
            item = era.items[sub]
            # an era's items always have a scale (only indicators may lack one)
            value = _score(rng, cast(float, item.scale_min), cast(float, item.scale_max), level)
            total += value
            w.writerow([year, code, name, sub, value, "", "", ""])
    if year >= 2019:
        se = round(rng.uniform(0.15, 0.6), 4)
        w.writerow([year, code, name, "TOTAL", round(total, 6), round(total - 1.96 * se, 6),
                    round(total + 1.96 * se, 6), se])


def write_demo_inputs(folder: Path, seed: int = SEED) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = [write_demo_scores(folder / DEMO_CSV, seed)]
    try:
        from etl.plans.demo import write_demo_inputs as write_plans
    except ImportError:
        return files
    return files + list(write_plans(folder / "ke_hoach", seed=seed))


def build_demo_db(db: Path, *, progress: bool = True, seed: int = SEED) -> Path:
    """Build the demo warehouse at `db` through the ordinary ETL, flagged as demo data."""
    with tempfile.TemporaryDirectory(prefix="papi-demo-") as tmp:
        write_demo_inputs(Path(tmp), seed)
        return build([Path(tmp)], Path(db), progress=progress, demo=True)
