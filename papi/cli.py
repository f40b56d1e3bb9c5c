"""`papi …`: the ETL's commands (etl.cli) plus the briefing export, which belongs to the dashboard.

It lives above both packages so that etl never imports dashboard (imports run one way).
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading

from dashboard.export.cli import add_subcommands as add_briefing
from etl import cli as etl_cli


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="papi", description="PAPI analytics workbench")
    sub = p.add_subparsers(dest="command", required=True)
    etl_cli.add_subcommands(sub)
    add_briefing(sub)
    from etl.pg.cli import add_subcommands as add_store  # psycopg is loaded only when used

    add_store(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    return etl_cli.main(argv, parser)


def run() -> None:
    """The console script: main(), then the exit handlers, output flushed, and an exit that
    skips tearing down every loaded module (≈ 40–60 ms of a whole `papi etl`, for nothing).
    While another thread still works (a briefing's chromium closing), the normal exit."""
    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()  # what a normal exit would run (logging's flush, finalizers)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: as a normal exit, nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
