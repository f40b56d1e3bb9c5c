"""One value per year × province × item × measure from several sources; disagreements are errors
unless a correction settles them, or --keep-going loads the highest-ranked source kind's figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.problems import ProblemLog, num_vi
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


OBS_COLS = ["year", "province_code", "item_code", "measure", "value", "status", "source",
            "file", "sheet", "cell", "priority"]


def observations_frame(datasets: list[Dataset]) -> pd.DataFrame:
    """Every observation of the datasets not refused, one row each (built column by column: the
    text columns as Arrow arrays, a dataset's constants repeated in C)."""
    kept = [ds for ds in datasets if not ds.refused and ds.observations]
    obs = [o for ds in kept for o in ds.observations]
    if not obs:
        return pd.DataFrame([], columns=OBS_COLS)
    which = np.repeat(np.arange(len(kept)), [len(ds.observations) for ds in kept])

    def text(values: list) -> pd.api.extensions.ExtensionArray:
        return pd.array(pa.array(values, type=pa.string()), dtype="str")

    def each(value) -> pd.api.extensions.ExtensionArray | list:  # a per-dataset constant
        values = [value(ds) for ds in kept]
        if all(v is None for v in values):  # as pandas infers it: object, not text
            return [None] * len(which)
        return text(values).take(which)

    return pd.DataFrame({
        "year": [o.year for o in obs],
        "province_code": text([o.province_code for o in obs]),
        "item_code": text([o.item_code for o in obs]), "measure": text([o.measure for o in obs]),
        "value": [o.value for o in obs],
        "status": text([o.status for o in obs]),
        "source": each(lambda ds: ds.source), "file": each(lambda ds: str(ds.file)),
        "sheet": each(lambda ds: ds.sheet), "cell": text([o.cell for o in obs]),
        "priority": np.array([RANK.get(ds.layout, UNRANKED) for ds in kept],
                             dtype=np.int64)[which]}, columns=OBS_COLS)


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
    # Sorted by key, each key's rows are one contiguous run: group g is rows starts[g]:ends[g]
    # (a run starts where any key column changes); its counts and extremes by reduceat.
    change = np.zeros(len(obs), dtype=bool)
    change[0] = True
    for col in key:
        ids = pd.factorize(obs[col], use_na_sentinel=False)[0]
        change[1:] |= ids[1:] != ids[:-1]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], len(obs)]
    codes = np.cumsum(change) - 1
    picks = obs.iloc[starts].set_index(key)
    value = obs["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    stats = pd.DataFrame({"n": ends - starts,
                          "n_pub": np.add.reduceat(obs["is_pub"].to_numpy(), starts),
                          "vmin": np.fmin.reduceat(value, starts),  # NaN skipped, as min() does
                          "vmax": np.fmax.reduceat(value, starts)}, index=picks.index.copy())
    picks["sources"] = picks["source"]
    picks["flag"] = None
    picks["competing"] = None
    shared = stats["n"].to_numpy() > 1
    if shared.any():  # name every source only where there is more than one
        picks.loc[shared, "sources"] = _joined_sources(codes, obs["source"], len(stats))[shared]
    withheld = (stats["n_pub"] < stats["n"]) & (stats["n_pub"] > 0)
    differ = (stats["n_pub"] == stats["n"]) & ((stats["vmax"] - stats["vmin"]) > TOL)
    corrected = _corrected(stats.index, corrections)
    for g in np.flatnonzero((withheld | differ).to_numpy() | corrected):
        k = stats.index[g]
        grp = obs.iloc[starts[g]:ends[g]]
        fix = corrections.get((k[0], k[1], k[2])) if k[3] == "value" else None
        if fix is not None:
            _apply(picks, k, grp.iloc[0], fix.value, "corrected", _figures(grp, fix.value))
            problems.info(grp["file"].iloc[0], f"{k[2]} for province {k[1]} in {k[0]}: "
                          f"corrected by {fix.describe()}", sheet=_text(grp["sheet"].iloc[0]),
                          cell=grp["cell"].iloc[0], found=_found(grp),
                          message_vi=f"{k[2]} của tỉnh {k[1]} năm {k[0]}: đã sửa theo tệp hiệu "
                                     f"chỉnh ({fix.describe_vi()})")
        elif withheld.iat[g]:
            pick = grp[grp["status"] != "published"].iloc[0]
            picks.loc[k, MOVE] = pick[MOVE].to_numpy()
            _report(problems.warning, k, grp, "one source withholds it; stored as not published",
                    "một nguồn không công bố số này; lưu là không công bố")
        elif not keep_going:
            _report(problems.error, k, grp, "add the right figure to etl/ref/corrections.csv, "
                    "or use --keep-going to load the best-ranked source's figure",
                    "ghi số đúng vào etl/ref/corrections.csv, hoặc dùng --keep-going để nạp số "
                    "của nguồn xếp hạng cao nhất")
        else:
            best = grp[grp["priority"] == grp["priority"].min()]
            if (best["value"].max() - best["value"].min()) > TOL:
                _apply(picks, k, best.iloc[0], None, "conflict", _figures(grp, None))
                outcome = "equally ranked sources disagree: no figure chosen (not published)"
                outcome_vi = "các nguồn cùng hạng cho số khác nhau: không chọn số nào (không công bố)"
            else:
                pick = best.iloc[0]
                _apply(picks, k, pick, pick["value"], "conflict", _figures(grp, pick["value"]))
                outcome = f"stored {pick['value']:.4f} from {pick['source']} (best-ranked kind)"
                outcome_vi = (f"lưu {num_vi(pick['value'], '.4f')} của {pick['source']} (loại "
                              "nguồn xếp hạng cao nhất)")
            _report(problems.warning, k, grp, outcome, outcome_vi)
    return picks.drop(columns=["is_pub"]).reset_index()


