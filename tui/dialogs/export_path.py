"""Asks where to write an export; the extension chooses the format, and one bj30 does not write is refused."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.errors import Bj30Error
from tui.core.export.rows import export_target_problem, format_for
from tui.dialogs.base import Dialog

FORMATS_HINT = "File: .md report, .json for import, .csv or .xlsx for spreadsheets"


def check_export_path(raw: str) -> Path:
    """The file to write, or a Bj30Error saying what is wrong with `raw` (the same rule as the CLI's -o)."""
    raw = raw.strip()
    if not raw:
        raise Bj30Error("Give a file name.")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    problem = export_target_problem(path)  # the CLI refuses the same paths with the same words
    if problem:
        raise Bj30Error(problem)
    format_for(path)  # .pdf, .docx, no extension: refused, naming the formats
    return path


class ExportPathDialog(Dialog):
    """Asks where to write; the extension chooses the format (.md, .json, .csv, .xlsx)."""

    def __init__(self, role: str, default: Path) -> None:
        super().__init__()
        self.role = role
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Label(Content(f"Export the {self.role} checklist"), classes="dialog-title")
            yield Label(FORMATS_HINT + ":")
            yield Input(value=str(self.default), id="export-path")
            yield Static("", classes="dialog-error", markup=False)
            yield Label("enter writes · escape cancels", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            path = check_export_path(event.value)
        except Bj30Error as exc:
            self.show_error(str(exc))
            return
        self.dismiss(path)
