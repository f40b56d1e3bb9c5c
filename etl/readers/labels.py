"""Classify a row or column label of a PAPI workbook: total, dimension, sub-dimension, or other."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.text import fold, label_key


@dataclass(frozen=True)
class Label:
    kind: str  # total | dimension | subdimension | variance | n_obs | note | header | other
    item_code: str | None = None
    measure: str = "value"


_NOTE = re.compile(r"^(ghi chu|note|copyright|ban quyen|nguon|source)\b")
_HEADER = re.compile(r"^(ma tinh|tinh/thanh pho|ten tinh|province|tinhid|tentinh)")
_DIM = re.compile(r"^(chi so noi dung|dimension)\s*(\d)\b")
_DIM_SHORT = re.compile(r"^(\d)\s*:")
_SUB = re.compile(r"^(\d)\.(\d)\s*:")
_VAR = re.compile(r"^phuong sai.*?(\d)")


def _measure(folded: str) -> str:
    if "toi thieu" in folded or "ci low" in folded or "lower bound" in folded:
        return "ci_low"
    if "toi da" in folded or "ci high" in folded or "upper bound" in folded:
        return "ci_high"
    if "sai so" in folded or "standard error" in folded:
        return "std_error"
    return "value"


@functools.lru_cache(maxsize=16384, typed=True)  # labels repeat: every sheet, several passes
def classify(label: object) -> Label:
    if label is None:
        return Label("other")
    key = label_key(str(label))
    folded = fold(key)
    if not folded:
        return Label("other")
    if _NOTE.match(folded):
        return Label("note")
    if _HEADER.match(folded):
        return Label("header")
    if m := _VAR.match(folded):
        return Label("variance", f"D{m.group(1)}", "variance")
    if folded.startswith(("observations", "so quan sat")):
        return Label("n_obs", "TOTAL", "n_obs")
    if m := _SUB.match(folded):
        return Label("subdimension", f"D{m.group(1)}.{m.group(2)}", _measure(folded))
    if m := _DIM.match(folded) or _DIM_SHORT.match(folded):
        return Label("dimension", f"D{m.groups()[-1]}", _measure(folded))
    if "papi" in folded or folded.startswith(("unweighted", "weighted")):
        unweighted = any(w in folded for w in ("khong co trong so", "unweighted", "un-weighted"))
        weighted = not unweighted and ("co trong so" in folded or "weighted" in folded)
        return Label("total", "TOTAL_W" if weighted else "TOTAL", _measure(folded))
    return Label("other")
