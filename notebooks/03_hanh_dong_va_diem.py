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
# # Hành động của kế hoạch và điểm số / Plan actions vs score changes
#
# **VI:** Với từng chỉ số nội dung: số nhiệm vụ được giao và đã hoàn thành trong năm kế hoạch
# Y (trước đợt khảo sát năm Y+1) đặt cạnh thay đổi điểm của chỉ số đó từ Y sang Y+1. Đây chỉ là
# **mối liên hệ**, không bao giờ là bằng chứng về tác động: số cặp rất ít, kế hoạch thường nhắm
# vào chỉ số yếu (dễ tăng trở lại – hồi quy về trung bình), các chỉ số nội dung không có khoảng
# tin cậy, khảo sát diễn ra giữa năm nên một phần nhiệm vụ hoàn thành sau khi đã khảo sát, và
# nhiều yếu tố khác thay đổi cùng lúc.
#
# **EN:** Per dimension: actions planned and completed in plan year Y (before the survey of
# year Y+1) next to the change in that dimension's score from Y to Y+1. This is an
# **association**, never proof of effect: very few pairs, plans target weak dimensions (which
# tend to recover anyway – regression to the mean), dimensions have no published CI, fieldwork
# runs during the year so some actions finish after it, and much else changes at the same time.

# %%
import pandas as pd

from dashboard import charts, data, prep
from dashboard.notebook_view import fmt, from_env, vi

VIEW = from_env()
DB, PROVINCE, YEAR, YEARS = VIEW.db, VIEW.province, VIEW.year, VIEW.years
PNAME, status, VINTAGE = VIEW.province_name, VIEW.status, VIEW.vintage
LANG = "vi"


progress = data.dimension_progress(PROVINCE, path=DB, vintage=VINTAGE)
plan_years = data.plan_years(PROVINCE, DB, vintage=VINTAGE)
print(f"{PNAME} ({PROVINCE}); plan years with progress reports: {plan_years}; demo={data.is_demo(DB)}")
if progress.empty:
    print("VI: Chưa có kế hoạch/báo cáo nào của tỉnh này trong kho dữ liệu – không có gì để so sánh.")
    print("EN: No plan or progress report for this province in the warehouse – nothing to compare.")

# %% [markdown]
# ## Tiến độ năm được chọn / Progress in the chosen year
#
# **VI:** Nhiệm vụ theo chỉ số nội dung và trạng thái (báo cáo mới nhất của năm).
# **EN:** Actions by dimension and status (latest report of the year).

# %%
dims = data.items("dimension", path=DB)
dim_labels = {r["item_code"]: prep.item_label(r, LANG) for _, r in dims.iterrows()}
this_year = progress[progress["year"] == YEAR]
if not this_year.empty:
    shown = this_year.assign(label=[dim_labels.get(c, "Chung" if c == "GENERAL" else c)
                                    for c in this_year["dimension_code"]])
    fig = charts.status_bars(shown, LANG, title=f"Nhiệm vụ theo chỉ số nội dung – {PNAME}, {YEAR}",
                             category="label", years=YEAR, statuses=data.task_statuses(DB))
    fig.show()
else:
    print(f"No progress report for {YEAR}.")

# %% [markdown]
# ## Nhiệm vụ năm Y và thay đổi điểm Y → Y+1 / Actions in Y vs score change Y → Y+1
#
# **VI:** `GENERAL` (nhiệm vụ chung) không gắn với chỉ số nào nên bị loại. `next_change` trống
# khi chưa có điểm năm Y+1 hoặc một trong hai năm không công bố.
#
# **EN:** `GENERAL` actions belong to no dimension and are left out. `next_change` is empty
# when the Y+1 score is not out yet or either year is unpublished.

# %%
dim_scores = data.scores(PROVINCE, list(dims["item_code"]), path=DB, vintage=VINTAGE)
value = dim_scores.set_index(["item_code", "year"])["value"]
pairs = progress[progress["dimension_code"].isin(dim_labels)].copy()
pairs["n_done"] = pairs["n_done_on_time"] + pairs["n_done_late"]
pairs["score_y"] = [value.get((c, y)) for c, y in zip(pairs["dimension_code"], pairs["year"], strict=True)]
pairs["score_next"] = [value.get((c, y + 1))
                       for c, y in zip(pairs["dimension_code"], pairs["year"], strict=True)]
pairs["next_change"] = pd.to_numeric(pairs["score_next"], errors="coerce") - pd.to_numeric(
    pairs["score_y"], errors="coerce")
pairs[["year", "dimension_code", "n_actions", "n_done", "completion_rate", "score_y", "score_next",
       "next_change"]].round(2)

# %%
complete = pairs.dropna(subset=["next_change"])
n_pairs = len(complete)
rho = float("nan")
if n_pairs >= 3 and complete["n_done"].nunique() > 1 and complete["next_change"].nunique() > 1:
    # Spearman's rho as the Pearson correlation of ranks (no scipy needed)
    rho = complete["n_done"].rank().corr(complete["next_change"].rank())
print(f"pairs (dimension × plan year with a next-year score): {n_pairs}; Spearman rho "
      f"(actions completed vs next-year change) = {fmt(rho)}")
if n_pairs < 8:
    print("VI: Quá ít cặp để nói điều gì – chỉ mang tính mô tả.")
    print("EN: Too few pairs to say anything – descriptive only.")

# %% [markdown]
# ## Từng chỉ số nội dung có nhiệm vụ / Each dimension with actions
#
# **VI:** Điểm của chỉ số (trên) và số nhiệm vụ theo trạng thái mỗi năm báo cáo (dưới).
# **EN:** The dimension's score (top) and actions by status per report year (bottom).

# %%
statuses = data.task_statuses(DB)
for code in [c for c in dim_labels if c in set(pairs["dimension_code"])]:
    acts = data.action_status_by_year(PROVINCE, code, DB, vintage=VINTAGE)
    s = dim_scores[dim_scores["item_code"] == code]
    fig = charts.score_trend(s, LANG, title=f"{dim_labels[code]} – {PNAME}", series_label=PNAME,
                             median=s[["year", "median"]], actions=acts, statuses=statuses)
    fig.show()

# %% [markdown]
# ## Kết quả / Result

# %%
py = data.province_year(YEAR, PROVINCE, DB, vintage=VINTAGE)
total = py["total"].iat[0] if not py.empty else float("nan")
rank = "NA" if py.empty or pd.isna(py["rank"].iat[0]) else int(py["rank"].iat[0])
n_actions = int(this_year["n_actions"].sum())
n_done = int((this_year["n_done_on_time"] + this_year["n_done_late"]).sum())
print(f"VI: Năm {YEAR}: {n_actions} nhiệm vụ, {n_done} đã hoàn thành; {n_pairs} cặp (chỉ số × năm) có "
      f"thay đổi điểm năm sau, rho = {vi(rho)} – mối liên hệ, không phải tác động.")
print(f"EN: {YEAR}: {n_actions} actions, {n_done} completed; {n_pairs} dimension-year pairs with a "
      f"next-year change, rho = {fmt(rho)} – an association, not an effect.")
print(f"RESULT province={PROVINCE} year={YEAR} total={fmt(total)} rank={rank} n_actions={n_actions} "
      f"n_done={n_done} n_pairs={n_pairs} rho={fmt(rho)}")
