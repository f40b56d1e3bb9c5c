"""Corrections kept in the repository (etl/ref/corrections.csv): the one way a strict build
accepts a disputed or impossible figure — which value (or 'not published') and why."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from etl import ref
from etl.problems import ProblemLog, num_vi

PATH = ref.REF / "corrections.csv"
COLUMNS = ["year", "province_code", "item_code", "value", "source", "reason"]
Key = tuple[int, str, str]


@dataclass(frozen=True)
class Correction:
    year: int
    province_code: str
    item_code: str
    value: float | None  # None: stored as not published
    source: str  # the source whose figure is chosen ('' when none is)
    reason: str
    row: int

    def describe(self) -> str:
        shown = "not published" if self.value is None else f"{self.value:.4f}"
        return f"{PATH.name} row {self.row}: {shown} ({self.source or 'no source'}): {self.reason}"

    def describe_vi(self) -> str:
        """describe() in Vietnamese; of a reason written 'vi / en', the Vietnamese part."""
        shown = "không công bố" if self.value is None else num_vi(self.value, ".4f")
        reason = self.reason.split(" / ")[0]
        return f"{PATH.name} dòng {self.row}: {shown} ({self.source or 'không nguồn nào'}): {reason}"


def load(problems: ProblemLog, path: Path | None = None) -> dict[Key, Correction]:
    """Every valid row by (year, province, item); a bad row is an error naming it."""
    path = Path(path or PATH)
    if not path.exists():
        return {}
    out: dict[Key, Correction] = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if [c.strip() for c in reader.fieldnames or []] != COLUMNS:
            problems.error(path, "corrections file has the wrong columns", cell="row 1",
                           found=",".join(reader.fieldnames or []), allowed=",".join(COLUMNS),
                           action="keep the header of etl/ref/corrections.csv",
                           message_vi="tệp hiệu chỉnh có cột không đúng",
                           action_vi="giữ nguyên dòng tiêu đề của etl/ref/corrections.csv")
            return {}
        for n, r in enumerate(reader, start=2):
            try:
                year = int(r["year"])
                _, prov = ref.resolve_province(code=r["province_code"].strip().zfill(2),
                                               year=year)
                text = (r["value"] or "").strip().replace(",", ".")
                value = float(text) if text else None
                reason = (r["reason"] or "").strip()
                if not reason:
                    raise ValueError("a reason is required")
            except (ValueError, ref.ProvinceError) as exc:
                problems.error(path, f"bad correction ({exc})", cell=f"row {n}",
                               found=",".join(str(r.get(c) or "") for c in COLUMNS),
                               action="fix the row: year, GSO code, item, value or empty, "
                                      "source, reason",
                               message_vi=f"dòng hiệu chỉnh sai ({exc})",
                               action_vi="sửa dòng: năm, mã tỉnh GSO, chỉ tiêu, giá trị hoặc "
                                         "để trống, nguồn, lý do")
                continue
            item = r["item_code"].strip().upper()
            out[(year, prov, item)] = Correction(year, prov, item, value,
                                                 (r["source"] or "").strip(), reason, n)
    return out
