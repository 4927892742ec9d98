"""An export as the bytes of a file, in the format asked for. Core: no Textual.

The one module that knows every format: rows.py (JSON, CSV), report.py (Markdown) and xlsx.py
(openpyxl, imported only for a workbook) each know only rows.py.
"""

from __future__ import annotations

from tui.core.errors import Bj30Error
from tui.core.export.rows import FORMATS, ExportInput, to_csv, to_json
from tui.core.text.safe_text import json_text


def render(data: ExportInput, fmt: str) -> bytes:
    """The export as the bytes of a file: UTF-8 text, CSV with a byte order mark, or an xlsx workbook."""
    if fmt == "md":
        from tui.core.export.report import to_markdown

        return to_markdown(data).encode("utf-8")
    if fmt == "json":
        return (json_text(to_json(data)) + "\n").encode("utf-8")
    if fmt == "csv":
        # The BOM makes Excel (a Chinese Windows desktop too) read the file as UTF-8, not GBK.
        return to_csv(data).encode("utf-8-sig")
    if fmt == "xlsx":
        from tui.core.export.xlsx import to_xlsx

        return to_xlsx(data)
    raise Bj30Error(f"unknown format {fmt!r}; bj30 writes: {', '.join(FORMATS)}")
