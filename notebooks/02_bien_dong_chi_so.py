# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Biến động chỉ số / What moved, and is it a real change?
#
# **VI:** Nội dung thành phần và chỉ tiêu nào thay đổi nhiều nhất, và thay đổi nào vượt quá
# khoảng tin cậy 95% được công bố. PAPI chỉ công bố khoảng tin cậy cho **điểm tổng hợp** (từ
# 2019); với các nội dung thành phần và chỉ tiêu không có khoảng tin cậy, nên thay đổi nhỏ
# có thể chỉ là sai số chọn mẫu. Một thay đổi nằm trong khoảng tin cậy thì **không phải** là
# thay đổi.
#
# **EN:** Which sub-dimensions and indicators moved most, and which changes exceed the
# published 95% confidence interval. PAPI publishes CIs only for the **total** (from 2019);
# sub-dimensions and indicators have none, so small moves may be sampling noise. A change that
# stays inside the CI is **not** a change.

# %%
import pandas as pd

from dashboard import charts, data, prep
from dashboard.notebook_view import fmt, from_env, vi

VIEW = from_env()
DB, PROVINCE, YEAR, YEARS = VIEW.db, VIEW.province, VIEW.year, VIEW.years
PNAME, status = VIEW.province_name, VIEW.status
LANG = "vi"


scores = prep.displayed(data.scores(PROVINCE, path=DB))  # percent shares shown as %
scores = scores[scores["year"] <= YEAR]
breaks = data.methodology_breaks(DB)
print(f"{PNAME} ({PROVINCE}), up to {YEAR}; demo={data.is_demo(DB)}")

# %% [markdown]
# ## Khoảng tin cậy có ở đâu? / Where are CIs published?
#
# **VI:** Đếm số giá trị có khoảng tin cậy theo cấp. **EN:** Values with a CI, by level.

# %%
ci_cover = (scores.assign(has_ci=scores["ci_low"].notna() & scores["ci_high"].notna())
            .groupby("level")["has_ci"].agg(["sum", "count"]))
ci_years = sorted(scores.loc[scores["ci_low"].notna(), "year"].unique())
print("CI years:", [int(y) for y in ci_years])
print(ci_cover)

# %% [markdown]
# ## Điểm tổng hợp: thay đổi có vượt khoảng tin cậy? / The total: outside the CI?
#
# **VI:** Quy tắc: thay đổi được coi là có thật chỉ khi giá trị năm sau nằm ngoài khoảng tin
# cậy năm trước **và** giá trị năm trước nằm ngoài khoảng tin cậy năm sau (dùng những khoảng
# được công bố). Không có khoảng nào → không kết luận được (`none`).
#
# **EN:** Rule: a change counts only if the new value lies outside the earlier year's CI
# **and** the earlier value lies outside the new year's CI (whichever are published). No CI
# at all → no verdict (`none`).


# %%
def ci_verdict(a: pd.Series, b: pd.Series) -> str:
    """'outside', 'inside' or 'none' for a change from row a to row b (value, ci_low, ci_high)."""
    tests = []
    if pd.notna(a["ci_low"]) and pd.notna(a["ci_high"]):
        tests.append(not (a["ci_low"] <= b["value"] <= a["ci_high"]))
    if pd.notna(b["ci_low"]) and pd.notna(b["ci_high"]):
        tests.append(not (b["ci_low"] <= a["value"] <= b["ci_high"]))
    if not tests:
        return "none"
    return "outside" if all(tests) else "inside"


total = scores[(scores["item_code"] == "TOTAL") & scores["value"].notna()].sort_values("year")
rows = []
for (_, a), (_, b) in zip(total.iloc[:-1].iterrows(), total.iloc[1:].iterrows(), strict=True):
    rows.append({"from": int(a["year"]), "to": int(b["year"]), "change": b["value"] - a["value"],
                 "ci_to": f"[{fmt(b['ci_low'])}, {fmt(b['ci_high'])}]", "verdict": ci_verdict(a, b)})
total_changes = pd.DataFrame(rows, columns=["from", "to", "change", "ci_to", "verdict"])
total_changes.round(2)

# %% [markdown]
# ## Nội dung thành phần và chỉ tiêu thay đổi nhiều nhất / Largest moves
#
# **VI:** Mỗi cấp được so giữa hai năm gần nhất (≤ năm chọn) mà tỉnh có dữ liệu ở cấp đó (chỉ
# tiêu không được công bố hằng năm). Cột `break` đánh dấu khi phương pháp thay đổi giữa hai năm
# — khi đó thay đổi không so sánh được. Không có khoảng tin cậy: xem là tín hiệu, không phải
# kết luận. Chỉ tiêu có đơn vị khác (đồng, số vụ…) không được xếp hạng cùng điểm và %.
#
# **EN:** Each level is compared between the two latest years (≤ the chosen year) in which
# the province has data at that level (indicators are not published every year). `break`
# marks a methodology change between the two years: then the change is not comparable. No
# CIs here: read these as signals, not findings. Indicators in other units (VND, counts) are
# left out of the ranking: their changes are not comparable in size with points or %.


