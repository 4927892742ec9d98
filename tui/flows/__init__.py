"""Flows: a few dialogs in a row that together do one job (choose a profile, export a checklist)."""
