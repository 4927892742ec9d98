"""Restore progress from a JSON export. Core: no Textual.

Newer changes in the store are never silently overwritten: an item whose stored change
is later than the file's, and differs from it, is kept and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.checklist import Checklist
from tui.core.errors import Bj30Error
from tui.core.export import SCHEMA, SCHEMA_VERSION
from tui.core.files import parse_json, read_text
from tui.core.status import STATUSES
from tui.core.store import Store, StoreError

FIELDS = ("status", "note", "owner", "due")


@dataclass
class ImportReport:
    applied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_newer: list[str] = field(default_factory=list)  # one line each: id and why
    skipped: list[str] = field(default_factory=list)  # one line each: id and why


def read_export(path: Path) -> dict[str, Any]:
    try:
        data = parse_json(read_text(path))
    except ValueError as exc:
        raise Bj30Error(f"{path}: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise Bj30Error(f"{path}: not a bj30 checklist export (schema should be {SCHEMA!r})")
    version = data.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise Bj30Error(f"{path}: schema_version {version!r} is not one this bj30 reads (1-{SCHEMA_VERSION})")
    checklist = data.get("checklist")
    if not isinstance(checklist, dict) or not isinstance(checklist.get("role"), str):
        raise Bj30Error(f"{path}: checklist.role: missing")
    if not isinstance(data.get("items"), list):
        raise Bj30Error(f"{path}: items: expected a list")
    return data


def import_progress(store: Store, profile: str, checklist: Checklist, data: dict[str, Any],
                    source: str = "file") -> ImportReport:
    report = ImportReport()
    for index, entry in enumerate(data["items"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            report.skipped.append(f"{source}: items[{index}]: no id")
            continue
        item_id = entry["id"]
        item = checklist.item(item_id)
        if item is None:
            report.skipped.append(f"{item_id}: not in the {checklist.role} checklist")
            continue
        values = {f: entry.get(f, "") for f in FIELDS}
        bad = [f for f, v in values.items() if not isinstance(v, str)]
        if bad or values["status"] not in STATUSES:
            report.skipped.append(f"{item_id}: invalid {', '.join(bad) or 'status'} in the file")
            continue
        current = store.item(profile, checklist.role, item_id)
        if all(getattr(current, f) == values[f] for f in FIELDS):
            report.unchanged.append(item_id)
            continue
        file_changed = entry.get("changed", "") if isinstance(entry.get("changed"), str) else ""
        if current.changed and current.changed > file_changed:
            differing = ", ".join(f for f in FIELDS if getattr(current, f) != values[f])
            report.kept_newer.append(f"{item_id}: the store changed it at {current.changed}, after the file "
                                     f"({file_changed or 'no time'}); kept the store's {differing}")
            continue
        try:
            store.update(profile, checklist.role, item_id, fingerprint=item.fingerprint, **values)
        except StoreError as exc:
            report.skipped.append(f"{item_id}: {exc}")
            continue
        report.applied.append(item_id)
    return report