# %%
def has_break(code: str, y0: int, y1: int) -> bool:
    """A methodology break in (y0, y1] touching the item, its parents, its sub-items or TOTAL."""
    if y0 < prep.BREAK_2018 <= y1:
        return True
    for year, other in zip(breaks["year"], breaks["item_code"].fillna(""), strict=True):
        other = str(other)
        if y0 < year <= y1 and (other in (code, "TOTAL") or code.startswith(other + ".")
                                or other.startswith(code + ".")):
            return True
    return False


def moves(level: str) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    d = scores[(scores["level"] == level) & scores["value"].notna()]
    d = d[d["unit"].isin(["points", "percent", "share"])]  # VND, counts…: not comparable
    ys = sorted(d["year"].unique())
    if len(ys) < 2:
        return pd.DataFrame(), None
    y0, y1 = int(ys[-2]), int(ys[-1])
    a = d[d["year"] == y0].set_index("item_code")
    b = d[d["year"] == y1].set_index("item_code")
    common = [c for c in b.index if c in a.index]
    out = pd.DataFrame({
        "item_code": common,
        "label": [prep.item_label({**b.loc[c].to_dict(), "item_code": c}, LANG) for c in common],
        "name_en": [b.loc[c, "name_en"] for c in common],
        "unit": [b.loc[c, "unit"] for c in common],
        "before": [a.loc[c, "value"] for c in common],
        "after": [b.loc[c, "value"] for c in common],
    })
    out["change"] = out["after"] - out["before"]
    out["break"] = [has_break(c, y0, y1) for c in common]
    out["ci"] = [ci_verdict(a.loc[c], b.loc[c]) for c in common]
    out = out.reindex(out["change"].abs().sort_values(ascending=False).index)
    return out.reset_index(drop=True), (y0, y1)


def unit_of(unit: str) -> str:
    """Display unit of a change: shares and percent are shown in % (points of percentage)."""
    return "%" if unit in ("share", "percent") else "điểm"


summary = {}
for level in ("dimension", "subdimension", "indicator"):
    moved, span = moves(level)
    if span is None:
        print(f"{level}: fewer than two years with data – nothing to compare")
        continue
    summary[level] = (moved, span)
    comparable = moved[~moved["break"]]
    print(f"{level}: {span[0]} → {span[1]}, {len(moved)} items, {int(moved['break'].sum())} across a "
          f"methodology break, CI verdicts: {moved['ci'].value_counts().to_dict()}")
    # one chart per unit: a change in % and a change in points are never ranked on one axis
    for shown, part in comparable.groupby(comparable["unit"].map(unit_of), sort=False):
        fig = charts.movers_bars(part.head(10)[["label", "change"]], LANG,
                                 title=f"Thay đổi lớn nhất ({level}, {shown}), {span[0]}–{span[1]}",
                                 years=span, unit=shown)
        fig.show()

# %%
for level, (moved, span) in summary.items():
    print(f"\n{level} {span[0]}→{span[1]} (top 8 by |change|, per unit)")
    for shown, part in moved.groupby(moved["unit"].map(unit_of), sort=False):
        print(f"  in {shown}:")
        print(part.head(8)[["item_code", "name_en", "before", "after", "change", "break", "ci"]]
              .round(2).to_string(index=False))

# %% [markdown]
# ## Kết quả / Result
#
# **VI:** Chỉ điểm tổng hợp mới kiểm định được bằng khoảng tin cậy. **EN:** Only the total can
# be tested against a CI.

# %%
py = data.province_year(province_code=PROVINCE, path=DB)
py = py[(py["year"] <= YEAR) & py["total"].notna()]
now = py[py["year"] == YEAR]
total_now = now["total"].iat[0] if not now.empty else float("nan")
rank = "NA" if now.empty or pd.isna(now["rank"].iat[0]) else int(now["rank"].iat[0])
earlier = py[py["year"] < YEAR]
prev_year = int(earlier["year"].iat[-1]) if not earlier.empty and not now.empty else None
change = total_now - earlier["total"].iat[-1] if prev_year else float("nan")
verdict = "none"
if prev_year:
    last = total_changes[(total_changes["from"] == prev_year) & (total_changes["to"] == YEAR)]
    verdict = last["verdict"].iat[0] if not last.empty else "none"
said = {"outside": ("vượt khoảng tin cậy – là thay đổi", "outside the CI – a change"),
        "inside": ("nằm trong khoảng tin cậy – không phải thay đổi", "inside the CI – not a change"),
        "none": ("không có khoảng tin cậy để kiểm định", "no CI published to test it")}[verdict]
print(f"VI: Điểm tổng hợp {prev_year}→{YEAR}: {vi(change, True)} điểm, {said[0]}.")
print(f"EN: Total {prev_year}→{YEAR}: {fmt(change, True)} points, {said[1]}.")
print(f"RESULT province={PROVINCE} year={YEAR} total={fmt(total_now)} rank={rank} "
      f"prev_year={prev_year or 'NA'} total_change={fmt(change, True)} ci={verdict}")
