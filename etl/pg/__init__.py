"""PostgreSQL write store for multi-user reporting: cluster, migrations, users, reports, export."""
