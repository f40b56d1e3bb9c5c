"""One value per year × province × item × measure from several sources; disagreements are errors
unless a correction settles them, or --keep-going loads the highest-ranked source kind's figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

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

# An observation row is a list in this order (plain Python lists: no frame library loaded); rows
# may carry more fields after these (the build adds the vintage), kept as they are.
OBS_COLS = ["year", "province_code", "item_code", "measure", "value", "status", "source",
            "file", "sheet", "cell", "priority"]
(YEAR, PROV, ITEM, MEASURE, VALUE, STATUS, SOURCE, FILE, SHEET, CELL, PRIORITY) = range(11)
VINTAGE = len(OBS_COLS)  # the field the build adds after OBS_COLS
MOVE = (VALUE, STATUS, SOURCE, FILE, SHEET, CELL, PRIORITY)  # what a chosen row brings along
# reconcile() appends these three to each row it keeps
PICK_COLS = ["sources", "flag", "competing"]


def observations(datasets: list[Dataset], *tail: object) -> list[list]:
    """Every observation of the datasets not refused, one row each (OBS_COLS, then `tail`), in
    their order."""
    cols = columns(datasets)
    return [[*row, *tail] for row in zip(*cols.values(), strict=True)]


def columns(datasets: list[Dataset], **tail: object) -> dict[str, list]:
    """The rows observations() gives, as columns (OBS_COLS, then a constant column per `tail`)."""
    out: dict[str, list] = {name: [] for name in [*OBS_COLS, *tail]}
    for ds in datasets:
        c = ds.cols
        if ds.refused or not c:
            continue
        n = len(c)
        out["year"] += [ds.year] * n
        out["province_code"] += c.province_code
        out["item_code"] += c.item_code
        out["measure"] += c.measure
        out["value"] += c.value
        out["status"] += c.status
        out["source"] += [ds.source] * n
        out["file"] += [str(ds.file)] * n
        out["sheet"] += [ds.sheet] * n
        out["cell"] += c.cell
        out["priority"] += [RANK.get(ds.layout, UNRANKED)] * n
        for name, value in tail.items():
            out[name] += [value] * n
    return out


def reconcile(rows: list[list], problems: ProblemLog, *, keep_going: bool = False,
              corrections: dict[Key, Correction] | None = None) -> list[list]:
    """pick() on rows (OBS_COLS, then any further fields): the kept rows, PICK_COLS appended."""
    width = len(rows[0]) if rows else len(OBS_COLS)
    names = [*OBS_COLS, *(f"_{i}" for i in range(len(OBS_COLS), width))]
    cols = dict(zip(names, map(list, zip(*rows, strict=True)), strict=True)) if rows else {
        name: [] for name in names}
    out = pick(cols, problems, keep_going=keep_going, corrections=corrections)
    return [list(row) for row in zip(*out.values(), strict=True)]


def _ranks(values: list) -> tuple[np.ndarray, list]:
    """Each value's place among the distinct values, and those values sorted (None first)."""
    distinct = sorted(set(values), key=lambda v: (v is not None, v))
    place = {v: i for i, v in enumerate(distinct)}
    return np.fromiter(map(place.__getitem__, values), dtype=np.int64,
                       count=len(values)), distinct


def take(values: Sequence, idx: list[int]) -> list:
    """The values at the positions `idx`, in that order (one C call for several)."""
    if len(idx) > 1:
        return list(itemgetter(*idx)(values))
    return [values[i] for i in idx]


@dataclass
class Choice:
    """What choose() decided, for apply() to take: the row kept for each key (its position),
    the sources that agree on it, and the rows a rule settled (key's position → the whole row,
    PICK_COLS included). Small: a forked child hands it back instead of the rows."""

    firsts: list[int]
    sources: list
    settled: dict[int, list] = field(default_factory=dict)


def pick(cols: dict[str, list], problems: ProblemLog, *, keep_going: bool = False,
         corrections: dict[Key, Correction] | None = None) -> dict[str, list]:
    """apply(cols, choose(…)): see choose()."""
    return apply(cols, choose(cols, problems, keep_going=keep_going, corrections=corrections))


def apply(cols: dict[str, list], choice: Choice, names: Sequence[str] | None = None
          ) -> dict[str, list]:
    """The columns of the chosen rows (those of `cols`, then PICK_COLS; `names`: only these),
    in key order."""
    every = [*cols, *PICK_COLS]
    out: dict[str, list] = {}
    for name in every if names is None else names:
        if name in cols:
            out[name] = take(cols[name], choice.firsts)
        else:
            out[name] = list(choice.sources) if name == "sources" else [None] * len(choice.firsts)
    at = [(out[name], i) for i, name in enumerate(every) if name in out]
    for g, row in choice.settled.items():
        for column, i in at:
            column[g] = row[i]
    return out


