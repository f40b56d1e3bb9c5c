"""Oracle: the workbook readers as they were on main at 030f37d (rows of per-cell values, each
sheet's XML scanned cell by cell for formulas), unchanged but for their imports."""
