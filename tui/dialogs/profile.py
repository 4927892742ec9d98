"""Create a profile (name, institution, department), or edit one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.core.content.ids import NAME_RULE, name_problem
from tui.core.store.model import MAX_FIELD_CHARS, MAX_PROFILE_NAME
from tui.dialogs.base import Dialog, form_row
from tui.widgets.literal import as_saved, editable

LABEL_WIDTH = len("Institution") + 2


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
            yield form_row(
                "Name",
                Input(
                    value=editable(name),
                    placeholder="pku-hospital",
                    id="profile-name",
                    max_length=MAX_PROFILE_NAME,
                    disabled=self.editing,
                    compact=True,
                ),
                label_width=LABEL_WIDTH,
            )
            yield form_row(
                "Institution",
                Input(
                    value=editable(institution),
                    placeholder="e.g. Peking University",
                    id="profile-institution",
                    max_length=MAX_FIELD_CHARS,
                    compact=True,
                ),
                label_width=LABEL_WIDTH,
            )
            yield form_row(
                "Department",
                Input(
                    value=editable(department),
                    placeholder="optional",
                    id="profile-department",
                    max_length=MAX_FIELD_CHARS,
                    compact=True,
                ),
                label_width=LABEL_WIDTH,
            )
            yield Static("", classes="dialog-error", markup=False)
            yield Label(
                ("" if self.editing else "The name is a short id: lower-case letters, digits, hyphens. ")
                + "The institution is the name reports show.",
                classes="dialog-hint",
            )
            yield Label("enter saves · tab moves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#profile-institution" if self.editing else "#profile-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # Fields still showing what they were filled with give back the original, not its escapes.
        old_name, old_institution, old_department = self.values
        name = as_saved(self.query_one("#profile-name", Input).value.strip(), old_name)
        institution = as_saved(self.query_one("#profile-institution", Input).value.strip(), old_institution)
        if not name:
            self.show_error(f"A profile needs a name: {NAME_RULE}.")
            return
        problem = None if self.editing else name_problem(name, MAX_PROFILE_NAME)
        if problem:
            self.show_error(f"Profile name: {problem}. The institution is the name people read.")
            return
        if not institution:
            self.show_error("Say which institution this profile is for; it goes into reports.")
            return
        self.dismiss(
            ProfileForm(name, institution, as_saved(self.query_one("#profile-department", Input).value.strip(), old_department))
        )
