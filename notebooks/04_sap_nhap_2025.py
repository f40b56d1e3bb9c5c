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
# # Sáp nhập tỉnh 2025 / The 2025 provincial merger
#
# **VI:** Từ 01/07/2025 cả nước có 34 tỉnh, thành phố. PAPI được khảo sát và công bố theo 63
# tỉnh cũ, nên ta đặt cạnh nhau lịch sử PAPI của các tỉnh tiền thân của mỗi tỉnh mới. Ta **không**
# tính một điểm chung cho tỉnh mới: mẫu khảo sát và trọng số thuộc về từng tỉnh cũ, và trung
# bình đơn giản sẽ gây hiểu nhầm.
#
# **EN:** Since 1 July 2025 Viet Nam has 34 provinces. PAPI was surveyed and published for the
# 63 former provinces, so we show each new province's predecessors' PAPI histories side by
# side. We do **not** compute a merged score for a new province: samples and weights belong to
# each old province, and a plain average would mislead.

# %%
import pandas as pd

from dashboard import charts, data, prep
from dashboard.notebook_view import fmt, from_env, vi

VIEW = from_env()
DB, PROVINCE, YEAR, YEARS = VIEW.db, VIEW.province, VIEW.year, VIEW.years
PNAME, status, VINTAGE = VIEW.province_name, VIEW.status, VIEW.vintage
YEAR63 = max(y for y in YEARS if y <= min(YEAR, 2024))  # the predecessors' year (by the 63)
LANG = "vi"
OLD = data.provinces("63", DB).set_index("code")
NEW = data.provinces("34", DB).set_index("code")
pd.set_option("display.max_rows", 80)


merge = data.merge_2025(DB)
if merge.empty:
    raise RuntimeError("ref.province_merge_2025 is empty: rebuild the warehouse")
print(f"{merge['old_code'].nunique()} old provinces → {merge['new_code'].nunique()} new; "
      f"year {YEAR}; demo={data.is_demo(DB)}")

# %% [markdown]
# ## 34 tỉnh mới và các tỉnh tiền thân, năm được chọn / The 34 and their predecessors
#
# **VI:** Mỗi dòng là một tỉnh mới; điểm và hạng là của từng tỉnh cũ (trong 63 tỉnh) năm đó.
# `spread` là chênh lệch giữa tỉnh tiền thân cao nhất và thấp nhất.
#
# **EN:** One row per new province; scores and ranks are each old province's own (among 63)
# in that year. `spread` is the gap between the best and worst predecessor.

# %%
py = data.province_year(YEAR63, path=DB, vintage="63").set_index("province_code")
d = merge.assign(old_name=merge["old_code"].map(OLD["name_vi"]),
                 total=merge["old_code"].map(py["total"]), rank=merge["old_code"].map(py["rank"]))


def side_by_side(g: pd.DataFrame) -> pd.Series:
    g = g.sort_values("total", ascending=False, na_position="last")
    parts = [f"{n} {fmt(t)} (#{'NA' if pd.isna(r) else int(r)})"
             for n, t, r in zip(g["old_name"], g["total"], g["rank"], strict=True)]
    return pd.Series({"n_predecessors": len(g), "predecessors": "; ".join(parts),
                      "spread": g["total"].max() - g["total"].min()})


table = d.groupby("new_code").apply(side_by_side, include_groups=False).reset_index()
table.insert(1, "new_name", table["new_code"].map(NEW["name_vi"]))
table.round(2)

# %%
rk = data.ranking(YEAR63, path=DB, vintage="63")
tiles = prep.predecessors(rk, merge, data.provinces("34", DB), LANG)
fig = charts.tile_map(tiles, LANG, title=f"Điểm PAPI {YEAR63} của các tỉnh tiền thân, theo 34 tỉnh mới",
                      year=YEAR63, vintage="34", groups=data.performance_groups(DB))
fig.show()

# %% [markdown]
# ## Tỉnh mới chứa tỉnh được chọn / The new province containing the chosen one
#
# **VI:** Lịch sử điểm tổng hợp của từng tỉnh tiền thân (mỗi đường một tỉnh cũ). Lưu ý thay đổi
# phương pháp năm 2018 (6 → 8 chỉ số nội dung).
#
# **EN:** Each predecessor's total over the years (one line per old province). Mind the 2018
# methodology change (6 → 8 dimensions).

# %%
NEW_CODE = PROVINCE if VINTAGE == "34" else merge.loc[merge["old_code"] == PROVINCE,
                                                      "new_code"].iat[0]
members = list(merge.loc[merge["new_code"] == NEW_CODE, "old_code"])
hist = data.province_year(path=DB, vintage="63")
hist = hist[hist["province_code"].isin(members)]
lines = pd.DataFrame({"year": hist["year"], "value": hist["total"],
                      "province_label": hist["province_code"].map(OLD["name_vi"])})
fig = charts.compare_trend(lines, LANG, title=f"{NEW.loc[NEW_CODE, 'name_vi']}: các tỉnh tiền thân")
fig.show()
hist.pivot(index="year", columns="province_code", values="total").rename(
    columns=OLD["name_vi"]).round(2)

# %% [markdown]
# ## Kết quả / Result

# %%
# the chosen province's own figures of YEAR, in its own geography (never a predecessors' mix)
mine = data.province_year(YEAR, PROVINCE, DB, vintage=VINTAGE)
own = mine.iloc[0] if len(mine) else None
total = own["total"] if own is not None else float("nan")
rank = "NA" if own is None or pd.isna(own["rank"]) else int(own["rank"])
names = ", ".join(OLD.loc[c, "name_vi"] for c in members)
src = NEW if VINTAGE == "34" else OLD
print(f"VI: {src.loc[PROVINCE, 'name_vi']} ({VINTAGE}) – {NEW.loc[NEW_CODE, 'name_vi']} (từ "
      f"{len(members)} tỉnh cũ: {names}); năm {YEAR} điểm {vi(total)}, hạng {rank}.")
print(f"EN: {src.loc[PROVINCE, 'name_en']} ({VINTAGE}) – {NEW.loc[NEW_CODE, 'name_en']} "
      f"({len(members)} predecessor(s)); {YEAR} total {fmt(total)}, rank {rank}.")
print(f"RESULT province={PROVINCE} year={YEAR} total={fmt(total)} rank={rank} new_code={NEW_CODE} "
      f"n_predecessors={len(members)} n_new={merge['new_code'].nunique()} "
      f"n_old={merge['old_code'].nunique()}")
