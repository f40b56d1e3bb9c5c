"""Problems found in input files: where, what was found, what is allowed, how bad."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class InputError(Exception):
    """Raised when a build must stop; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.describe() for p in problems))


class BuildFailed(Exception):
    """The build could not be written (disk full, no permission): one line for the user, exit 2."""


class BuildLocked(Exception):
    """Another build of the same warehouse is running: the second one refuses, exit 3."""


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one input file.

    severity: "error" stops a strict build; "warning" is reported and the value is
    loaded or skipped as the message says; "info" is for the summary only.
    """

    file: str
    message: str
    severity: str = "error"
    sheet: str | None = None
    cell: str | None = None  # e.g. "B7", "row 12", "column C"
    found: str | None = None
    allowed: str | None = None
    action: str | None = None  # what the user should do
    # Vietnamese of message/allowed/action, where those are English only (the plan readers
    # write their texts "vi / en" in one field and leave these empty)
    message_vi: str | None = None
    allowed_vi: str | None = None
    action_vi: str | None = None

    def describe(self) -> str:
        """One line for the terminal: Vietnamese first, then English."""
        where = Path(self.file).name
        if self.sheet:
            where += f" › {self.sheet}"
        if self.cell:
            where += f" › {self.cell}"
        label = SEVERITY_LABELS.get(self.severity, self.severity.upper())
        parts = [f"[{label}] {where}: {_both(self.message_vi, self.message)}"]
        if self.found is not None:
            parts.append(f"tìm thấy / found: {self.found!r}")
        if self.allowed is not None:
            parts.append(f"được phép / allowed: {_both(self.allowed_vi, self.allowed)}")
        if self.action:
            parts.append(f"cách sửa / what to do: {_both(self.action_vi, self.action)}")
        return " — ".join(parts)


SEVERITY_LABELS = {"error": "LỖI / ERROR", "warning": "CẢNH BÁO / WARNING",
                   "info": "THÔNG TIN / INFO"}


def num_vi(value: float, spec: str = "g") -> str:
    """A number for a Vietnamese text: decimal comma (25,7675; ×0,01)."""
    return format(value, spec).replace(".", ",")


def _both(vi: str | None, en: str) -> str:
    return f"{vi} / {en}" if vi and vi != en else en


@dataclass
class ProblemLog:
    """Collects problems so a run can report all of them at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def error(self, file: str | Path, message: str, **kw: str | None) -> None:
        self.add(Problem(str(file), message, "error", **kw))

    def warning(self, file: str | Path, message: str, **kw: str | None) -> None:
        self.add(Problem(str(file), message, "warning", **kw))

    def info(self, file: str | Path, message: str, **kw: str | None) -> None:
        self.add(Problem(str(file), message, "info", **kw))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def extend(self, other: ProblemLog) -> None:
        self.items.extend(other.items)
