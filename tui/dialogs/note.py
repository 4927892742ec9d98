"""Edits an item's note (multi-line), owner and due date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea

from tui.core.errors import Bj30Error
from tui.core.store.model import MAX_FIELD_CHARS, MAX_NOTE_CHARS, Conflict, StoreError, check_due
from tui.dialogs.base import Dialog, form_row
from tui.widgets.literal import as_saved, editable, literal

DUE_CHARS = len("2026-12-31")
HINT = "ctrl+s saves · tab moves · escape cancels"


@dataclass(frozen=True)
class NoteEdit:
    note: str
    owner: str
    due: str


class NoteDialog(Dialog):
    """Edits an item's note (multi-line), owner and due date. Dismisses with a NoteEdit, or None.

    With `save`, the dialog saves itself: save(edit, base, dialog) starts the save (in the app's
    store thread) and calls dialog.saved(edit) or dialog.not_saved(error) once the store has
    answered; the dialog says "saving…" meanwhile. A refusal keeps the dialog open with the typed
    text; a Conflict (another officer changed the note since it opened) also shows what is stored
    now: ctrl+s again saves over it, ctrl+r loads it."""

    DEFAULT_CSS = """
    #note-box {
        width: 80;
    }

    #note-text {
        height: 6;
        margin-bottom: 1;
    }

    #note-due {
        width: 12;
    }

    #note-theirs {
        height: auto;
        display: none;
    }
    """

    # Escape (cancel) comes from Dialog; ctrl+s must win over the TextArea's own keys.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("ctrl+r", "reload", "Reload", id="note.reload", priority=True),
    ]

    def __init__(
        self,
        item_id: str,
        note: str,
        owner: str,
        due: str,
        save: Callable[[NoteEdit, NoteEdit, NoteDialog], None] | None = None,
    ) -> None:
        super().__init__()
        self.item_id, self.note, self.owner, self.due = item_id, note, owner, due
        self.base = NoteEdit(note, owner, due)  # what the edit started from (as stored)
        self._save = save
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-box"):
            yield Label(Content(f"Note for {self.item_id}"), classes="dialog-title")
            yield TextArea(
                editable(self.note),
                id="note-text",
                soft_wrap=True,
                tab_behavior="focus",
                compact=True,
                placeholder="What was done, what is left, where the papers are",
            )
            yield form_row(
                "Owner",
                Input(
                    value=editable(self.owner),
                    placeholder="who is responsible",
                    id="note-owner",
                    max_length=MAX_FIELD_CHARS,
                    compact=True,
                ),
            )
            yield form_row(
                "Due",
                Input(value=editable(self.due), placeholder="2026-12-31", id="note-due", max_length=DUE_CHARS, compact=True),
                Label("year-month-day", classes="field-hint"),
            )
            yield Static("", classes="dialog-error", markup=False)
            yield Static("", id="note-theirs", markup=False)
            yield Label(HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return  # one save at a time: the store thread is saving this one
        note = as_saved(self.query_one(TextArea).text, self.note)  # unchanged: the original, not its escapes
        if len(note) > MAX_NOTE_CHARS:
            self.show_error(f"The note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}.")
            return
        try:
            due = check_due(as_saved(self.query_one("#note-due", Input).value, self.due))
        except StoreError as exc:
            self.show_error(str(exc))
            return
        edit = NoteEdit(note, as_saved(self.query_one("#note-owner", Input).value.strip(), self.owner), due)
        if self._save is None:
            self.dismiss(edit)
            return
        self.saving = True
        self.show_error("")
        self.query_one(".dialog-hint", Label).update("saving…")
        self._save(edit, self.base, self)  # it calls saved() or not_saved() when the store has answered

    def saved(self, edit: NoteEdit) -> None:
        self.saving = False
        if self.is_current:
            self.dismiss(edit)

    def not_saved(self, exc: Bj30Error) -> None:
        """The save was refused: the dialog stays open with the typed text, and says why."""
        self.saving = False
        self.query_one(".dialog-hint", Label).update(HINT)
        if isinstance(exc, Conflict):
            now = exc.current
            self.base = NoteEdit(now.note, now.owner, now.due)  # seen now: ctrl+s saves over it
            self.show_error(
                f"{exc}. Not saved; your text is kept. ctrl+s saves yours over theirs, ctrl+r loads theirs, escape cancels."
            )
            theirs = self.query_one("#note-theirs", Static)
            theirs.update(literal(_stored(self.base)))
            theirs.display = True
            return
        self.show_error(f"{exc}. Your text is kept: ctrl+s tries again, escape drops it.")

    @property
    def holds_keys(self) -> bool:
        """While saving, keys typed after enter wait for the dialog to close (tui/key_order.py)."""
        return self.saving

    def action_cancel(self) -> None:
        if self.saving:
            self.show_error("Still saving: the store has not answered yet.")
            return
        super().action_cancel()

    def action_reload(self) -> None:
        """The fields as stored now (after a conflict: theirs); the typed text is dropped."""
        self.note, self.owner, self.due = self.base.note, self.base.owner, self.base.due
        self.query_one(TextArea).text = editable(self.note)
        self.query_one("#note-owner", Input).value = editable(self.owner)
        self.query_one("#note-due", Input).value = editable(self.due)
        self.show_error("")
        self.query_one("#note-theirs", Static).display = False


def _stored(edit: NoteEdit) -> str:
    note = " ".join(edit.note.split())
    if len(note) > 300:
        note = note[:299] + "…"
    facts = [f"owner {edit.owner}" if edit.owner else "", f"due {edit.due}" if edit.due else ""]
    extra = " · ".join(f for f in facts if f)
    return f"Stored now: {note or '(no note)'}" + (f" · {extra}" if extra else "")
