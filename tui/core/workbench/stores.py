"""The store itself, as the Workbench shows and manages it: `bj30 store info|copy|grant`.
Core: no Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.errors import Bj30Error
from tui.core.store.copy import CopyReport, copy_store
from tui.core.store.location import StoreLocation, open_store, parse_location
from tui.core.store.model import ReadOnlyStore

if TYPE_CHECKING:
    from tui.core.store.api import ProgressStore
    from tui.core.workbench import Workbench


def facts(wb: Workbench) -> dict[str, str]:
    """Where the store is, what kind, who this session is there, and why it is read-only (if so)."""
    store = wb.store
    return {
        "store": wb.location.display,
        "kind": "team (PostgreSQL)" if wb.location.is_team else "file (SQLite)",
        "user": store.user,
        "read_only": store.read_only_reason or "",
    }


def copy(wb: Workbench, source_text: str | None, target_text: str) -> tuple[CopyReport, StoreLocation, StoreLocation]:
    """Copy one store into another (the source: the local file unless given); each one's warnings
    said with "from:" or "to:" before them."""
    from tui.core import locations

    source = parse_location(source_text or str(locations.store_path()))
    target = parse_location(target_text)
    if source.url == target.url:
        raise Bj30Error(f"--from and --to are the same store ({source})")
    if not source.exists():
        raise Bj30Error(f"{source}: no such store file")
    with _open(wb, source, "from") as from_store, _open(wb, target, "to") as to_store:
        return copy_store(from_store, to_store, source.display), source, target


def _open(wb: Workbench, location: StoreLocation, label: str) -> ProgressStore:
    opened = open_store(location)
    for warning in opened.warnings:
        wb.warn(f"{label}: {warning}")
    return opened.store


def grant(wb: Workbench, role: str, kind: str) -> None:
    """Let a database role use the team store as an officer or a reader (as the store's owner)."""
    if not wb.location.is_team and not wb._location_problem:  # said before a file is made for nothing
        raise Bj30Error(f"{wb.location} is a file: grant is for a team store (postgresql://...)")
    store = wb.store  # a location that cannot be a store, or no driver: said here
    if not store.connected:
        raise ReadOnlyStore(f"not granted: {store.read_only_reason or f'{wb.location} cannot be reached'}")
    store.grant(role, kind)
