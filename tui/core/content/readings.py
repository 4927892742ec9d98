"""One reading of each clause across roles. Core: no Textual.

The five built-in checklists read the same provision of the register for different roles. A
clause must not be an opportunity for one role and a limit for another, nor left out by one role
while another covers it, unless the item or the exclusion says why in `differs`. A role's reading
of a provision is the set of categories of its items citing it (an item that covers several
provisions gives each its categories), or "excluded". Items and exclusions with `differs` are
left out of the comparison: they say why they read the clause their own way.

The built-ins are checked against each other (a problem is an error: a packaging bug); a user
checklist is checked against the built-ins (a warning: its author may bundle clauses otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tui.core.content.checklist import Checklist
from tui.core.content.provisions import Register
from tui.core.errors import ContentError

EXCLUDED = "excluded"


@dataclass
class Reading:
    """How one role reads one provision: the categories of its items (or excluded), and which items."""

    categories: set[str] = field(default_factory=set)
    items: list[str] = field(default_factory=list)
    excluded: bool = False

    @property
    def label(self) -> str:
        if self.items:
            return " and ".join(sorted(self.categories)) or "no category"
        return EXCLUDED


def readings(checklist: Checklist) -> dict[str, Reading]:
    """Provision id -> how the checklist reads it, leaving out items and exclusions with `differs`."""
    out: dict[str, Reading] = {}
    for it in checklist.items:
        if it.differs:
            continue
        for pid in it.provisions:
            r = out.setdefault(pid, Reading())
            r.categories.update(it.categories)
            r.items.append(it.id)
    for e in checklist.excluded:
        if not e.differs and e.provision not in out:
            out[e.provision] = Reading(excluded=True)
    return out


def _role(checklist: Checklist) -> str:
    return checklist.follows or checklist.role


def _describe(role: str, r: Reading) -> str:
    return f"{role}: {', '.join(r.items)}" if r.items else role


def _groups(by_role: dict[str, Reading]) -> dict[str, list[str]]:
    """Reading label -> the roles (with their items) that read the provision so."""
    groups: dict[str, list[str]] = {}
    for role, r in by_role.items():
        groups.setdefault(r.label, []).append(_describe(role, r))
    return groups


def _sentence(groups: dict[str, list[str]]) -> str:
    return "; ".join(f"{label} ({'; '.join(who)})" for label, who in sorted(groups.items()))


def builtin_reading_problems(checklists: Sequence[Checklist], register: Register, source: str) -> list[ContentError]:
    """Every provision that the given checklists read more than one way: one line each."""
    per_provision: dict[str, dict[str, Reading]] = {}
    for c in checklists:
        for pid, r in readings(c).items():
            per_provision.setdefault(pid, {})[_role(c)] = r
    out: list[ContentError] = []
    for p in register.provisions:
        groups = _groups(per_provision.get(p.id, {}))
        if len(groups) > 1:
            out.append(
                ContentError(
                    source,
                    f"provision {p.id}",
                    f"read {len(groups)} ways across roles: {_sentence(groups)}; make them agree, "
                    f'or say why in differs = "..." on the item or exclusion that departs',
                )
            )
    return out


def user_reading_warnings(
    checklist: Checklist, builtins: Iterable[Checklist], register: Register, source: str
) -> list[ContentError]:
    """Where a user checklist reads a provision otherwise than the built-in checklists agree on."""
    agreed: dict[str, dict[str, Reading]] = {}
    for c in builtins:
        for pid, r in readings(c).items():
            agreed.setdefault(pid, {})[_role(c)] = r
    out: list[ContentError] = []
    for pid, mine in readings(checklist).items():
        theirs = _groups(agreed.get(pid, {}))
        if register.get(pid) is None or len(theirs) != 1:
            continue  # the built-ins do not read it, or do not agree themselves (their own error)
        label = next(iter(theirs))
        if mine.label == label or (mine.items and not mine.categories):
            continue  # the same reading, or an item that gives its clause no category: nothing to compare
        where = f"item {mine.items[0]}" if mine.items else "excluded"
        out.append(
            ContentError(
                source,
                where,
                f"reads {pid} as {mine.label} where the built-in checklists read it as {label} "
                f'({"; ".join(theirs[label])}); make it agree, or say why in differs = "..."',
            )
        )
    return out
