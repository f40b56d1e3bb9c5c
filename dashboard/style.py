"""One colour scheme for the four performance groups and the task statuses (ref tables first)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

# Fallbacks, used where ref.performance_group / ref.task_status are absent or lack a colour.
GROUPS = pd.DataFrame(
    {
        "group_no": [1, 2, 3, 4],
        "name_vi": ["Nhóm đạt điểm cao nhất", "Nhóm đạt điểm trung bình cao",
                    "Nhóm đạt điểm trung bình thấp", "Nhóm đạt điểm thấp nhất"],
        "name_en": ["Highest-scoring group", "Upper-middle group", "Lower-middle group",
                    "Lowest-scoring group"],
        "color": ["#1a9641", "#a6d96a", "#fdae61", "#d7191c"],
    }
)

STATUSES = pd.DataFrame(
    {
        "status_code": ["done_on_time", "done_late", "in_progress", "overdue", "not_reported"],
        "name_vi": ["Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
                    "Quá hạn chưa hoàn thành", "Chưa báo cáo"],
        "name_en": ["Completed on time", "Completed late", "In progress, on schedule",
                    "Overdue, not completed", "Not reported"],
        "color": ["#1b7837", "#7fbf7b", "#4393c3", "#d6604d", "#bdbdbd"],
        "is_done": [True, True, False, False, False],
        "sort_order": [1, 2, 3, 4, 5],
    }
)

NOT_PUBLISHED_COLOR = "#e0e0e0"
PROVINCE_COLOR = "#1f4e79"
MEDIAN_COLOR = "#7f7f7f"
BEST_COLOR = "#9ecae1"
FONT = "Arial, 'Noto Sans', sans-serif"


def _merge(fallback: pd.DataFrame, ref: pd.DataFrame | None, key: str) -> pd.DataFrame:
    """The ref rows (fallback colour/name filled in), plus fallback rows ref lacks."""
    if ref is None or ref.empty or key not in ref.columns:
        return fallback.copy()
    ref = ref.copy()
    out = ref.merge(fallback, on=key, how="outer", suffixes=("", "_fb"))
    for col in fallback.columns:
        if col == key:
            continue
        if col not in ref.columns:
            out[col] = out[f"{col}_fb"]
        else:
            out[col] = out[col].where(out[col].notna() & (out[col].astype(str) != ""),
                                      out[f"{col}_fb"])
    out = out[[c for c in out.columns if not c.endswith("_fb")]]
    return out


_MEMO: dict[tuple, pd.DataFrame] = {}
_MEMO_MAX = 64


def frame_key(ref: pd.DataFrame | None) -> tuple | None:
    """A hashable copy of a small table's content, NaN as None (None: no table); raises
    TypeError on an unhashable cell."""
    if ref is None:
        return None
    cols = tuple(tuple(None if isinstance(v, float) and v != v else v for v in ref[c].tolist())
                 for c in ref.columns)
    return tuple(ref.columns), tuple(map(str, ref.dtypes)), cols


def _memo(make: Callable[[pd.DataFrame | None], pd.DataFrame]
          ) -> Callable[[pd.DataFrame | None], pd.DataFrame]:
    """make(ref), computed once per distinct content of the (few-row) ref table; a copy each
    time. Every rerun of every page asks for these with the same rows."""
    def memo(ref: pd.DataFrame | None = None) -> pd.DataFrame:
        try:
            key = (make.__name__, frame_key(ref))
            hash(key)
        except TypeError:  # an unhashable cell: computed each time
            return make(ref)
        out = _MEMO.get(key)
        if out is None:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            out = _MEMO[key] = make(ref)
        return out.copy()

    memo.__doc__, memo.__name__ = make.__doc__, make.__name__
    return memo


@_memo
def groups(ref: pd.DataFrame | None = None) -> pd.DataFrame:
    """group_no, name_vi, name_en, color for groups 1 (highest) … 4 (lowest)."""
    out = _merge(GROUPS, ref, "group_no")
    out["group_no"] = out["group_no"].astype(int)
    return out.sort_values("group_no").reset_index(drop=True)


@_memo
def statuses(ref: pd.DataFrame | None = None) -> pd.DataFrame:
    """status_code, name_vi, name_en, color, is_done, sort_order; 'not_reported' always last."""
    out = _merge(STATUSES, ref, "status_code")
    out["sort_order"] = out["sort_order"].astype(float)
    out.loc[out["status_code"] == "not_reported", "sort_order"] = 99
    return out.sort_values("sort_order").reset_index(drop=True)


def text_on(fill: str) -> str:
    """The text colour for a fill: near-black on light fills, white on dark ones."""
    f = fill.strip()
    rgb: list[float]
    if f.startswith("#") and len(f) == 7:
        rgb = [int(f[i:i + 2], 16) for i in (1, 3, 5)]
    elif f.startswith("rgb"):
        rgb = [float(x) for x in f[f.index("(") + 1:f.index(")")].split(",")[:3]]
    else:
        return "#111"
    return "#111" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 else "#fff"


def group_colors(ref: pd.DataFrame | None = None) -> dict[int, str]:
    """{group_no: colour}."""
    g = groups(ref)
    return dict(zip(g["group_no"], g["color"], strict=True))


def status_colors(ref: pd.DataFrame | None = None) -> dict[str, str]:
    """{status_code: colour}."""
    s = statuses(ref)
    return dict(zip(s["status_code"], s["color"], strict=True))
