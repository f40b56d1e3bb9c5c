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
# # Vị trí của tỉnh / Where does the province stand?
#
# **VI:** Tỉnh đứng ở đâu so với cả nước: xu hướng điểm tổng hợp và từng chỉ số nội dung,
# lịch sử xếp hạng, khoảng cách tới tỉnh dẫn đầu và tới trung vị toàn quốc.
#
# **EN:** Where the province stands nationally: trend of the total and of each dimension,
# rank history, and the distance to the best province and to the national median.
#
# Tham số / parameters (env): `PAPI_DB` (warehouse), `PAPI_PROVINCE` (code or name of either
# geography, default `01`), `PAPI_VINTAGE` (`63` = until 30/06/2025, `34` = from 01/07/2025;
# needed only where a code or name fits both, else the year decides), `PAPI_YEAR` (default:
# latest year). Data are read only through `dashboard.data`, in the province's geography.

# %%
import pandas as pd

from dashboard import charts, data, prep
from dashboard.notebook_view import fmt, from_env, vi

VIEW = from_env()
DB, PROVINCE, YEAR, YEARS = VIEW.db, VIEW.province, VIEW.year, VIEW.years
PNAME, status, VINTAGE = VIEW.province_name, VIEW.status, VIEW.vintage
LANG = "vi"
NAMES = data.provinces(VINTAGE, DB).set_index("code")


print(f"{PNAME} ({PROVINCE}, {VINTAGE} tỉnh), {YEAR}; warehouse {status.path}; "
      f"demo={data.is_demo(DB)}")

# %% [markdown]
# ## Điểm tổng hợp qua các năm / The total over the years
#
# **VI:** Đường liền là điểm của tỉnh (dải mờ: khoảng tin cậy 95% khi được công bố, từ 2019),
# đường nét đứt là trung vị toàn quốc. Năm 2018 PAPI chuyển từ 6 sang 8 chỉ số nội dung,
# nên điểm tổng hợp trước và sau 2018 không so sánh trực tiếp được. Với một tỉnh của 34 tỉnh
# mới: đường chấm của từng tỉnh tiền thân đến 2024, đường của tỉnh mới từ 2025 (chuỗi liên tục,
# không cộng gộp, không so sánh qua mốc 01/07/2025).
#
# **EN:** Solid line: the province (band: published 95% CI, from 2019); dashed: national
# median. In 2018 PAPI went from 6 to 8 dimensions, so totals before and after are not
# directly comparable.

# %%
total = data.scores(PROVINCE, ["TOTAL"], path=DB, vintage=VINTAGE)
if VINTAGE == "34":  # a province of the 34: the continuity view (predecessors' own lines to 2024)
    cont = data.continuity(PROVINCE, ["TOTAL"], DB)
    own, others = prep.continuity_series(cont, PROVINCE, LANG)
    years = sorted(set(cont["year"]))
    fig = charts.score_trend(own, LANG, title=f"Chuỗi liên tục – {PNAME} (34) và các tỉnh tiền thân",
                             series_label=f"{PNAME} (34)", others=others,
                             median=cont[["year", "median"]], cut=prep.MERGER_X,
                             breaks=prep.breaks_for(data.methodology_breaks(DB), "TOTAL", LANG,
                                                    years))
else:
    breaks = prep.breaks_for(data.methodology_breaks(DB), "TOTAL", LANG, list(total["year"]))
    fig = charts.score_trend(total, LANG, title=f"Chỉ số PAPI tổng hợp – {PNAME}",
                             series_label=PNAME, median=total[["year", "median"]], breaks=breaks)
fig.show()

# %% [markdown]
# ## Từng chỉ số nội dung / Each dimension
#
# **VI:** Mỗi màu là một chỉ số nội dung; nét đứt cùng màu là trung vị toàn quốc.
# **EN:** One colour per dimension; the dashed line of the same colour is the national median.

