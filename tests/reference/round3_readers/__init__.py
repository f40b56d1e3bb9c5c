"""The workbook readers as of main 521e53d (third round), kept as the oracle of the fourth: its
bounds, with the older oracle's workbook reader, layouts and XML scan (round 3 ran the same code
there, openpyxl helpers inlined)."""
