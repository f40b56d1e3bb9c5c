"""The workbook readers as of main 521e53d (third round), kept as the oracle of the fourth: its
bounds and its workbook reader; its layouts and XML scan did what tests.reference.old_workbook's
copies do (same code, openpyxl helpers inlined), so those are used."""
