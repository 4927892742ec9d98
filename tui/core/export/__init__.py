"""Exports: rows (JSON, CSV), the Markdown report, the xlsx workbook, local times."""
