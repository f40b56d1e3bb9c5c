"""The `papi` command: subcommands of the ETL (etl) and of the briefing exports (dashboard)."""
