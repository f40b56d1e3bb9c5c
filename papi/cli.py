"""`papi …`: the ETL's commands (etl.cli) plus the briefing export, which belongs to the dashboard.

It lives above both packages so that etl never imports dashboard (imports run one way).
"""

from __future__ import annotations

import argparse
import sys

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


if __name__ == "__main__":
    sys.exit(main())
