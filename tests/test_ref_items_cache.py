"""items.yaml kept parsed by setup (etl.ref.ITEMS_CACHE): the same document, never a stale one.

`papi etl` reads the reference items on every run; with setup's parsed copy it neither imports
PyYAML nor parses (≈ 15 ms of each run, issue 23). A copy parsed from other bytes (the YAML
edited since setup) or one that cannot be read must be ignored: the YAML is parsed instead."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from etl import ref

ROOT = Path(__file__).resolve().parents[1]


def test_setups_copy_is_the_parsed_yaml() -> None:
    ref.write_items_cache()
    raw = ref.ITEMS.read_bytes()
    cached = ref._cached_items(raw)
    assert cached is not None
    assert cached == ref._parse_items(raw)
    assert cached["eras"] and cached["totals"]


@pytest.mark.parametrize("content", ["another yaml's copy", "not a pickle", "missing"])
def test_a_stale_or_unreadable_copy_is_ignored(content: str, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "items.yaml.pickle"
    if content == "another yaml's copy":
        path.write_bytes(pickle.dumps(("0" * 64, {"eras": {}, "totals": {}})))
    elif content == "not a pickle":
        path.write_bytes(b"\x00garbage")
    monkeypatch.setattr(ref, "ITEMS_CACHE", path)
    raw = ref.ITEMS.read_bytes()
    assert ref._cached_items(raw) is None
    assert ref._items_yaml.__wrapped__() == ref._parse_items(raw)  # the YAML itself


def test_the_items_of_a_run_come_without_pyyaml_after_setup() -> None:
    code = ("import sys; from etl import ref; n = len(ref.eras()); "
            "print(n, sorted(m for m in sys.modules if m.split('.')[0] == 'yaml'))")
    subprocess.run([sys.executable, "-m", "etl.ref"], cwd=ROOT, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.split(" ", 1)
    assert int(out[0]) >= 2 and out[1].strip() == "[]"
