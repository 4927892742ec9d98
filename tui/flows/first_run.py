"""The first run asks who you are, once; your name can be set later from P and the palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.config import Config, login_name
from tui.core.progress.profile import Profile

if TYPE_CHECKING:
    from tui.dialogs.first_run import FirstRun
    from tui.screens.base import Bj30Base


def first_run_wanted(app: Bj30Base, profile: Profile | None, config: Config) -> bool:
    """Ask when nothing says who the officer is: no institution in the profile, no name set, never asked."""
    return not app.ui_state.asked_first_run and not config.get("name") and not (profile and profile.institution)


def ask_first_run(app: Bj30Base) -> None:
    from tui.dialogs.first_run import FirstRunDialog

    workbench = app.workbench
    app.ui_state.asked_first_run = True  # asked once, answered or skipped: P and bj30 config stay
    app.save_state()

    def answered(answer: FirstRun | None) -> None:
        if answer is None or not (answer.institution or answer.name):
            app.notify("Skipped: P on the checklists screen, the palette or bj30 config set your institution and name.")
            return

        def job() -> None:
            if answer.institution:
                workbench.update_profile(workbench.profile_name, institution=answer.institution)
            if answer.name:
                workbench.set_config("name", answer.name)

        def done(_: None) -> None:
            app.learn_profile()
            said = [
                f"institution {answer.institution}" if answer.institution else "",
                f"name {answer.name}" if answer.name else "",
            ]
            app.notify("Saved: " + " and ".join(s for s in said if s) + ". P or the palette change them.")

        app.store_jobs.run(job, done)

    app.push_screen(FirstRunDialog(login_name(), ask_name=not workbench.location.is_team), answered)


def set_name(app: Bj30Base) -> None:
    """Your name, as the history records it (`bj30 config set name`), from the app."""
    from tui.dialogs.first_run import NameDialog

    workbench = app.workbench
    if workbench.location.is_team:
        app.notify(f"A team store records its database user with each change: {workbench.who or 'not connected yet'}.")
        return

    def chosen(name: str | None) -> None:
        if name is None:
            return
        if app.attempt(lambda: workbench.set_config("name", name)) is not None:
            app.notify(f"Changes are recorded as made by {name}." if name else f"Changes are recorded as made by {login_name()}.")
            app.refresh_headers()

    app.push_screen(NameDialog(workbench.config.get("name"), login_name()), chosen)