# %%
dims = data.items("dimension", path=DB)
dim_scores = data.scores(PROVINCE, list(dims["item_code"]), path=DB, vintage=VINTAGE)
dim_scores = dim_scores.assign(label=[prep.item_label(r, LANG) for _, r in dim_scores.iterrows()])
fig = charts.subitem_trends(dim_scores[["year", "label", "value", "median", "status"]], LANG,
                            title=f"Các chỉ số nội dung – {PNAME}",
                            breaks=prep.breaks_for(data.methodology_breaks(DB), "TOTAL", LANG))
fig.show()

# %%
this_year = dim_scores[dim_scores["year"] == YEAR]
fig = charts.dimension_bars(prep.dimension_frame(this_year, data.provinces(VINTAGE, DB), LANG), LANG,
                            title=f"{PNAME} so với trung vị và tỉnh dẫn đầu, {YEAR}", year=YEAR,
                            province_label=PNAME)
fig.show()
dim_table = this_year.assign(gap_median=this_year["value"] - this_year["median"],
                             gap_best=this_year["value"] - this_year["best_value"])
dim_table[["item_code", "name_en", "value", "median", "best_value", "gap_median", "gap_best"]].round(2)

# %% [markdown]
# ## Lịch sử xếp hạng và khoảng cách / Rank history and distances
#
# **VI:** Hạng theo điểm tổng hợp không trọng số (1 = cao nhất); số tỉnh được xếp hạng thay đổi
# theo năm. Khoảng cách âm nghĩa là tỉnh đứng dưới trung vị hoặc tỉnh dẫn đầu.
#
# **EN:** Rank by the unweighted total (1 = best); the number of ranked provinces varies by
# year. A negative gap means below the median or the best province.

# %%
history = data.province_year(province_code=PROVINCE, path=DB, vintage=VINTAGE)
nat = data.national(["TOTAL"], path=DB, vintage=VINTAGE)[["year", "median", "best_value",
                                                          "best_province_code"]]
history = history.merge(nat, on="year", how="left")
history["best_name"] = history["best_province_code"].map(NAMES["name_vi"])
history["gap_median"] = history["total"] - history["median"]
history["gap_best"] = history["total"] - history["best_value"]
history[["year", "total", "rank", "n_ranked", "performance_group", "median", "best_value",
         "best_name", "gap_median", "gap_best"]].round(2)

# %%
rk = data.ranking(YEAR, path=DB, vintage=VINTAGE)
rk = rk.assign(label=rk["name_vi"])
fig = charts.ranking_bars(rk, LANG, title=f"Xếp hạng điểm tổng hợp {YEAR}", year=YEAR,
                          groups=data.performance_groups(DB), highlight=PROVINCE)
fig.show()

# %% [markdown]
# ## Kết quả / Result
#
# **VI:** Dòng `RESULT` dưới đây là các con số chính (máy kiểm tra được; cùng giá trị với
# bảng điều khiển). **EN:** The `RESULT` line holds the key numbers, in the dashboard's values.

# %%
row = history[history["year"] == YEAR].iloc[0]
rank = "NA" if pd.isna(row["rank"]) else int(row["rank"])
print(f"VI: Năm {YEAR}, {PNAME} đạt {vi(row['total'])} điểm, hạng {rank}/{row['n_ranked']}; "
      f"cách trung vị {vi(row['gap_median'], True)}, cách tỉnh dẫn đầu {vi(row['gap_best'], True)}.")
print(f"EN: In {YEAR}, {NAMES.loc[PROVINCE, 'name_en']} scored {fmt(row['total'])}, rank {rank} of "
      f"{row['n_ranked']}; {fmt(row['gap_median'], True)} vs the median, "
      f"{fmt(row['gap_best'], True)} vs the best.")
print(f"RESULT province={PROVINCE} year={YEAR} total={fmt(row['total'])} rank={rank} "
      f"n_ranked={row['n_ranked']} gap_median={fmt(row['gap_median'], True)} "
      f"gap_best={fmt(row['gap_best'], True)}")
