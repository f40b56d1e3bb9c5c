"""Oracle: reconcile as it was on main at a6cb75f (per key, pandas label lookups), unchanged."""

from __future__ import annotations

import pandas as pd

from etl.problems import ProblemLog
from etl.readers.base import Dataset
from etl.steps.corrections import Correction, Key

TOL = 1e-4
# Source kinds, best first (never the file's name): the publisher's per-year workbook layouts,
# then the tidy compilation, then the 2024 workbook regrouped by the 34 provinces (its 2019–2023
# sheets leave regrouped provinces blank). Anything unknown ranks last.
RANK = {"provinces_in_columns": 0, "provinces_in_rows": 0, "tidy_csv": 1,
        "provinces_in_columns_34": 2}
UNRANKED = 9
MOVE = ["value", "status", "source", "file", "sheet", "cell", "priority"]


def observations_frame(datasets: list[Dataset]) -> pd.DataFrame:
    rows = [
        (o.year, o.province_code, o.item_code, o.measure, o.value, o.status, ds.source,
         str(ds.file), ds.sheet, o.cell, RANK.get(ds.layout, UNRANKED))
        for ds in datasets if not ds.refused for o in ds.observations
    ]
    cols = ["year", "province_code", "item_code", "measure", "value", "status", "source",
            "file", "sheet", "cell", "priority"]
    return pd.DataFrame(rows, columns=cols)


def reconcile(obs: pd.DataFrame, problems: ProblemLog, *, keep_going: bool = False,
              corrections: dict[Key, Correction] | None = None) -> pd.DataFrame:
    """Pick one row per key; agreeing sources are all named in `sources`.

    - A 'not published' from any source wins over a number (never show what an official file
      withholds): a warning.
    - Numbers that differ (between sources, or twice in one file): an error naming both cells,
      unless etl/ref/corrections.csv settles the key (flag 'corrected'). With keep_going the
      figure of the best-ranked source kind is loaded with flag 'conflict' (a warning); when
      equally ranked sources disagree no figure is chosen (not published, flag 'conflict').
    `competing` lists the other figures for every flagged row.
    """
    corrections = corrections or {}
    key = ["year", "province_code", "item_code", "measure"]
    obs = obs.sort_values(key + ["priority", "source"], kind="stable").reset_index(drop=True)
    obs["is_pub"] = (obs["status"] == "published").astype(int)
    grouped = obs.groupby(key, sort=False)
    stats = grouped.agg(n=("source", "size"), n_pub=("is_pub", "sum"),
                        vmin=("value", "min"), vmax=("value", "max"))
    picks = obs.drop_duplicates(key, keep="first").set_index(key)
    picks["sources"] = picks["source"]
    picks["flag"] = None
    picks["competing"] = None
    shared = stats.index[stats["n"] > 1]
    if len(shared):  # name every source only where there is more than one
        multi = obs.set_index(key).loc[shared]
        picks.loc[shared, "sources"] = multi.groupby(level=key, sort=False)["source"].agg(
            lambda s: " + ".join(dict.fromkeys(s)))
    withheld = (stats["n_pub"] < stats["n"]) & (stats["n_pub"] > 0)
    differ = (stats["n_pub"] == stats["n"]) & ((stats["vmax"] - stats["vmin"]) > TOL)
    corrected = stats.index.map(lambda k: (k[0], k[1], k[2]) in corrections and k[3] == "value")
    for k in stats.index[withheld | differ | corrected]:
        grp = obs.loc[grouped.indices[k]]
        fix = corrections.get((k[0], k[1], k[2])) if k[3] == "value" else None
        if fix is not None:
            _apply(picks, k, grp.iloc[0], fix.value, "corrected", _figures(grp, fix.value))
            problems.info(grp["file"].iloc[0], f"{k[2]} for province {k[1]} in {k[0]}: "
                          f"corrected by {fix.describe()}", sheet=grp["sheet"].iloc[0],
                          cell=grp["cell"].iloc[0], found=_found(grp))
        elif withheld[k]:
            pick = grp[grp["status"] != "published"].iloc[0]
            picks.loc[k, MOVE] = pick[MOVE].to_numpy()
            _report(problems.warning, k, grp, "one source withholds it; stored as not published")
        elif not keep_going:
            _report(problems.error, k, grp, "add the right figure to etl/ref/corrections.csv, "
                    "or use --keep-going to load the best-ranked source's figure")
        else:
            best = grp[grp["priority"] == grp["priority"].min()]
            if (best["value"].max() - best["value"].min()) > TOL:
                _apply(picks, k, best.iloc[0], None, "conflict", _figures(grp, None))
                outcome = "equally ranked sources disagree: no figure chosen (not published)"
            else:
                pick = best.iloc[0]
                _apply(picks, k, pick, pick["value"], "conflict", _figures(grp, pick["value"]))
                outcome = f"stored {pick['value']:.4f} from {pick['source']} (best-ranked kind)"
            _report(problems.warning, k, grp, outcome)
    return picks.drop(columns=["is_pub"]).reset_index()


def _apply(picks: pd.DataFrame, k, row: pd.Series, value: float | None, flag: str,
           competing: str) -> None:
    picks.loc[k, MOVE] = row[MOVE].to_numpy()
    picks.loc[k, "value"] = value
    picks.loc[k, "status"] = "published" if value is not None else "not_published"
    picks.loc[k, "flag"] = flag
    picks.loc[k, "competing"] = competing


def _figure(r) -> str:
    return "not published" if r.status != "published" else f"{r.value:.4f}"


def _figures(grp: pd.DataFrame, chosen: float | None) -> str:
    """The figures other than the stored one, each with its source and cell."""
    return "; ".join(f"{r.source} {r.cell}: {_figure(r)}" for r in grp.itertuples()
                     if chosen is None or r.status != "published" or abs(r.value - chosen) > TOL)


def _found(grp: pd.DataFrame) -> str:
    return "; ".join(f"{r.source} {r.cell}: {_figure(r)}" for r in grp.itertuples())


def _report(log, key, grp: pd.DataFrame, outcome: str) -> None:
    year, prov, item, measure = key
    verb = "sources disagree" if grp["source"].nunique() > 1 else "the same key twice, different values,"
    log(grp["file"].iloc[0], f"{verb} on {item} {measure} for province {prov} in {year}: {outcome}",
        sheet=grp["sheet"].iloc[0], cell=grp["cell"].iloc[0], found=_found(grp),
        action="check the official file on papi.org.vn; add a correction in "
               "etl/ref/corrections.csv (year, province, item, value, source, reason)")
