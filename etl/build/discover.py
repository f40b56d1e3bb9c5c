"""Find the input files below the input folders, in a stable order."""

from __future__ import annotations

from pathlib import Path

SCORE_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
IGNORED_NAMES = {".gitkeep", "README.md", ".DS_Store"}


def input_files(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for root in inputs:
        root = Path(root)
        if root.is_file():
            files.append(root)
            continue
        if not root.is_dir():
            raise FileNotFoundError(f"input folder not found: {root}")
        files += [p for p in root.rglob("*") if p.is_file() and p.name not in IGNORED_NAMES
                  and not p.name.startswith(("~$", "."))]
    return sorted(set(files), key=lambda p: (str(p.parent), p.name))
