"""Evidence, as the Workbench shows it: per item in the app's order, attached as the user says,
and read again to see which files changed or went missing. Core: no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.content.checklist import ChecklistItem
from tui.core.progress.actions import in_app_order
from tui.core.progress.evidence import Check, Evidence
from tui.core.progress.evidence import check as check_file
from tui.core.progress.evidence import make as make_evidence
from tui.core.progress.item import HistoryEntry

if TYPE_CHECKING:
    from tui.core.workbench import Workbench


@dataclass(frozen=True)
class EvidenceCheck:
    role: str
    item_id: str
    number: int
    check: Check


def evidence_by_item(wb: Workbench, role: str, item_id: str | None = None) -> dict[str, list[Evidence]]:
    state = wb.state(role)
    found: dict[str, list[Evidence]] = {}
    for _, iid, e in wb.store.evidence(wb.profile_name, state.checklist.role, item_id):
        found.setdefault(iid, []).append(e)
    order = {s.item.id: i for i, s in enumerate(in_app_order(state))}
    return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def records(wb: Workbench, role: str) -> tuple[dict[str, list[Evidence]], dict[str, list[HistoryEntry]]]:
    """Every item's evidence and history in a role (those with any), read at once: what the app's
    detail pane shows as the cursor moves, without reading the store per move."""
    role = wb.checklist(role).role
    evidence: dict[str, list[Evidence]] = {}
    for _, item_id, e in wb.store.evidence(wb.profile_name, role):
        evidence.setdefault(item_id, []).append(e)
    history: dict[str, list[HistoryEntry]] = {}
    for h in wb.store.history(wb.profile_name, role):
        history.setdefault(h.item_id, []).append(h)
    return evidence, history


def add_evidence(wb: Workbench, role: str, item: ChecklistItem, target: str, note: str, kind: str | None) -> tuple[Evidence, int]:
    """Attach a file, a URL or a reference (see tui/core/progress/evidence.py); its number among the item's."""
    e = make_evidence(target, note=note, kind=kind)
    stored = wb.store.add_evidence(wb.profile_name, role, item.id, e, by=wb.who)
    return stored, len(wb.store.evidence(wb.profile_name, role, item.id))


def check_evidence(wb: Workbench, role: str | None = None) -> list[EvidenceCheck]:
    roles = [wb.checklist(role).role] if role else [c.role for c in wb.catalog.checklists]
    out: list[EvidenceCheck] = []
    for r in roles:
        for item_id, items in evidence_by_item(wb, r).items():
            out += [EvidenceCheck(r, item_id, n, check_file(e)) for n, e in enumerate(items, start=1)]
    return out
