"""Indicator units: decide share (0–1) vs percent (0–100) per indicator, year and source from the
values, normalise to ref.item's unit once, and refuse values outside the scale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container

from etl import ref
from etl.problems import ProblemLog, num_vi
from etl.readers.base import Dataset

SHARE_TOLERANCE = 0.001  # a share may be written as 1.0004 by rounding, never as 1.05
POINTS_TOLERANCE = 0.01
SCALED = ("value", "ci_low", "ci_high", "std_error")
FACTOR = {("percent", "share"): 0.01, ("share", "percent"): 100.0}


def indicator_units() -> dict[str, tuple[str, float | None, float | None]]:
    """item_code → (unit, scale_min, scale_max) of every indicator in etl/ref/indicators.csv."""
    return {i.item_code: (i.unit, i.scale_min, i.scale_max) for i in ref.indicators()}


def detect(values: list[float]) -> str:
    """The unit a column of shares-or-percentages is written in.

    All values within 0–1 → 'share'. More than half above 1 → 'percent' (a share above 1 is
    impossible, so a majority above 1 can only be a percentage). Otherwise 'share': the few
    values above 1 are out of scale, never a reason to rescale their neighbours.
    """
    above = sum(abs(v) > 1 + SHARE_TOLERANCE for v in values)
    return "percent" if above * 2 > len(values) else "share"


def check_units(ds: Dataset, problems: ProblemLog, units: dict | None = None,
                corrected: Container[tuple[int, str, str]] = ()) -> None:
    """Normalise the share/percent indicators of one dataset (one year of one source) to the
    unit of ref.item, logging each decision (info); out-of-scale values become errors naming
    the cell and are dropped — unless etl/ref/corrections.csv settles that year × province ×
    item (then reconcile stores the correction). Idempotent: normalised values read as the
    reference unit."""
    units = units if units is not None else indicator_units()
    c, year = ds.cols, ds.year
    by_item: dict[str, list[int]] = defaultdict(list)  # item → its observations' positions
    if not units.keys().isdisjoint(c.item_code):  # most datasets have no indicator
        for i, item in enumerate(c.item_code):
            if item in units:
                by_item[item].append(i)
    measures, statuses, values_of = c.measure, c.status, c.value
    bad: set[int] = set()
    for item, obs in by_item.items():
        unit, lo, hi = units[item]
        values = [v for i in obs if measures[i] == "value" and statuses[i] == "published"
                  and (v := values_of[i]) is not None]
        if not values:
            continue
        if unit in ("share", "percent"):
            written = detect(values) if unit == "share" else _detect_percent_ref(values)
            factor = FACTOR.get((written, unit), 1.0)
            if factor != 1.0:
                for i in obs:
                    if measures[i] in SCALED and (v := values_of[i]) is not None:
                        c.set_value(i, v * factor)
                above = sum(abs(v) > 1 for v in values)
                problems.info(ds.file, f"{item} in {ds.year} is written in {written} "
                              f"({above} of {len(values)} values above 1, "
                              f"max {max(values):g}); converted to the {unit} of the reference "
                              f"(×{factor:g})", sheet=ds.sheet, cell=c.cell[obs[0]],
                              message_vi=f"{item} năm {ds.year} được ghi theo {UNIT_VI[written]} "
                                         f"({above}/{len(values)} giá trị lớn hơn 1, lớn nhất "
                                         f"{num_vi(max(values))}); đã đổi sang {UNIT_VI[unit]} "
                                         f"như danh mục (×{num_vi(factor)})")
            span = 1.0 if unit == "share" else 100.0  # a net share (better − worse) starts at −1
            lo, hi = (-span if lo is not None and lo < 0 else 0.0), span
            tol = SHARE_TOLERANCE * span
        elif unit == "points" and lo is not None and hi is not None:
            tol = POINTS_TOLERANCE
            for i in obs:  # 0 on a scale starting above 0 is how the files write 'withheld'
                if values_of[i] == 0 and lo > 0 and statuses[i] == "published":
                    c.set_value(i, None, "not_published")
                    if measures[i] == "value":
                        code = c.province_code[i]
                        problems.info(ds.file, f"0 for {item}, province {code} "
                                      f"{year}: read as 'not published' (outside {lo:g}–"
                                      f"{hi:g})", sheet=ds.sheet, cell=c.cell[i],
                                      message_vi=f"0 ở {item}, tỉnh {code} năm "
                                                 f"{year}: đọc là 'không công bố' (ngoài "
                                                 f"{num_vi(lo)}–{num_vi(hi)})")
        else:
            continue
        for i in obs:
            value = values_of[i]
            if (measures[i] in ("value", "ci_low", "ci_high") and statuses[i] == "published"
                    and value is not None and not lo - tol <= value <= hi + tol
                    and (year, c.province_code[i], item) not in corrected):
                shown = f"{value:g}" if unit == "points" else _as_percent(value, unit)
                problems.error(ds.file, f"value outside the scale of indicator {item} in "
                               f"{ds.year} ({shown})", sheet=ds.sheet, cell=c.cell[i],
                               found=c.raw_text(i) or f"{value:g}", allowed=_allowed(unit, lo, hi),
                               action="check the cell against the official file on papi.org.vn; "
                                      "add a correction in etl/ref/corrections.csv if needed",
                               message_vi=f"giá trị ngoài thang đo của chỉ số {item} năm "
                                          f"{ds.year} ({shown.replace('.', ',')})",
                               allowed_vi=_allowed(unit, lo, hi).replace(".", ",")
                                                                .replace("points", "điểm"),
                               action_vi="đối chiếu ô với tệp chính thức trên papi.org.vn; ghi "
                                         "hiệu chỉnh vào etl/ref/corrections.csv nếu cần")
                bad.add(i)
    if bad:
        ds.cols = c.without(bad)


def _detect_percent_ref(values: list[float]) -> str:
    """For a reference in percent (0–100): all values within 0–1 means shares were written."""
    return "share" if all(v <= 1 + SHARE_TOLERANCE for v in values) and max(values) > 0 else "percent"


UNIT_VI = {"share": "tỷ lệ (0–1)", "percent": "phần trăm (0–100)", "points": "điểm"}


def _as_percent(value: float, unit: str) -> str:
    pct = value * 100 if unit == "share" else value
    return f"{pct:.1f}%"


def _allowed(unit: str, lo: float, hi: float) -> str:
    if unit == "share":
        return "0–1 (0%–100%)" if lo >= 0 else "−1–1 (−100%–100%)"
    if unit == "percent":
        return "0–100%" if lo >= 0 else "−100%–100%"
    return f"{lo:g}–{hi:g} points"
