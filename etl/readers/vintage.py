"""One geography vintage per file-year: the one that fits every province the data names."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from etl import ref

NO_FIT_ALLOWED = ("a GSO code and/or a province name of the 63 (until 30/06/2025) or of the 34 "
                  "(from 01/07/2025); code and name of the same province")
NO_FIT_ALLOWED_VI = ("mã tỉnh (GSO) và/hoặc tên tỉnh của danh mục 63 tỉnh (đến 30/06/2025) hoặc "
                     "34 tỉnh (từ 01/07/2025); mã và tên cùng một tỉnh")


@dataclass(frozen=True)
class Entry:
    """A province as a file gives it: code and/or name, and the cell(s) that hold them."""

    key: object  # the reader's own handle (row number, column index)
    code: str | None
    name: str | None
    cell: str


@dataclass
class Decision:
    """The file-year's vintage; with errors, the data is not loadable (vintage = best fit)."""

    vintage: str | None
    codes: dict[object, str]  # entry key → code in `vintage`
    errors: list[tuple[Entry, dict[str, str]]]  # (entry, the problem's texts)
    note: str | None = None  # a vintage other than the year's: said as a warning
    note_vi: str | None = None


def fits(entry: Entry) -> dict[str, str]:
    """{vintage: code} for every vintage in which the entry's code and name agree."""
    return dict(_fits(entry.code, entry.name))


@functools.lru_cache(maxsize=8192)  # the reference lists are static; pairs repeat every year
def _fits(code: str | None, name: str | None) -> tuple[tuple[str, str], ...]:
    out = []
    for v in ref.VINTAGES:
        try:
            out.append((v, ref.resolve_province(code, name, vintage=v)[1]))
        except ref.ProvinceError:
            continue
    return tuple(out)


def decide(entries: list[Entry], year: int) -> Decision:
    """The vintage of a file-year, decided by the whole year (all its entries), never by one.

    Both vintages fit every entry: the year's (≤ 2024 → 63, later → 34). Otherwise the majority:
    an entry fitting the year's vintage votes for it (also when it fits the other: the year
    decides an ambiguous one); an entry fitting only the other vintage votes for that one; a tie
    goes to the year's. When the majority fits every entry and is not the year's vintage, the
    data is read by it with a warning; otherwise every entry that does not fit the majority is
    an error naming its cell (so one old code in a 2025 file by the 34 is an error, not a silent
    switch to the 63), the fitting entries still get their codes: nothing is guessed.
    """
    fitted = [(e, fits(e)) for e in entries]
    if not entries:
        return Decision(None, {}, [])
    common = [v for v in ref.VINTAGES if all(v in f for _, f in fitted)]
    expected = ref.vintage_for_year(year)
    other = next(v for v in ref.VINTAGES if v != expected)
    votes_other = sum(expected not in f and other in f for _, f in fitted)
    best = other if votes_other > sum(expected in f for _, f in fitted) else expected
    if best in common:
        note = note_vi = None
        if best != expected:
            e = next(e for e, f in fitted if expected not in f)
            note = (f"the {year} data is read by the {best} provinces, not the {expected} "
                    f"expected for {year}: '{' '.join(filter(None, [e.code, e.name]))}' at "
                    f"{e.cell} is a province of the {best} only")
            note_vi = (f"dữ liệu năm {year} được đọc theo danh mục {best} tỉnh, không phải "
                       f"danh mục {expected} tỉnh của năm {year}: "
                       f"'{' '.join(filter(None, [e.code, e.name]))}' ở ô {e.cell} chỉ là tỉnh "
                       f"của danh mục {best} tỉnh")
        return Decision(best, {e.key: f[best] for e, f in fitted}, [], note, note_vi)
    errors = []
    for e, f in fitted:
        if best in f:
            continue
        if not f:
            errors.append((e, {**_no_fit(e, year), "allowed": NO_FIT_ALLOWED,
                               "allowed_vi": NO_FIT_ALLOWED_VI}))
        else:
            other = next(iter(f))
            name = ref.province_name(f[other], other)
            errors.append((e, {
                "message": f"{MINORITY} {other} ({name}) while the rest of the "
                           f"{year} data is by the {best} provinces; a file-year is one "
                           f"vintage{_in_vintage(e, best)}",
                "message_vi": f"tỉnh chỉ có trong danh mục {other} tỉnh ({name}) trong khi phần "
                              f"còn lại của dữ liệu năm {year} theo danh mục {best} tỉnh; dữ liệu "
                              "một năm trong một tệp chỉ theo một danh mục",
                "allowed": f"the {best} provinces ({len(ref.province_codes(best))})",
                "allowed_vi": f"các tỉnh của danh mục {best} tỉnh"}))
    # Not loadable; the fitting entries still get their cells checked, so that every problem
    # of the file is listed at once.
    return Decision(best, {e.key: f[best] for e, f in fitted if best in f}, errors)


