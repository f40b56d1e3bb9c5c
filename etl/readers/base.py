"""What a reader returns: observations as columns with their cell address, and the problems it found."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

from etl.problems import ProblemLog

MEASURES = ("value", "ci_low", "ci_high", "std_error")


@dataclass(slots=True)
class Observation:
    """One observation, as the compatibility view (Dataset.observations) and the tests give it."""

    year: int
    province_code: str
    item_code: str
    measure: str  # value | ci_low | ci_high | std_error | variance | n_obs
    value: float | None
    status: str  # published | not_published
    cell: str
    raw: str = ""


class Columns:
    """A dataset's observations as parallel lists (the year is the dataset's). ~100,000 per
    build: lists filled a row of cells at a time are cheaper than an object per cell.
    raw None means repr(value): the text of a number cell read as a float, made only when a
    message shows it (raw_text); set_value keeps it before a value changes."""

    __slots__ = ("province_code", "item_code", "measure", "value", "status", "cell", "raw")

    def __init__(self) -> None:
        self.province_code: list[str] = []
        self.item_code: list[str] = []
        self.measure: list[str] = []
        self.value: list[float | None] = []
        self.status: list[str] = []
        self.cell: list[str] = []
        self.raw: list[str | None] = []

    def __len__(self) -> int:
        return len(self.cell)

    def append(self, province_code: str, item_code: str, measure: str, value: float | None,
               status: str, cell: str, raw: str | None) -> None:
        self.province_code.append(province_code)
        self.item_code.append(item_code)
        self.measure.append(measure)
        self.value.append(value)
        self.status.append(status)
        self.cell.append(cell)
        self.raw.append(raw)

    def raw_text(self, i: int) -> str:
        raw = self.raw[i]
        return repr(self.value[i]) if raw is None else raw

    def set_value(self, i: int, value: float | None, status: str | None = None) -> None:
        if self.raw[i] is None:
            self.raw[i] = repr(self.value[i])
        self.value[i] = value
        if status is not None:
            self.status[i] = status

    def kept(self, keep: list[bool]) -> Columns:
        """The observations where `keep` is true, in their order."""
        out = Columns()
        for name in Columns.__slots__:
            setattr(out, name, list(compress(getattr(self, name), keep)))
        return out

    def without(self, dropped: Iterable[int]) -> Columns:
        """The observations but those at the positions `dropped`, in their order."""
        gone = set(dropped)
        return self.kept([i not in gone for i in range(len(self))])


class ObservationView:
    """Read-only in spirit: Observation objects made from a dataset's columns (for the tests and
    the oracles in tests/reference; the build reads the columns). append() adds to the columns;
    changing a made object changes nothing."""

    def __init__(self, ds: Dataset) -> None:
        self._ds = ds

    def __len__(self) -> int:
        return len(self._ds.cols)

    def __iter__(self) -> Iterator[Observation]:
        c, year = self._ds.cols, self._ds.year
        for i in range(len(c)):
            yield Observation(year, c.province_code[i], c.item_code[i], c.measure[i], c.value[i],
                              c.status[i], c.cell[i], c.raw_text(i))

    def __getitem__(self, i: int) -> Observation:
        return list(self)[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ObservationView | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(list(self))

    def append(self, o: Observation) -> None:
        if o.year != self._ds.year:
            raise ValueError(f"an observation of {o.year} in a dataset of {self._ds.year}")
        self._ds.cols.append(o.province_code, o.item_code, o.measure, o.value, o.status, o.cell,
                             o.raw)


class Dataset:
    """The observations of one year from one place (a sheet, or a year of a tidy file), all in
    one geography vintage."""

    def __init__(self, file: Path, sheet: str | None, year: int, layout: str,
                 observations: Iterable[Observation] = (), refused: str | None = None,
                 vintage: str | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.year = year
        self.layout = layout
        self.cols = Columns()
        self.refused = refused  # why the whole dataset is not loaded
        self.vintage = vintage  # '63' | '34': decided by the reader from the data's provinces
        if observations:
            self.observations = observations

    @property
    def observations(self) -> ObservationView:
        return ObservationView(self)

    @observations.setter
    def observations(self, observations: Iterable[Observation]) -> None:
        made = list(observations)  # may be this dataset's own view
        self.cols = Columns()
        view = ObservationView(self)
        for o in made:
            view.append(o)

    @property
    def source(self) -> str:
        return f"{self.file.name}" + (f" › {self.sheet}" if self.sheet else f" › {self.year}")

    def __repr__(self) -> str:
        return (f"Dataset({self.file!r}, {self.sheet!r}, {self.year!r}, {self.layout!r}, "
                f"{len(self.cols)} observations, refused={self.refused!r}, "
                f"vintage={self.vintage!r})")


@dataclass
class ReadResult:
    datasets: list[Dataset] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, reason)
    problems: ProblemLog = field(default_factory=ProblemLog)
    rows_read: int | None = None  # data rows of a file read as a stream (tidy_stream)
