"""Write a large tidy CSV (default 2,000,000 rows): every sub-dimension of every province and
year 2011–2025, by commune, as an analyst's export might be.

`uv run python bench/tidy_big.py OUT.csv [--rows N]`. A province's row is repeated once per
commune with the province's own figure (a commune column the contract ignores), so the file
loads correctly; the figures are deterministic and inside each item's scale. Years 2011–2024 by
the 63 provinces (codes and names), 2025 by the 34.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR.parent) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR.parent))

HEADER = ("year,gso_code,province_en,province_vi,commune,subdim_no,subdim_en,subdim_vi,"
          "subdim_scale,score\n")


def keys() -> list[tuple[int, str, str, str, str, float]]:
    """(year, code, names, sub-dimension number and labels, value) of every province-year item,
    the texts as written in the file (commas inside labels quoted)."""
    from etl import ref

    out = []
    for year in range(2011, 2026):
        era, vintage = ref.era_for(year), ref.vintage_for_year(year)
        for k, code in enumerate(ref.province_codes(vintage)):
            names = f"{_q(ref.province_name(code, vintage, 'en'))},{ref.province_name(code, vintage)}"
            for j, sub in enumerate(era.subdimensions()):
                item = era.items[sub]
                span = item.scale_max - item.scale_min
                value = item.scale_min + span * (0.3 + 0.4 * ((k * 7 + j * 3 + year) % 17) / 17)
                labels = (f"{_q(item.name_en)},{_q(item.name_vi)},"
                          f"{item.scale_min:g}-{item.scale_max:g}")
                out.append((year, code, names, sub[1:], labels, round(value, 6)))
    return out


def _q(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def write(path: Path, rows: int = 2_000_000) -> int:
    """Write about `rows` data rows (whole provinces' communes); the number written."""
    base = keys()
    communes = max(1, -(-rows // len(base)))
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        lines = []
        for year, code, names, sub, labels, value in base:
            lines.extend(f"{year},{code},{names},Xã {c:03d},{sub},{labels},{value}\n"
                         for c in range(communes))
            written += communes
            if len(lines) > 200_000:
                f.writelines(lines)
                lines.clear()
        f.writelines(lines)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--rows", type=int, default=2_000_000)
    args = ap.parse_args(argv)
    n = write(args.out, args.rows)
    print(f"{n} rows → {args.out} ({args.out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