def choose(cols: dict[str, list], problems: ProblemLog, *, keep_going: bool = False,
           corrections: dict[Key, Correction] | None = None) -> Choice:
    """Pick one row per key (year, province, item, measure) of columns (OBS_COLS, then any
    more, kept as they are), in key order; PICK_COLS `sources`, `flag` and `competing` are
    added. Within a key, rows are taken in the order (priority, source, then as given);
    agreeing sources are all named in `sources`.

    - A 'not published' from any source wins over a number (never show what an official file
      withholds): a warning.
    - Numbers that differ (between sources, or twice in one file): an error naming both cells,
      unless etl/ref/corrections.csv settles the key (flag 'corrected'). With keep_going the
      figure of the best-ranked source kind is loaded with flag 'conflict' (a warning); when
      equally ranked sources disagree no figure is chosen (not published, flag 'conflict').
    `competing` lists the other figures for every flagged row.

    Keys and sources are ranked once and the rows ordered by one stable integer sort; only
    keys of several rows, and keys a rule may change, are looked at one by one.
    """
    corrections = corrections or {}
    names = list(cols)
    n = len(cols["year"])
    if not n:
        return Choice([], [])
    ranked = [_ranks(cols[c]) for c in ("year", "province_code", "item_code", "measure",
                                        "priority", "source")]
    ranks = [r for r, _ in ranked]
    key = ranks[0]
    for r in ranks[1:4]:
        key = key * (int(r.max()) + 1) + r
    full = (key * (int(ranks[4].max()) + 1) + ranks[4]) * (int(ranks[5].max()) + 1) + ranks[5]
    order = np.argsort(full, kind="stable")  # stable: equal rows keep their order
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, n])
    firsts = order[starts].tolist()
    pub = np.fromiter((s == "published" for s in cols["status"]), dtype=bool, count=n)[order]
    value = np.array([np.nan if v is None else v for v in cols["value"]],
                     dtype=np.float64)[order]
    n_pub = np.add.reduceat(pub.astype(np.int64), starts)
    with np.errstate(invalid="ignore"):
        spread = np.fmax.reduceat(value, starts) - np.fmin.reduceat(value, starts)
    withheld = (n_pub > 0) & (n_pub < sizes)
    differ = (n_pub == sizes) & (spread > TOL)
    look = (sizes > 1) & (withheld | differ)
    if corrections:
        fixed_items = {k[2] for k in corrections}
        group = np.empty(n, dtype=np.int64)
        group[order] = np.repeat(np.arange(len(starts)), sizes)
        year, prov, item, measure = (cols[c] for c in ("year", "province_code", "item_code",
                                                       "measure"))
        fixed = [i for i, it in enumerate(ranked[2][1]) if it in fixed_items]
        for i in np.flatnonzero(np.isin(ranks[2], fixed)).tolist():
            if measure[i] == "value" and (year[i], prov[i], item[i]) in corrections:
                look[group[i]] = True
    source = cols["source"]
    sources = take(source, firsts)
    order_list = order.tolist()
    two = np.flatnonzero(sizes == 2)
    a, b = order[starts[two]], order[starts[two] + 1]
    same = ranks[5][a] == ranks[5][b]
    for g, i, j, one in zip(two.tolist(), a.tolist(), b.tolist(), same.tolist(), strict=True):
        sources[g] = str(source[i]) if one else f"{source[i]!s} + {source[j]!s}"
    for g in np.flatnonzero(sizes > 2).tolist():
        at = starts[g]
        members = [source[i] for i in order_list[at:at + sizes[g]]]
        sources[g] = " + ".join([str(s) for s in dict.fromkeys(members)])
    choice = Choice(firsts, sources)
    rows_of = [cols[name] for name in names]
    for g in np.flatnonzero(look).tolist():
        at = starts[g]
        grp = [[c[i] for c in rows_of] for i in order_list[at:at + sizes[g]]]
        picked = grp[0] + [sources[g], None, None]
        first = grp[0]
        _settle(picked, (first[YEAR], first[PROV], first[ITEM], first[MEASURE]), grp,
                problems, keep_going, corrections)
        choice.settled[g] = picked
    return choice


