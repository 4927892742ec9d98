"""Attach evidence to an item: a file (its path), a URL or a reference, with an optional note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from tui.core.errors import Bj30Error
from tui.core.progress.evidence import MAX_EVIDENCE_NOTE, MAX_TARGET
from tui.dialogs.base import Dialog, form_row
from tui.widgets.literal import literal

HINT = "enter attaches · tab moves · escape cancels"


class EvidenceDialog(Dialog):
    """Calls `attach(target, note, kind, dialog)` on enter, which starts attaching and then calls
    dialog.attached(result) or dialog.not_attached(error): an error (a path to no file, a folder)
    shows in the dialog, which stays open to correct it. Dismisses with the result, or None on
    escape. What the target is (file, URL, reference) is decided by the core."""

    DEFAULT_CSS = """
    #evidence-box {
        width: 80;
    }
    """

    def __init__(self, item_id: str, attach: Callable[[str, str, str | None, EvidenceDialog], None], hint: str = "") -> None:
        super().__init__()
        self.item_id = item_id
        self.attach = attach
        self.hint = hint
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="evidence-box"):
            yield Label(Content(f"Evidence for {self.item_id}"), classes="dialog-title")
            if self.hint:
                yield Static(literal(f"To keep: {self.hint}").stylize("dim"), markup=False)
            yield Label("A file (its path: size and SHA-256 are recorded), a URL, or a reference (ref: forces one).")
            yield form_row(
                "Evidence",
                Input(
                    placeholder="~/minutes/2026-14.pdf · https://… · Minute 2026-14",
                    id="evidence-target",
                    max_length=MAX_TARGET,
                    compact=True,
                ),
                label_width=10,
            )
            yield form_row(
                "Note",
                Input(placeholder="optional: what it shows", id="evidence-note", max_length=MAX_EVIDENCE_NOTE, compact=True),
                label_width=10,
            )
            yield Static("", classes="dialog-error", markup=False)
            yield Label(HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#evidence-target", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        target = self.query_one("#evidence-target", Input).value.strip()
        if not target:
            self.show_error("Give a file, a URL or a reference.")
            self.query_one("#evidence-target", Input).focus()
            return
        kind = None
        if target.lower().startswith("ref:"):  # a reference on purpose, even if it looks like a file name
            kind, target = "reference", target[4:].strip()
        if self.saving:
            return
        self.saving = True
        self.show_error("")
        self.query_one(".dialog-hint", Label).update("attaching…")
        # Reading a big file for its SHA-256 and saving happen in the app's store thread; then
        # attached() or not_attached() is called.
        self.attach(target, self.query_one("#evidence-note", Input).value.strip(), kind, self)

    def attached(self, result: Any) -> None:
        self.saving = False
        if self.is_current:
            self.dismiss(result)

    def not_attached(self, exc: Bj30Error) -> None:
        self.saving = False
        self.query_one(".dialog-hint", Label).update(HINT)
        self.show_error(str(exc))

    @property
    def holds_keys(self) -> bool:
        """While saving, keys typed after enter wait for the dialog to close (tui/key_order.py)."""
        return self.saving

    def action_cancel(self) -> None:
        if self.saving:
            self.show_error("Still attaching: the store has not answered yet.")
            return
        super().action_cancel()
