"""An input folder with nothing to load builds no warehouse: the previous one (or the demo)
stays in use, and the message says to put the files in data/raw/ (issue 19)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from etl.paths import PROJECT_ROOT


def test_empty_input_folder_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ghi_chu.md").write_text("không phải dữ liệu", encoding="utf-8")
    db = tmp_path / "papi.duckdb"
    run = subprocess.run([sys.executable, "-m", "papi.cli", "etl", "--input", str(raw),
                          "--db", str(db)], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert run.returncode == 2, run.stdout + run.stderr
    assert not db.exists()
    err = run.stderr
    assert "không nạp được tệp điểm PAPI" in err and "data/raw/" in err
    assert err.index("không nạp được") < err.index("no PAPI score file")  # Vietnamese first
