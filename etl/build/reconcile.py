"""One value per year × province × item × measure from several sources, disagreements reported."""

from __future__ import annotations

import pandas as pd

from etl.problems import ProblemLog
from etl.readers.base import Dataset

TOL = 1e-4
# Which source's number is stored when sources agree (all are reported when they do not).
PRIORITY = {"provinces_in_columns": 0, "provinces_in_rows": 1, "tidy_csv": 2}


def observations_frame(datasets: list[Dataset]) -> pd.DataFrame:
    rows = [
        (o.year, o.province_code, o.item_code, o.measure, o.value, o.status, ds.source,
         str(ds.file), ds.sheet, o.cell, PRIORITY.get(ds.layout, 9))
        for ds in datasets if not ds.refused for o in ds.observations
    ]
    cols = ["year", "province_code", "item_code", "measure", "value", "status", "source",
            "file", "sheet", "cell", "priority"]
    return pd.DataFrame(rows, columns=cols)


def reconcile(obs: pd.DataFrame, problems: ProblemLog) -> pd.DataFrame:
    """Pick one row per key. Agreeing sources: the highest-priority one, all named in `source`.

    Disagreeing sources: a 'not published' from any source wins over a number (we never show
    what an official file withholds); between numbers, the majority, else the highest priority
    — and every disagreement is listed as a warning naming both cells.
    """
    key = ["year", "province_code", "item_code", "measure"]
    obs = obs.sort_values(key + ["priority", "source"], kind="stable").reset_index(drop=True)
    obs["is_pub"] = (obs["status"] == "published").astype(int)
    grouped = obs.groupby(key, sort=False)
    stats = grouped.agg(n=("source", "size"), n_pub=("is_pub", "sum"),
                        vmin=("value", "min"), vmax=("value", "max"))
    picks = obs.drop_duplicates(key, keep="first").set_index(key)
    picks["sources"] = picks["source"]
    shared = stats.index[stats["n"] > 1]
    if len(shared):  # name every source only where there is more than one
        multi = obs.set_index(key).loc[shared]
        picks.loc[shared, "sources"] = multi.groupby(level=key, sort=False)["source"].agg(" + ".join)
    withheld = (stats["n_pub"] < stats["n"]) & (stats["n_pub"] > 0)
    differ = (stats["n_pub"] == stats["n"]) & ((stats["vmax"] - stats["vmin"]) > TOL)
    for k in stats.index[withheld | differ]:
        grp = obs.loc[grouped.indices[k]]
        if withheld[k]:
            pick = grp[grp["status"] != "published"].iloc[0]
            _warn(problems, k, grp, "one source withholds it; stored as not published")
        else:
            rounded = grp["value"].round(4)
            counts = rounded.value_counts()
            majority = counts.iloc[0] > len(grp) / 2
            pick = grp[rounded == counts.index[0]].iloc[0] if majority else grp.iloc[0]
            _warn(problems, k, grp, f"stored {pick['value']:.4f} from {pick['source']}")
        picks.loc[k, ["value", "status", "source", "file", "sheet", "cell", "priority"]] = (
            pick[["value", "status", "source", "file", "sheet", "cell", "priority"]].to_numpy())
    return picks.drop(columns=["is_pub"]).reset_index()


def _warn(problems: ProblemLog, key, grp: pd.DataFrame, outcome: str) -> None:
    year, prov, item, measure = key
    found = "; ".join(
        f"{r.source} {r.cell}: {'not published' if r.status != 'published' else f'{r.value:.4f}'}"
        for r in grp.itertuples()
    )
    problems.warning(grp["file"].iloc[0], f"sources disagree on {item} {measure} for province "
                     f"{prov} in {year}: {outcome}", sheet=grp["sheet"].iloc[0],
                     cell=grp["cell"].iloc[0], found=found,
                     action="check the official file on papi.org.vn; add a correction if needed")
