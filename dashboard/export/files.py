"""Export files written whole or not at all: beside their name, read back, then moved into place."""

from __future__ import annotations

import os
from pathlib import Path

WRITES = 3  # a write that reads back different is done again, up to this many times in all


def write_checked(out: Path, data: bytes) -> Path:
    """`data` written beside `out` (a hidden temporary name), read back byte for byte, then
    moved into place: an interrupted or damaged write never leaves half a file under the user's
    name, and the previous file stays until the new one is whole. After WRITES damaged writes,
    an OSError naming the file (the CLI's exit 2 with the message); nothing is left beside it."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        for _ in range(WRITES):
            _write_bytes(tmp, data)
            if tmp.read_bytes() == data:
                os.replace(tmp, out)
                return out
        raise OSError(f"{out}: tệp bị hỏng khi ghi ra đĩa, {WRITES} lần / the file was damaged "
                      f"when written to disk, {WRITES} times; check the disk and try again")
    finally:
        tmp.unlink(missing_ok=True)


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