def _settle(picked: list, key: tuple, grp: list[list], problems: ProblemLog, keep_going: bool,
            corrections: dict[Key, Correction]) -> None:
    """Apply the rules above to one key's rows (sorted); `picked` is its first row, extended."""
    n_pub = sum(r[STATUS] == "published" for r in grp)
    withheld = 0 < n_pub < len(grp)
    values = [v for r in grp if (v := r[VALUE]) is not None and v == v]  # NaN skipped
    differ = (n_pub == len(grp) and bool(values)
              and (max(values) - min(values)) > TOL)
    fix = corrections.get((key[0], key[1], key[2])) if key[3] == "value" else None
    if not (withheld or differ or fix is not None):
        return
    first = grp[0]
    if fix is not None:
        _apply(picked, first, fix.value, "corrected", _figures(grp, fix.value))
        problems.info(first[FILE], f"{key[2]} for province {key[1]} in {key[0]}: "
                      f"corrected by {fix.describe()}", sheet=_text(first[SHEET]),
                      cell=first[CELL], found=_found(grp),
                      message_vi=f"{key[2]} của tỉnh {key[1]} năm {key[0]}: đã sửa theo tệp hiệu "
                                 f"chỉnh ({fix.describe_vi()})")
    elif withheld:
        pick = next(r for r in grp if r[STATUS] != "published")
        for i in MOVE:
            picked[i] = pick[i]
        _report(problems.warning, key, grp, "one source withholds it; stored as not published",
                "một nguồn không công bố số này; lưu là không công bố")
    elif not keep_going:
        _report(problems.error, key, grp, "add the right figure to etl/ref/corrections.csv, "
                "or use --keep-going to load the best-ranked source's figure",
                "ghi số đúng vào etl/ref/corrections.csv, hoặc dùng --keep-going để nạp số "
                "của nguồn xếp hạng cao nhất")
    else:
        top = min(r[PRIORITY] for r in grp)
        best = [r for r in grp if r[PRIORITY] == top]
        spread = [v for r in best if (v := r[VALUE]) is not None and v == v]
        if spread and (max(spread) - min(spread)) > TOL:
            _apply(picked, best[0], None, "conflict", _figures(grp, None))
            outcome = "equally ranked sources disagree: no figure chosen (not published)"
            outcome_vi = "các nguồn cùng hạng cho số khác nhau: không chọn số nào (không công bố)"
        else:
            pick = best[0]
            _apply(picked, pick, pick[VALUE], "conflict", _figures(grp, pick[VALUE]))
            outcome = f"stored {pick[VALUE]:.4f} from {pick[SOURCE]} (best-ranked kind)"
            outcome_vi = (f"lưu {num_vi(pick[VALUE], '.4f')} của {pick[SOURCE]} (loại "
                          "nguồn xếp hạng cao nhất)")
        _report(problems.warning, key, grp, outcome, outcome_vi)


def _num(value: float | None) -> float:
    return float("nan") if value is None else value


def _apply(picked: list, row: list, value: float | None, flag: str, competing: str) -> None:
    for i in MOVE:
        picked[i] = row[i]
    picked[VALUE] = value
    picked[STATUS] = "published" if value is not None else "not_published"
    n = len(picked)
    picked[n - 2] = flag
    picked[n - 1] = competing


def _figure(r: list) -> str:
    return "not published" if r[STATUS] != "published" else f"{_num(r[VALUE]):.4f}"


def _figures(grp: list[list], chosen: float | None) -> str:
    """The figures other than the stored one, each with its source and cell."""
    return "; ".join(f"{r[SOURCE]} {r[CELL]}: {_figure(r)}" for r in grp
                     if chosen is None or r[STATUS] != "published"
                     or abs(_num(r[VALUE]) - chosen) > TOL)


def _found(grp: list[list]) -> str:
    return "; ".join(f"{r[SOURCE]} {r[CELL]}: {_figure(r)}" for r in grp)


def _report(log, key, grp: list[list], outcome: str, outcome_vi: str) -> None:
    year, prov, item, measure = key
    several = len({r[SOURCE] for r in grp if r[SOURCE] is not None}) > 1
    verb = "sources disagree" if several else "the same key twice, different values,"
    verb_vi = ("các nguồn cho số khác nhau" if several
               else "cùng một khóa xuất hiện hai lần với giá trị khác nhau")
    first = grp[0]
    log(first[FILE], f"{verb} on {item} {measure} for province {prov} in {year}: {outcome}",
        sheet=_text(first[SHEET]), cell=first[CELL], found=_found(grp),
        action="check the official file on papi.org.vn; add a correction in "
               "etl/ref/corrections.csv (year, province, item, value, source, reason)",
        message_vi=f"{verb_vi} ở {item} {measure} của tỉnh {prov} năm {year}: {outcome_vi}",
        action_vi="đối chiếu tệp chính thức trên papi.org.vn; ghi hiệu chỉnh vào "
                  "etl/ref/corrections.csv (năm, tỉnh, chỉ tiêu, giá trị, nguồn, lý do)")


def _text(value: object) -> str | None:
    """A sheet name for a message: None (no sheet: a CSV), never a float NaN shown as 'nan'."""
    return None if value is None or (isinstance(value, float) and value != value) else str(value)
