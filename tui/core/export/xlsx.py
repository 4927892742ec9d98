"""The export as an Excel workbook (.xlsx), with openpyxl: the optional extra `bj30[xlsx]`. Core: no Textual.

openpyxl is the well-kept library for writing xlsx (a zip of XML parts with strict rules that
Excel enforces); hand-writing them is how files end up "repaired" by Excel. It is imported
only here, when an xlsx is asked for, so the default install stays light.

Sheets: "Open actions" (by due date, overdue marked), "Items" (the CSV's columns, one row per
item, every role), "Summary" (per role and in all). Due and completion dates are real dates,
so Excel sorts and filters them; text that Excel would run as a formula stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from tui.core.errors import Bj30Error
from tui.core.export.rows import CSV_COLUMNS, ExportInput, rows
from tui.core.progress.status import STATUS_WORD
from tui.core.text.localtime import local

INSTALL_HINT = "pip install 'bj30[xlsx]'"
# What openpyxl refuses in a cell (C0 controls but tab and newlines): shown as \x1b-style escapes.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
DATE_COLUMNS = {"due", "completed"}


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise Bj30Error(
            f"writing .xlsx needs openpyxl, an optional extra: {INSTALL_HINT} (or export .csv, which Excel opens too)"
        ) from None
    return openpyxl


def _text(value: str) -> str:
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _put(sheet: Any, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        # openpyxl takes "=..." for a formula and "#N/A" for an error: a note is text, always.
        if cell.data_type in ("f", "e"):
            cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"


def _date(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value[:10]) if value else ""
    except ValueError:
        return value


def _sheet(book: Any, title: str, header: list[str], body: list[list[object]], widths: dict[str, int]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(title)
    for column, name in enumerate(header, start=1):
        _put(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = Font(bold=True)
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    for r, values in enumerate(body, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, r, column, value)
            if widths.get(header[column - 1], 0) >= 40:
                sheet.cell(row=r, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if body:
        sheet.auto_filter.ref = sheet.dimensions


def to_xlsx(data: ExportInput) -> bytes:
    from tui.core.progress.actions import open_actions

    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.remove(book.active)
    today = local(data.exported).date()

    actions = open_actions((s.state for s in data.sections), today)
    _sheet(
        book,
        "Open actions",
        ["role", "id", "text", "owner", "due", "overdue", "status"],
        [
            [a.role, a.item_id, a.state.item.text, a.owner, _date(a.due), "overdue" if a.overdue else "", STATUS_WORD[a.status]]
            for a in actions
        ],
        {"text": 70, "owner": 20, "due": 12, "role": 20},
    )

    date_at = {i for i, name in enumerate(CSV_COLUMNS) if name in DATE_COLUMNS}
    body: list[list[object]] = []
    for row in rows(data):
        values: list[object] = list(row)
        for i in date_at:
            values[i] = _date(row[i])  # completed is local already: its first ten characters are the date
        count = CSV_COLUMNS.index("evidence_count")
        values[count] = int(row[count])
        body.append(values)
    _sheet(
        book,
        "Items",
        CSV_COLUMNS,
        body,
        {
            "institution": 24,
            "role": 20,
            "measure_title": 30,
            "text": 70,
            "note": 50,
            "quote": 60,
            "owner": 20,
            "due": 12,
            "completed": 12,
            "changed": 26,
            "evidence_to_keep": 40,
        },
    )

    summary = [
        [
            s.checklist.role,
            s.checklist.title,
            s.state.counts.done,
            s.state.counts.applicable,
            s.state.counts.doing,
            s.state.counts.todo,
            s.state.counts.na,
            s.state.counts.percent / 100,
        ]
        for s in data.sections
    ]
    if len(data.sections) > 1:
        c = data.counts
        summary.append(["all", "All checklists", c.done, c.applicable, c.doing, c.todo, c.na, c.percent / 100])
    _sheet(
        book,
        "Summary",
        ["role", "title", "done", "applicable", "doing", "to do", "N/A", "progress"],
        summary,
        {"title": 50, "role": 20},
    )
    for r in range(2, len(summary) + 2):
        book["Summary"].cell(row=r, column=8).number_format = "0%"

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
