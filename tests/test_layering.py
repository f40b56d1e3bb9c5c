"""Imports run one way: dashboard may use etl, etl never imports dashboard; `papi` spans both."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_etl_never_imports_dashboard() -> None:
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in imported_modules(p)
                                                  if m.split(".")[0] in {"dashboard", "papi"})
                 for p in sorted((ROOT / "etl").rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_papi_command_has_every_subcommand() -> None:
    from papi.cli import parser

    sub = next(a for a in parser()._actions if a.dest == "command")
    assert set(sub.choices) == {"etl", "demo", "plan", "template", "briefing", "db", "users"}


def test_console_script_points_at_the_spanning_command() -> None:
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["scripts"]["papi"] == "papi.cli:run"
    assert "papi" in meta["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
