"""Round 3's workbook reader: the older oracle's (tests.reference.old_workbook.workbook) judged by
round 3's bounds, the only part in which the two differed."""

from __future__ import annotations

from pathlib import Path

from etl.readers.base import ReadResult
from tests.reference.old_workbook import workbook as _older
from tests.reference.round3_readers import bounds


def read(path: Path) -> ReadResult:
    return _older.read(path, limits=bounds)
