"""The export flow: ask for a path (with a sensible default), confirm before overwriting, say where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.errors import Bj30Error
from tui.core.export import default_export_name, format_for_path, write_export
from tui.screens.dialogs import ConfirmDialog, Dialog

if TYPE_CHECKING:
    from tui.app import Bj30App


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
        if path.is_dir():
            self.show_error(f"{path} is a folder; add a file name.")
            return
        if not path.parent.is_dir():
            self.show_error(f"No folder {path.parent}.")
            return
        self.dismiss(path)


def export_checklist(app: Bj30App, role: str) -> None:
    workbench = app.workbench
    default = Path.cwd() / default_export_name(role, workbench.profile_name, "md", dt.date.today())

    def write(path: Path, force: bool) -> None:
        fmt = format_for_path(path.name)
        try:
            text, count = workbench.export(role, fmt)
            write_export(path, text, force=force)
        except Bj30Error as exc:
            app.report(exc)
            return
        app.report()
        app.notify(f"Wrote {count} items ({fmt}) to {path}", title="Exported", timeout=10)

    def chosen(path: Path | None) -> None:
        if path is None:
            return
        if path.exists():
            app.push_screen(ConfirmDialog(f"{path} exists. Overwrite it?"),
                            lambda yes: write(path, True) if yes else app.notify("Not exported."))
        else:
            write(path, False)

    app.push_screen(ExportPathDialog(role, default), chosen)
