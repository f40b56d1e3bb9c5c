"""What every build step receives: the connection being built, the inputs and the problem log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from etl.problems import ProblemLog


@dataclass
class FileRecord:
    """One input file and what the build did with it."""

    path: Path
    kind: str  # "score_workbook", "tidy_csv", "plan", "report", "unrecognised"
    status: str = "pending"  # "loaded", "skipped", "refused"
    rows: int = 0
    message: str = ""


@dataclass
class BuildContext:
    con: duckdb.DuckDBPyConnection
    inputs: list[Path]
    problems: ProblemLog = field(default_factory=ProblemLog)
    files: list[FileRecord] = field(default_factory=list)
    keep_going: bool = False
    demo: bool = False
    progress: bool = True
    as_of: date | None = None  # the day task statuses are computed for (set by the plan step)

    def files_of(self, kind: str) -> list[FileRecord]:
        return [f for f in self.files if f.kind == kind]

    def say(self, message: str) -> None:
        if self.progress:
            print(message, flush=True)
