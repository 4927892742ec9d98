"""Asks where to write an export; the extension chooses the format."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.export import export_target_problem
from tui.dialogs.base import Dialog


class ExportPathDialog(Dialog):
    """Asks where to write; the extension chooses the format (.md, .json, .csv)."""

    def __init__(self, role: str, default: Path) -> None:
        super().__init__()
        self.role = role
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Label(Content(f"Export the {self.role} checklist"), classes="dialog-title")
            yield Label("File (.md report, .json for import, .csv for spreadsheets):")
            yield Input(value=str(self.default), id="export-path")
            yield Static("", classes="dialog-error", markup=False)
            yield Label("enter writes · escape cancels", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            self.show_error("Give a file name.")
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        problem = export_target_problem(path)  # the CLI refuses the same paths with the same words
        if problem:
            self.show_error(problem)
            return
        self.dismiss(path)
