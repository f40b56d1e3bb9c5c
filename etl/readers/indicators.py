"""Matching indicator rows (the survey measures under each sub-dimension) to reference codes."""

from __future__ import annotations

import functools
import hashlib

from etl import ref
from etl.text import label_key as _label_key

label_key = functools.lru_cache(maxsize=16384)(_label_key)  # labels repeat every sheet

UNKNOWN: dict[tuple[str, str], str] = {}  # (parent, label) → provisional code, for the ref tool


class IndicatorMatcher:
    def __init__(self, file, sheet, year, problems):
        self.file, self.sheet, self.year, self.problems = file, sheet, year, problems

    def code(self, parent: str, label: str, cell: str) -> str:
        key = label_key(label)
        found = ref.indicator_index().get((parent, key))
        if found:
            return found
        provisional = f"{parent}.x{hashlib.sha1(key.encode()).hexdigest()[:6]}"
        UNKNOWN[(parent, label.strip())] = provisional
        self.problems.warning(
            self.file, f"indicator not in the reference list; loaded as {provisional}",
            sheet=self.sheet, cell=cell, found=label.strip(),
            action="add it to etl/ref/indicators.csv (name and alias) so its code is stable",
            message_vi=f"chỉ số không có trong danh mục; đã nạp với mã tạm {provisional}",
            action_vi="thêm chỉ số vào etl/ref/indicators.csv (tên và tên khác) để mã ổn định",
        )
        return provisional
