"""One value per year × province × item × measure from several sources; disagreements are errors
unless a correction settles them, or --keep-going loads the highest-ranked source kind's figure."""

from __future__ import annotations

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
    rows: list[list] = []
    for ds in datasets:
        c = ds.cols
        if ds.refused or not c:
            continue
        year, source, file, sheet = ds.year, ds.source, str(ds.file), ds.sheet
        priority = RANK.get(ds.layout, UNRANKED)
        rows += [[year, p, item, m, v, s, source, file, sheet, cell, priority, *tail]
                 for p, item, m, v, s, cell in zip(c.province_code, c.item_code, c.measure,
                                                   c.value, c.status, c.cell, strict=True)]
    return rows


def _order(row: list) -> tuple:
    return row[PRIORITY], row[SOURCE]


def reconcile(rows: list[list], problems: ProblemLog, *, keep_going: bool = False,
              corrections: dict[Key, Correction] | None = None) -> list[list]:
    """Pick one row per key (year, province, item, measure), in key order; each kept row gets
    `sources`, `flag` and `competing` appended. Within a key, rows are taken in the order
    (priority, source, then as given); agreeing sources are all named in `sources`.

    - A 'not published' from any source wins over a number (never show what an official file
      withholds): a warning.
    - Numbers that differ (between sources, or twice in one file): an error naming both cells,
      unless etl/ref/corrections.csv settles the key (flag 'corrected'). With keep_going the
      figure of the best-ranked source kind is loaded with flag 'conflict' (a warning); when
      equally ranked sources disagree no figure is chosen (not published, flag 'conflict').
    `competing` lists the other figures for every flagged row.
    """
    corrections = corrections or {}
    fixed_items = {k[2] for k in corrections}
    groups: dict[tuple, list[list]] = {}
    get = groups.get
    for row in rows:
        key = (row[YEAR], row[PROV], row[ITEM], row[MEASURE])
        grp = get(key)
        if grp is None:
            groups[key] = [row]
        else:
            grp.append(row)
    out: list[list] = []
    append = out.append
    for key in sorted(groups):
        grp = groups[key]
        fixed = (key[2] in fixed_items and key[3] == "value"
                 and (key[0], key[1], key[2]) in corrections)
        if len(grp) == 1:
            first = grp[0]
            picked = first + [first[SOURCE], None, None]
            if fixed:
                _settle(picked, key, grp, problems, keep_going, corrections)
            append(picked)
            continue
        if len(grp) == 2:  # the common case of several sources, ordered without a sort
            a, b = grp
            if (b[PRIORITY], b[SOURCE]) < (a[PRIORITY], a[SOURCE]):
                grp.reverse()
                a, b = grp
            names = [a[SOURCE]] if a[SOURCE] == b[SOURCE] else [a[SOURCE], b[SOURCE]]
        else:
            grp.sort(key=_order)  # stable: equal rows keep their order
            names = list(dict.fromkeys([r[SOURCE] for r in grp]))
        first = grp[0]
        picked = first + [" + ".join([str(s) for s in names]), None, None]
        if fixed or _flagged(grp):
            _settle(picked, key, grp, problems, keep_going, corrections)
        append(picked)
    return out


def _flagged(grp: list[list]) -> bool:
    """Whether a key's rows need a rule below: some withhold what others publish, or all
    publish and their numbers differ."""
    if len(grp) == 2:
        a, b = grp
        if a[STATUS] != b[STATUS]:
            return a[STATUS] == "published" or b[STATUS] == "published"  # withheld by one
        if a[STATUS] != "published":
            return False
        x, y = a[VALUE], b[VALUE]
        if x is None or y is None or x != x or y != y:
            return False  # fewer than two numbers: nothing to differ
        return abs(x - y) > TOL
    statuses = {r[STATUS] for r in grp}
    if "published" not in statuses:
        return False
    if len(statuses) > 1:
        return True  # withheld by some
    values = [v for r in grp if (v := r[VALUE]) is not None and v == v]
    return bool(values) and (max(values) - min(values)) > TOL


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
