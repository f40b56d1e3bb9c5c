"""What a reader returns: observations with their cell address, and the problems it found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl.problems import ProblemLog

MEASURES = ("value", "ci_low", "ci_high", "std_error")


@dataclass(slots=True)  # ~100,000 per build: slots make them cheaper to create and read
class Observation:
    year: int
    province_code: str
    item_code: str
    measure: str  # value | ci_low | ci_high | std_error | variance | n_obs
    value: float | None
    status: str  # published | not_published
    cell: str
    raw: str = ""


@dataclass
class Dataset:
    """The observations of one year from one place (a sheet, or a year of a tidy file), all in
    one geography vintage."""

    file: Path
    sheet: str | None
    year: int
    layout: str
    observations: list[Observation] = field(default_factory=list)
    refused: str | None = None  # why the whole dataset is not loaded
    vintage: str | None = None  # '63' | '34': decided by the reader from the data's provinces

    @property
    def source(self) -> str:
        return f"{self.file.name}" + (f" › {self.sheet}" if self.sheet else f" › {self.year}")


@dataclass
class ReadResult:
    datasets: list[Dataset] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, reason)
    problems: ProblemLog = field(default_factory=ProblemLog)
    rows_read: int | None = None  # data rows of a file read as a stream (tidy_stream)
