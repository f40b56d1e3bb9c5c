"""The workbook readers as of main 521e53d (third round), kept as the oracle of the fourth (its
columns layout, unchanged since, is tests.reference.old_workbook's)."""
