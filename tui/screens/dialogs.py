"""Small modal dialogs: a reason, a note with owner and due date, a choice, a confirmation, a form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.core.store import MAX_NOTE_CHARS, StoreError, check_due
from tui.widgets.vim_list import VimOptionList


class Dialog(ModalScreen):
    """A small centred box over the screen; the styles every dialog shares live here."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }

    .dialog {
        width: 64;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }

    .dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }

    .dialog-error {
        color: $error;
        height: auto;
    }

    .dialog-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(Content(message))


class ReasonDialog(Dialog):
    """Asks why an item does not apply. Dismisses with the reason, or None."""

    def __init__(self, item_id: str, current: str = "") -> None:
        super().__init__()
        self.item_id = item_id
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(f"Not applicable: {self.item_id}"), classes="dialog-title")
            yield Label("Why does this item not apply? The reason is kept in the note.")
            yield Input(value=self.current, placeholder="e.g. We employ no foreign staff.", id="reason")
            yield Static("", classes="dialog-error", markup=False)
            yield Label("enter saves · escape cancels", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.show_error("N/A needs a reason: say why the item does not apply.")
            return
        self.dismiss(event.value.strip())


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

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
    ]

    def __init__(self, item_id: str, note: str, owner: str, due: str) -> None:
        super().__init__()
        self.item_id, self.note, self.owner, self.due = item_id, note, owner, due

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-box"):
            yield Label(Content(f"Note for {self.item_id}"), classes="dialog-title")
            yield TextArea(self.note, id="note-text", soft_wrap=True, tab_behavior="focus", compact=True)
            with Horizontal(classes="field"):
                yield Label("Owner ")
                yield Input(value=self.owner, placeholder="who is responsible", id="note-owner", max_length=200,
                            compact=True)
            with Horizontal(classes="field"):
                yield Label("Due   ")
                yield Input(value=self.due, placeholder="e.g. 2026-12-31", id="note-due", max_length=10,
                            compact=True)
            yield Static("", classes="dialog-error", markup=False)
            yield Label("ctrl+s saves · tab moves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        note = self.query_one(TextArea).text
        if len(note) > MAX_NOTE_CHARS:
            self.show_error(f"The note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}.")
            return
        try:
            due = check_due(self.query_one("#note-due", Input).value)
        except StoreError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(NoteEdit(note, self.query_one("#note-owner", Input).value.strip(), due))


class ChoiceDialog(Dialog):
    """Pick one of (value, label) choices. Dismisses with the value, or None."""

    DEFAULT_CSS = """
    #choices {
        height: auto;
        max-height: 16;
    }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None,
                 hint: str = "enter chooses · escape cancels") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield VimOptionList(*(Option(Content(label), id=f"choice-{i}") for i, (_, label) in enumerate(self.choices)),
                                id="choices", markup=False)
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for i, (value, _) in enumerate(self.choices):
            if value == self.current:
                options.highlighted = i
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][0])


class ConfirmDialog(Dialog):
    """Yes or no. Dismisses with True or False."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-title")
            yield Label("y yes · n no", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True)
class ProfileForm:
    name: str
    institution: str
    department: str


class ProfileDialog(Dialog):
    """Create a profile (name, institution, department), or edit one (name fixed)."""

    def __init__(self, name: str = "", institution: str = "", department: str = "", *, editing: bool = False) -> None:
        super().__init__()
        self.values = (name, institution, department)
        self.editing = editing

    def compose(self) -> ComposeResult:
        name, institution, department = self.values
        with Vertical(classes="dialog"):
            yield Label("Edit profile" if self.editing else "New profile", classes="dialog-title")
            yield Input(value=name, placeholder="Short name, e.g. pku", id="profile-name", max_length=60,
                        disabled=self.editing)
            yield Input(value=institution, placeholder="Institution, e.g. Peking University",
                        id="profile-institution", max_length=200)
            yield Input(value=department, placeholder="Department (optional)", id="profile-department", max_length=200)
            yield Static("", classes="dialog-error", markup=False)
            yield Label("enter saves · tab moves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#profile-institution" if self.editing else "#profile-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#profile-name", Input).value.strip()
        institution = self.query_one("#profile-institution", Input).value.strip()
        if not name:
            self.show_error("A profile needs a short name.")
            return
        if not institution:
            self.show_error("Say which institution this profile is for; it goes into reports.")
            return
        self.dismiss(ProfileForm(name, institution, self.query_one("#profile-department", Input).value.strip()))


class FindDialog(Dialog):
    """Find in the open measure: every change of the query calls `on_query`, which marks the
    matches in the reader and returns how many there are. Enter keeps the marks; Escape clears."""

    # At the bottom, leaving the text it marks in view.
    DEFAULT_CSS = """
    FindDialog {
        align: center bottom;
    }

    #find-box {
        margin-bottom: 2;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Clear", id="find.cancel")]

    def __init__(self, on_query: Callable[[str], int], initial: str = "") -> None:
        super().__init__()
        self.on_query = on_query
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="find-box"):
            yield Input(value=self.initial, placeholder="Find in this measure (typos are fine)", id="find-input",
                        max_length=200)
            yield Static("", id="find-count", classes="dialog-hint", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        count = self.on_query(event.value)
        self.query_one("#find-count", Static).update(
            "" if not event.value.strip() else f"{count} match{'es' if count != 1 else ''} · enter keeps · escape clears")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.on_query("")
        self.dismiss(None)
