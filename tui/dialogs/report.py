"""Choose the roles of one report (a university hospital reports on both) and where to write it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.core.errors import Bj30Error
from tui.dialogs.base import Dialog
from tui.dialogs.export_path import FORMATS_HINT, check_target
from tui.widgets.export_where import ExportWhere, hint, shown_for
from tui.widgets.literal import literal
from tui.widgets.tick_list import TickList


@dataclass(frozen=True)
class ReportChoice:
    roles: list[str]
    path: Path
    download: bool = False  # in a browser: offered as a download named path.name


class ReportDialog(Dialog):
    """Roles (space ticks) and a file; dismisses with a ReportChoice, or None.

    The file name follows the roles ticked until it is edited by hand.
    """

    DEFAULT_CSS = """
    #report-box {
        width: 80;
    }

    #report-roles {
        height: auto;
        max-height: 9;
        margin-bottom: 1;
    }
    """

    def __init__(self, roles: list[tuple[str, str]], chosen: list[str], name_for: Callable[[list[str]], Path]) -> None:
        super().__init__()
        self.roles = roles
        self.chosen = chosen
        self.name_for = name_for
        self._suggested = name_for(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="report-box"):
            yield Label("Export a report across one or more roles", classes="dialog-title")
            yield TickList(
                *(Selection(literal(f"{title} ({role})"), role, role in self.chosen) for role, title in self.roles),
                id="report-roles",
            )
            yield Label(FORMATS_HINT + ":")
            yield Input(value=shown_for(self._suggested, self.app.is_web), id="report-path")
            if self.app.is_web:
                yield ExportWhere()
            yield Static("", classes="dialog-error", markup=False)
            yield Label(self._hint(), classes="dialog-hint", id="report-hint")

    @property
    def download(self) -> bool:
        where = self.query(ExportWhere)
        return bool(where) and where.first().download

    def _hint(self) -> str:
        web = self.app.is_web
        return "space ticks a role · tab moves · " + hint(web and self.download, "escape cancels")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        box = self.query_one("#report-path", Input)
        typed = Path(box.value.strip() or self._suggested.name)
        folder = self._suggested.parent if not typed.is_absolute() else typed.parent
        box.value = shown_for(folder / typed.name, self.download)
        self.query_one("#report-hint", Label).update(self._hint())

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @property
    def selected(self) -> list[str]:
        ticked = set(self.query_one(SelectionList).selected)
        return [role for role, _ in self.roles if role in ticked]  # the catalog's order, not the ticking order

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        path = self.query_one(Input)
        if path.value == shown_for(self._suggested, self.download) and self.selected:
            self._suggested = self.name_for(self.selected)
            path.value = shown_for(self._suggested, self.download)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.selected:
            self.show_error("Tick at least one role (space).")
            return
        try:
            target = check_target(event.value, self.download)
        except Bj30Error as exc:
            self.show_error(str(exc))
            return
        self.dismiss(ReportChoice(self.selected, target.path, target.download))
