"""Edits an item's note (multi-line), owner and due date."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea

from tui.core.store import MAX_FIELD_CHARS, MAX_NOTE_CHARS, StoreError, check_due
from tui.dialogs.base import Dialog
from tui.widgets.literal import as_saved, editable

DUE_CHARS = len("2026-12-31")


@dataclass(frozen=True)
class NoteEdit:
    note: str
    owner: str
    due: str


class NoteDialog(Dialog):
    """Edits an item's note (multi-line), owner and due date. Dismisses with a NoteEdit, or None."""

    DEFAULT_CSS = """
    #note-box {
        width: 80;
    }

    #note-text {
        height: 6;
        margin-bottom: 1;
    }

    .field {
        height: 1;
        margin-bottom: 1;
    }

    .field Input {
        width: 1fr;
    }
    """

    # Escape (cancel) comes from Dialog; ctrl+s must win over the TextArea's own keys.
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="note.save", priority=True)]

    def __init__(self, item_id: str, note: str, owner: str, due: str) -> None:
        super().__init__()
        self.item_id, self.note, self.owner, self.due = item_id, note, owner, due

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-box"):
            yield Label(Content(f"Note for {self.item_id}"), classes="dialog-title")
            yield TextArea(editable(self.note), id="note-text", soft_wrap=True, tab_behavior="focus", compact=True)
            with Horizontal(classes="field"):
                yield Label("Owner ")
                yield Input(value=editable(self.owner), placeholder="who is responsible", id="note-owner",
                            max_length=MAX_FIELD_CHARS, compact=True)
            with Horizontal(classes="field"):
                yield Label("Due   ")
                yield Input(value=editable(self.due), placeholder="e.g. 2026-12-31", id="note-due", max_length=DUE_CHARS,
                            compact=True)
            yield Static("", classes="dialog-error", markup=False)
            yield Label("ctrl+s saves · tab moves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        note = as_saved(self.query_one(TextArea).text, self.note)  # unchanged: the original, not its escapes
        if len(note) > MAX_NOTE_CHARS:
            self.show_error(f"The note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}.")
            return
        try:
            due = check_due(as_saved(self.query_one("#note-due", Input).value, self.due))
        except StoreError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(NoteEdit(note, as_saved(self.query_one("#note-owner", Input).value.strip(), self.owner), due))
