"""mypy with the project's configuration ([tool.mypy] of pyproject.toml) finds no error."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, check=False)


def _checked_files() -> int:
    """The .py files of the configured packages that the configuration does not exclude."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    excluded = [re.compile(x) for x in conf.get("exclude", [])]
    return sum(1 for pkg in conf["packages"] for p in (ROOT / pkg).rglob("*.py")
               if not any(x.search(p.relative_to(ROOT).as_posix()) for x in excluded))


@pytest.mark.slow
@pytest.mark.xdist_group("types")
def test_mypy_passes_on_the_packages() -> None:
    res = _mypy()
    out = f"mypy exit {res.returncode}:\n{res.stdout}\n{res.stderr}"
    assert res.returncode == 0, out
    found = re.search(r"no issues found in (\d+) source files", res.stdout)
    assert found is not None, out
    assert int(found.group(1)) >= _checked_files(), out  # every module of etl, dashboard, papi


@pytest.mark.xdist_group("types")
def test_the_configuration_refuses_an_unchecked_none(tmp_path: Path) -> None:
    """The gate bites: the kind of error fixed in the packages (an Optional used unchecked)."""
    bad = tmp_path / "bad.py"
    bad.write_text("def last(x: list[int] | None) -> int:\n    return x[-1]\n", encoding="utf-8")
    res = _mypy(str(bad))
    assert res.returncode == 1, f"{res.stdout}\n{res.stderr}"
    assert 'Value of type "list[int] | None" is not indexable' in res.stdout, res.stdout
