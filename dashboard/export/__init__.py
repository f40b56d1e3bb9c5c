"""Briefing exports: chart images, spreadsheet tables and the provincial briefing pack."""
