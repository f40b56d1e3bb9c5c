"""The fourth round's workbook readers against the third's (tests/reference/round3_readers): the
same bounds decisions, XML scan and read results on the real workbooks and the reliability
corpus, the cell bound met exactly at every count, and the kept XML equal to the zip's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from etl.problems import Problem
from etl.readers import bounds, workbook, xml_scan
from tests.reference.old_workbook import xml_scan as old_xml_scan  # round 3 scanned the same
from tests.reference.round3_readers import bounds as old_bounds
from tests.reference.round3_readers import workbook as old_workbook
from tests.test_workbook_oracle import CORPUS, observed, shared_formulas_book

REAL = ["PAPI-2015-2023.xlsm", "PAPI_2011-2016.xlsx"]


def _outcome(check, path: Path) -> Problem | str | None:
    """What a bounds check decides: None (read), the TooLarge problem, or the zip error's type."""
    try:
        check(path)
    except (bounds.TooLarge, old_bounds.TooLarge) as exc:
        return exc.problem
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return type(exc).__name__
    return None


def _exact_cells(path: Path) -> int:
    """The values the round-3 bound counts in all sheets (its own streaming count)."""
    with zipfile.ZipFile(path) as z:
        return sum(old_bounds._stream(z, i, 1 << 40, count=True)[1] for i in z.infolist()
                   if i.filename.startswith("xl/worksheets/"))


def _same_everything(path: Path) -> None:
    bounds.cache_clear()
    old_bounds._check.cache_clear()
    assert _outcome(bounds.check_keeping, path) == _outcome(old_bounds.check, path), path.name
    bounds.cache_clear()
    new, old = observed(workbook.read(path)), observed(old_workbook.read(path))
    for key in old:
        assert new[key] == old[key], f"{path.name}: {key} differ"


def _kept_is_the_zip(path: Path) -> int:
    bounds.cache_clear()
    kept = bounds.check_keeping(path)
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert kept == {n: z.read(n) for n in sheets}
    assert xml_scan.scan(path, kept) == old_xml_scan.scan(path)
    bounds.cache_clear()
    assert bounds.check_keeping(path) == kept and bounds.check_keeping(path) == {}  # once a build
    return len(kept)


@pytest.mark.shared
@pytest.mark.parametrize("name", REAL)
def test_real_workbooks_as_round3(shared: Path, name: str) -> None:
    path = shared / "papi" / "official" / name
    _same_everything(path)
    assert _kept_is_the_zip(path) >= 6


@pytest.mark.shared
@pytest.mark.parametrize("name", REAL)
def test_real_workbooks_cell_bound_at_every_edge(shared: Path, name: str, monkeypatch) -> None:
    """At, under and over the exact count, and where only the fast '>' bound would pass."""
    path = shared / "papi" / "official" / name
    n = _exact_cells(path)
    for at in (n - 1, n, n + 1, n * 2, n * 4, 10 * n):
        for module in (bounds, old_bounds):
            monkeypatch.setattr(module, "MAX_CELLS", at)
        bounds.cache_clear()
        old_bounds._check.cache_clear()
        got = _outcome(bounds.check, path)
        assert got == _outcome(old_bounds.check, path), at
        assert (got is None) == (at >= n)


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_workbooks_as_round3(tmp_path: Path, case: str) -> None:
    paths = [p for p in CORPUS[case](tmp_path) if p.suffix.lower() in (".xlsx", ".xlsm")]
    assert paths
    for path in paths:
        _same_everything(path)


@pytest.mark.parametrize("with_values", [True, False])
def test_shared_formulas_and_errors_as_round3(tmp_path: Path, with_values: bool) -> None:
    path = shared_formulas_book(tmp_path, with_values)
    _same_everything(path)
    _kept_is_the_zip(path)


def test_keep_budget_reads_the_rest_from_the_zip(tmp_path: Path, monkeypatch) -> None:
    path = shared_formulas_book(tmp_path, False)
    monkeypatch.setattr(bounds, "KEEP_MAX", 0)
    bounds.cache_clear()
    assert bounds.check_keeping(path) == {}
    _same_everything(path)


def _matches(pattern, xml: bytes, greedy: bool) -> list[tuple]:
    """Every formula-cell match: its span and groups, the <f>'s attributes as the lazy pattern
    gives them (without the '/' of a self-closing <f …/>)."""
    out = []
    for m in pattern.finditer(xml):
        g = list(m.groups())
        if greedy and g[2] is None:
            g[1] = g[1][:-1]
        out.append((m.span(), tuple(g)))
    return out


TRICKY = [
    b'<c r="A1"><f/><v>1</v></c><c r="B1"><f t="shared" si="0"/></c>',
    b'<c r="A1"><f a="x/">T</f><v> </v></c><c r="A2"><f a="1" /  >T</f></c>',
    b'<c r="A1"/><f>x</f><c r="A3"><f si="1/>T</f></c><x:c r="B2"><x:f>S</x:f></x:c>',
    b'<c r="A1">\n <f t="shared" ref="A1:A3" si="2">B1*2</f>\n <v>4</v></c><c><f>1</f></c>',
    b'<c r="A1"><f>A<B</f></c><c r="A1"><f></f><v></v></c><c r="C1"><f t=\'shared\'/>',
    b'<c r="A1"><f>unclosed<c r="B1"><f>B</f><v>2</v></c>',
]


@pytest.mark.parametrize("xml", TRICKY)
def test_formula_pattern_matches_as_round3_on_odd_xml(xml: bytes) -> None:
    assert _matches(xml_scan._FORMULA_CELL, xml, True) == \
        _matches(old_xml_scan._FORMULA_CELL, xml, False)
    try:
        old = list(old_xml_scan.formulas_without_value(xml))
    except old_xml_scan.NoCellAddress:
        with pytest.raises(xml_scan.NoCellAddress):
            list(xml_scan.formulas_without_value(xml))
        return
    assert list(xml_scan.formulas_without_value(xml)) == old


@pytest.mark.shared
@pytest.mark.parametrize("name", REAL)
def test_formula_pattern_matches_as_round3_on_real_sheets(shared: Path, name: str) -> None:
    with zipfile.ZipFile(shared / "papi" / "official" / name) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    found = 0
    for xml in sheets:
        new = _matches(xml_scan._FORMULA_CELL, xml, True)
        assert new == _matches(old_xml_scan._FORMULA_CELL, xml, False)
        found += len(new)
    assert found > 400  # 489 and 13,290 formula cells
