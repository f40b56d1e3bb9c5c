"""The warehouse's schema version: what the dashboard may rely on (meta.build.schema_version).

Raised whenever a table or column the dashboard reads changes meaning; the dashboard refuses
a warehouse of another version with a message to build it again, instead of guessing."""

# 2: meta.build.as_of (the day statuses are computed for) and schema_version;
#    mart.action_report.due_on; every score, plan and report row carries its vintage.
SCHEMA_VERSION = 2


def version_of(db: object) -> int | None:
    """meta.build.schema_version of a warehouse file (None: absent, unreadable or older)."""
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT * FROM meta.build LIMIT 1").df()
    except duckdb.Error:
        return None
    finally:
        con.close()
    if "schema_version" not in row.columns or row.empty or row["schema_version"].isna().iat[0]:
        return None
    return int(row["schema_version"].iat[0])