def _joined_sources(codes: np.ndarray, sources: pd.Series, n_groups: int) -> np.ndarray:
    """Per group, its distinct sources joined by ' + ' in row order (each distinct combination
    of sources joined once). Groups are contiguous runs of rows, numbered in row order."""
    ids, names = pd.factorize(sources, use_na_sentinel=False)  # arrow strings: encoded in C
    names = np.asarray(names, dtype=object)
    starts = np.r_[True, codes[1:] != codes[:-1]]
    out = names[ids[starts]]  # first source
    key = codes.astype(np.int64) * (len(names) + 1) + ids
    keep = np.sort(np.unique(key, return_index=True)[1])  # first row of each (group, source)
    g, s = codes[keep], ids[keep]
    several = np.bincount(g, minlength=n_groups) > 1
    if not several.any():
        return out
    pos = np.arange(len(g))
    first = np.r_[True, g[1:] != g[:-1]]
    rank = pos - np.maximum.accumulate(np.where(first, pos, 0))  # k-th distinct source
    table = np.full((n_groups, int(rank.max()) + 1), -1, dtype=np.int64)
    table[g, rank] = s
    rows = np.flatnonzero(several)
    combos, inverse = np.unique(table[rows], axis=0, return_inverse=True)
    joined = np.array([" + ".join(str(names[c]) for c in combo if c >= 0) for combo in combos],
                      dtype=object)
    out[rows] = joined[inverse.ravel()]
    return out


def _corrected(index: pd.MultiIndex, corrections: dict[Key, Correction]) -> np.ndarray:
    """Keys (year, province, item, 'value') that etl/ref/corrections.csv settles (the candidate
    keys found on the Arrow columns; only those are looked up one by one)."""
    out = np.zeros(len(index), dtype=bool)
    if not corrections:
        return out
    items = list({k[2] for k in corrections})
    maybe = np.flatnonzero(np.asarray(index.get_level_values(3) == "value")
                           & np.asarray(index.get_level_values(2).isin(items)))
    year, prov, item = (index.get_level_values(i)[maybe].tolist() for i in range(3))
    out[maybe] = [k in corrections for k in zip(year, prov, item, strict=True)]
    return out


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


def _report(log, key, grp: pd.DataFrame, outcome: str, outcome_vi: str) -> None:
    year, prov, item, measure = key
    several = grp["source"].nunique() > 1
    verb = "sources disagree" if several else "the same key twice, different values,"
    verb_vi = ("các nguồn cho số khác nhau" if several
               else "cùng một khóa xuất hiện hai lần với giá trị khác nhau")
    log(grp["file"].iloc[0], f"{verb} on {item} {measure} for province {prov} in {year}: {outcome}",
        sheet=_text(grp["sheet"].iloc[0]), cell=grp["cell"].iloc[0], found=_found(grp),
        action="check the official file on papi.org.vn; add a correction in "
               "etl/ref/corrections.csv (year, province, item, value, source, reason)",
        message_vi=f"{verb_vi} ở {item} {measure} của tỉnh {prov} năm {year}: {outcome_vi}",
        action_vi="đối chiếu tệp chính thức trên papi.org.vn; ghi hiệu chỉnh vào "
                  "etl/ref/corrections.csv (năm, tỉnh, chỉ tiêu, giá trị, nguồn, lý do)")


def _text(value: object) -> str | None:
    """A sheet name for a message: None (no sheet: a CSV), never pandas' NaN shown as 'nan'."""
    return None if value is None or (isinstance(value, float) and value != value) else str(value)
