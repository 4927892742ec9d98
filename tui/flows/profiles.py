"""Flows for choosing a profile (or creating one) and the role lens, built from the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.profile import ProfileDialog, ProfileForm

if TYPE_CHECKING:
    from tui.screens.base import Bj30Base

NEW = "\x00new"
EDIT = "\x00edit"
NAME = "\x00name"


def choose_profile(app: Bj30Base, on_done: Callable[[], None]) -> None:
    """Switch to another profile, create one, or edit the current one's institution."""
    workbench = app.workbench
    profiles = app.attempt(workbench.profiles)
    if profiles is None:
        return
    current = workbench.profile_name

    choices = [(p.name, f"{p.name} · {p.label()}") for p in profiles]
    choices += [(NAME, f"Your name (the history records {app.recorder_words().removeprefix('you: ') or 'the database user'})…")]
    choices += [(EDIT, f"Edit the institution of {current}…"), (NEW, "New profile…")]

    def chosen(value: str | None) -> None:
        if value is None:
            return
        if value == NAME:
            from tui.flows.first_run import set_name

            set_name(app)
        elif value == NEW:
            app.push_screen(ProfileDialog(), created)
        elif value == EDIT:
            p = app.attempt(workbench.check_profile)
            if p is not None:
                app.push_screen(ProfileDialog(p.name, p.institution, p.department, editing=True), edited)
        elif app.attempt(lambda: workbench.remember_profile(value)) is not None:
            app.notify(f"Profile: {value}")
            app.learn_profile()
            on_done()

    def created(form: ProfileForm | None) -> None:
        if form is None:
            return

        def create() -> object:
            workbench.create_profile(form.name, form.institution, form.department)
            return workbench.remember_profile(form.name)

        if app.attempt(create) is not None:
            app.notify(f"Created and switched to profile {form.name} ({form.institution})")
            app.learn_profile()
            on_done()

    def edited(form: ProfileForm | None) -> None:
        if form is None:
            return
        if app.attempt(lambda: workbench.update_profile(workbench.profile_name, form.institution, form.department)) is not None:
            app.learn_profile()
            on_done()

    app.push_screen(ChoiceDialog(f"Profile (now: {current})", choices, current), chosen)


def choose_role_lens(app: Bj30Base, on_done: Callable[[], None]) -> None:
    """Choose the role whose duties the reader highlights; remembered across runs."""
    checklists = app.attempt(lambda: app.workbench.catalog.checklists)
    if checklists is None:
        return
    choices = [("", "No role lens")] + [(c.role, f"{c.title} ({c.role})") for c in checklists]

    def chosen(value: str | None) -> None:
        if value is None:
            return
        app.set_role_lens(value or None)
        app.notify(f"Role lens: {value}" if value else "Role lens off")
        on_done()

    app.push_screen(ChoiceDialog("Role lens: mark the provisions that concern…", choices, app.role_lens or ""), chosen)