def _in_vintage(e: Entry, vintage: str) -> str:
    """What the entry's code and name are among the provinces of `vintage`, if anything."""
    parts = []
    code = ref.normalise_code(e.code) if e.code else None
    if code in ref.province_codes(vintage):
        parts.append(f"code {code} is {ref.province_name(code, vintage)}")
    if e.name and (by_name := ref.province_vintages(e.name).get(vintage)):
        parts.append(f"'{e.name}' is code {by_name}")
    return f" (among the {vintage}: {'; '.join(parts)})" if parts else ""


def _no_fit(e: Entry, year: int) -> dict[str, str]:
    """'unknown province (name)', or for a code and a name that each exist but not together, the
    resolver's explanation of what each is in which vintage."""
    if e.code and e.name and (fits(Entry(0, e.code, None, "")) or fits(Entry(0, None, e.name, ""))):
        try:
            ref.resolve_province(e.code, e.name, year=year)
        except ref.ProvinceError as exc:
            return {"message": f"province code and name do not agree: {exc}",
                    "message_vi": "mã tỉnh và tên tỉnh không cùng một tỉnh"}
    if e.name and not e.code:
        return {"message": "unknown province name", "message_vi": "tên tỉnh không có trong danh mục"}
    return {"message": "unknown province", "message_vi": "không nhận ra tỉnh"}


def report(decision: Decision, problems, file, sheet=None) -> None:
    """Log every entry that does not fit, naming the cell, what was found and what to do."""
    if decision.note:
        problems.warning(file, decision.note, sheet=sheet,
                         action="check that the file really gives the old provinces' figures",
                         message_vi=decision.note_vi,
                         action_vi="kiểm tra tệp có thật sự cho số liệu theo các tỉnh cũ không")
    for e, texts in decision.errors:
        found = " ".join(filter(None, [e.code, e.name])) or "(empty)"
        problems.error(file, sheet=sheet, cell=e.cell, found=found, **texts,
                       action="correct the code or name so both name one province of one "
                              "vintage (63 until 30/06/2025, 34 from 01/07/2025), or add an alias "
                              "to etl/ref/province_aliases.csv",
                       action_vi="sửa mã hoặc tên để cả hai chỉ cùng một tỉnh của một danh mục "
                                 "(63 tỉnh đến 30/06/2025, 34 tỉnh từ 01/07/2025), hoặc thêm tên "
                                 "khác vào etl/ref/province_aliases.csv")


MINORITY = "province fits only vintage"  # how the error for a minority-geography entry starts


def is_minority(problem) -> bool:
    """Whether an error is about an entry of the year's minority geography: its row is left
    out and, with --keep-going, the rest of the file (the majority geography) still loads."""
    return problem.severity == "error" and problem.message.startswith(MINORITY)


def match_any(name: str) -> bool:
    """Whether a text names a province of either vintage."""
    return bool(ref.province_vintages(name))
