"""Departmental PAPI plans: parse plan documents, report templates, load actions and progress."""
