"""Profiles, as the Workbench manages them: created, edited, renamed (the one in use follows),
archived and deleted (never without its archive when it holds anything). Core: no Textual."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.content.ids import MAX_PROFILE_NAME, name_problem
from tui.core.errors import Bj30Error
from tui.core.export.render import render
from tui.core.export.rows import build_export, write_export
from tui.core.store.model import DEFAULT_PROFILE, Profile, check_text

if TYPE_CHECKING:
    from tui.core.workbench import Workbench


def create(wb: Workbench, name: str, institution: str, department: str = "") -> Profile:
    """A new profile. Its name is an id (`pku-hospital`); the institution is what people read."""
    check_text(name, "profile name")  # a NUL or a lone surrogate says so first
    problem = name_problem(name.strip(), MAX_PROFILE_NAME)
    if problem:
        raise Bj30Error(f"profile name {name.strip()[:60]!r}: {problem}; the institution (--institution) is the name people read")
    return wb.store.create_profile(name.strip(), institution, department)


def update(wb: Workbench, name: str, institution: str | None = None, department: str | None = None) -> Profile:
    """Change a profile's institution or department; None keeps what it has."""
    old = wb.store.profile(name)
    return wb.store.update_profile(
        name, old.institution if institution is None else institution, old.department if department is None else department
    )


def rename(wb: Workbench, old: str, new: str) -> Profile:
    """A new name for a profile, with everything recorded under it; the one in use follows."""
    check_text(new, "profile name")
    problem = name_problem(new.strip(), MAX_PROFILE_NAME)
    if problem:
        raise Bj30Error(f"profile name {new.strip()[:60]!r}: {problem}")
    profile = wb.store.rename_profile(old, new.strip())
    if wb.config.get("profile") == old:
        wb.set_config("profile", profile.name)
    if wb.profile_name == old:
        wb.profile_name = profile.name
    return profile


def export_all(wb: Workbench, name: str) -> bytes:
    """Everything a profile holds, as one JSON export of each checklist it has anything in."""
    wb.store.profile(name)
    roles = wb.store.roles_of(name)
    known = [c for c in wb.catalog.checklists if c.role in roles]
    if len(known) < len(roles):
        missing = ", ".join(sorted(roles - {c.role for c in known}))
        raise Bj30Error(
            f"profile {name!r} holds progress for roles with no checklist here ({missing}); "
            f"load their checklists before archiving it, or nothing of theirs would be in the archive"
        )
    data = build_export(wb.policy, wb.store, name, known)
    return render(data, "json")


def delete(wb: Workbench, name: str, archive: Path | None = None, force: bool = False) -> Path | None:
    """Delete a profile. One that holds anything is refused, unless `archive` names a file to
    write its JSON export to first: written (and synced) before anything is deleted."""
    if name == DEFAULT_PROFILE:
        raise Bj30Error(
            f"the {DEFAULT_PROFILE!r} profile cannot be deleted; rename it first "
            f"(bj30 profile rename default NEW) to keep its progress under another name"
        )
    wb.store.profile(name)
    if wb.store.holds_progress(name):
        if archive is None:
            raise Bj30Error(
                f"profile {name!r} holds progress; nothing is deleted without its archive: add "
                f"--archive FILE.json to write its export first (bj30 import restores it)"
            )
        write_export(archive, export_all(wb, name), force)
    wb.store.delete_profile(name)
    if wb.config.get("profile") == name:
        wb.set_config("profile", "")
    if wb.profile_name == name:
        wb.profile_name = DEFAULT_PROFILE
    return archive if archive is not None and archive.exists() else None
