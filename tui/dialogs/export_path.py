"""Asks where to write an export; the extension chooses the format, and one bj30 does not write is refused."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, RadioSet, Static

from tui.core.errors import Bj30Error
from tui.core.export.rows import export_target_problem, format_for
from tui.dialogs.base import Dialog
from tui.widgets.export_where import ExportWhere, hint, shown_for

FORMATS_HINT = "File: .md report, .json for import, .csv or .xlsx for spreadsheets"
HINT_REST = "escape cancels"
WEB_HINT_REST = "tab: where it goes · escape cancels"


@dataclass(frozen=True)
class ExportTarget:
    """Where an export goes: `path` on this machine, or (in a browser) a download named path.name."""

    path: Path
    download: bool = False


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


def check_download_name(raw: str) -> Path:
    """The name a download is offered under (its folder, if typed, is the browser's to choose)."""
    name = Path(raw.strip()).name
    if not name:
        raise Bj30Error("Give a file name.")
    format_for(Path(name))  # .pdf, no extension: refused, naming the formats
    return Path(name)


def check_target(raw: str, download: bool) -> ExportTarget:
    return ExportTarget(check_download_name(raw), True) if download else ExportTarget(check_export_path(raw))


class ExportPathDialog(Dialog):
    """Asks where to write; the extension chooses the format (.md, .json, .csv, .xlsx)."""

    def __init__(self, role: str, default: Path) -> None:
        super().__init__()
        self.role = role
        self.default = default

    @property
    def download(self) -> bool:
        """In a browser, unless writing on the server was chosen."""
        where = self.query(ExportWhere)
        return bool(where) and where.first().download

    def compose(self) -> ComposeResult:
        web = self.app.is_web
        with Vertical(classes="dialog", id="export-box"):
            yield Label(Content(f"Export the {self.role} checklist"), classes="dialog-title")
            yield Label(FORMATS_HINT + ":")
            yield Input(value=shown_for(self.default, web), id="export-path")
            if web:
                yield ExportWhere()
            yield Static("", classes="dialog-error", markup=False)
            yield Label(hint(web, WEB_HINT_REST if web else HINT_REST), classes="dialog-hint", id="export-hint")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        box = self.query_one("#export-path", Input)
        typed = Path(box.value.strip() or self.default.name)
        folder = self.default.parent if not typed.is_absolute() else typed.parent
        box.value = shown_for(folder / typed.name, self.download)
        self.query_one("#export-hint", Label).update(hint(self.download, WEB_HINT_REST))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            target = check_target(event.value, self.download)
        except Bj30Error as exc:
            self.show_error(str(exc))
            return
        self.dismiss(target)
