"""Find the input files below the input folders, in a stable order, never leaving those folders."""

from __future__ import annotations

import os
from pathlib import Path

SCORE_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
IGNORED_NAMES = {".gitkeep", "README.md", ".DS_Store"}


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


def scan(inputs: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files to read, links skipped). Folders are walked without following symbolic links;
    a linked file is read only when its target lies inside one of the input folders."""
    roots = [Path(r).resolve() for r in inputs if Path(r).is_dir()]
    files: list[Path] = []
    outside: list[Path] = []
    for root in inputs:
        root = Path(root)
        if root.is_file():
            files.append(root)
            continue
        if not root.is_dir():
            raise FileNotFoundError(f"input folder not found: {root}")
        for folder, dirs, names in os.walk(root, followlinks=False):
            linked = [d for d in dirs if (Path(folder) / d).is_symlink()]
            outside += [Path(folder) / d for d in linked
                        if not _inside((Path(folder) / d).resolve(), roots)]
            dirs[:] = [d for d in dirs if d not in linked]  # inside ones are walked as themselves
            for name in names:
                p = Path(folder) / name
                if name in IGNORED_NAMES or name.startswith(("~$", ".")):
                    continue
                if p.is_symlink() and not _inside(p.resolve(), roots):
                    outside.append(p)
                elif p.is_file():
                    files.append(p)
    order = lambda p: (str(p.parent), p.name)  # noqa: E731
    return sorted(set(files), key=order), sorted(set(outside), key=order)


def input_files(inputs: list[Path]) -> list[Path]:
    """The files to read below `inputs` (see scan)."""
    return scan(inputs)[0]
