"""Editing one checklist item through a dialog: its N/A reason, its note, owner and due date, its evidence.

The saves run in the app's store thread (tui/store_jobs.py); a dialog stays open, with what was
typed, until the store has the change, and says why when it refuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.errors import Bj30Error
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import ItemState
from tui.core.store.model import Conflict, HistoryEntry, ItemProgress

if TYPE_CHECKING:
    from tui.dialogs.evidence import EvidenceDialog
    from tui.dialogs.note import NoteDialog, NoteEdit
    from tui.screens.checklist import ChecklistScreen


def not_applicable(screen: ChecklistScreen, s: ItemState) -> None:
    """N/A needs a reason: asked, then saved with the status."""
    from tui.dialogs.reason import ReasonDialog

    def reason_given(reason: str | None) -> None:
        if reason is not None:
            screen.save(s, "na", status="na", note=reason)

    screen.app.push_screen(ReasonDialog(s.item.id, s.progress.note), reason_given)


def edit_note(screen: ChecklistScreen, s: ItemState) -> None:
    from tui.dialogs.note import NoteDialog

    app, workbench, role, item, p = screen.bj30, screen.bj30.workbench, screen.role, s.item, s.progress

    def save(edit: NoteEdit, base: NoteEdit, dialog: NoteDialog) -> None:
        def job() -> tuple[ItemProgress, list[HistoryEntry]]:
            # Refused (Conflict) if another officer changed a field since `base` was read.
            progress = workbench.update(
                role,
                item,
                note=edit.note,
                owner=edit.owner,
                due=edit.due,
                expect={"note": base.note, "owner": base.owner, "due": base.due},
            )
            return progress, workbench.history(role, item.id)

        def done(result: tuple[ItemProgress, list[HistoryEntry]]) -> None:
            dialog.saved(edit)
            if screen.is_attached and screen.state is not None:
                screen.changed(*result)

        def failed(exc: Bj30Error) -> None:
            if isinstance(exc, Conflict) and screen.is_attached:
                screen.reload(keep=item.id)  # their change shows in the checklist too
            dialog.not_saved(exc)

        app.store_jobs.run(job, done, failed)

    app.push_screen(NoteDialog(item.id, p.note, p.owner, p.due, save=save))


def add_evidence(screen: ChecklistScreen, s: ItemState) -> None:
    from tui.dialogs.evidence import EvidenceDialog

    app, workbench, role, item = screen.bj30, screen.bj30.workbench, screen.role, s.item

    def attach(target: str, note: str, kind: str | None, dialog: EvidenceDialog) -> None:
        def job() -> tuple[Evidence, list[Evidence], list[HistoryEntry]]:
            e, _ = workbench.add_evidence(role, item, target, note=note, kind=kind)
            return e, workbench.item_evidence(role, item.id), workbench.history(role, item.id)

        def done(result: tuple[Evidence, list[Evidence], list[HistoryEntry]]) -> None:
            e, evidence, history = result
            dialog.attached(e)
            app.notify(f"{item.id}: attached {e.label}")
            if screen.is_attached:
                screen.records_changed(item.id, evidence, history)

        app.store_jobs.run(job, done, dialog.not_attached)

    app.push_screen(EvidenceDialog(item.id, attach, item.evidence))


def remove_evidence(screen: ChecklistScreen, s: ItemState) -> None:
    from tui.dialogs.choice import ChoiceDialog
    from tui.dialogs.confirm import ConfirmDialog

    app, workbench, role, item = screen.bj30, screen.bj30.workbench, screen.role, s.item
    attached = screen.evidence.get(item.id, [])
    if not attached:
        app.notify(f"{item.id} has no evidence to remove; v attaches some.")
        return

    def remove(number: int) -> None:
        def job() -> tuple[list[Evidence], list[HistoryEntry]]:
            workbench.remove_evidence(role, item, number)
            return workbench.item_evidence(role, item.id), workbench.history(role, item.id)

        def done(result: tuple[list[Evidence], list[HistoryEntry]]) -> None:
            app.notify(f"{item.id}: removed evidence {number} (the history keeps it)")
            if screen.is_attached:
                screen.records_changed(item.id, *result)

        app.store_jobs.run(job, done)

    def chosen(value: str | None) -> None:
        if value is not None:
            number = int(value)
            app.push_screen(
                ConfirmDialog(f"Remove evidence {number} of {item.id}: {attached[number - 1].label}?"),
                lambda yes: remove(number) if yes else None,
            )

    app.push_screen(
        ChoiceDialog(
            f"Remove which evidence of {item.id}?", [(str(n), f"{n}. {e.label}") for n, e in enumerate(attached, start=1)]
        ),
        chosen,
    )
