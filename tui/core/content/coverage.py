"""Which items of a checklist cover which provisions of the register. Core: no Textual.

An item covers a provision when it names it (`provisions = [...]`), cites its measure, and its
quote overlaps the provision's anchor there (the validator checks all three). A role's checklist
is complete when every provision concerning the role is covered or excluded with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.content.checklist import Checklist
from tui.core.content.provisions import Provision, Register


@dataclass(frozen=True, slots=True)
class ProvisionCoverage:
    provision: Provision
    items: tuple[str, ...]  # ids of the checklist's items covering it
    excluded: str = ""  # the checklist's reason for leaving it out

    @property
    def accounted_for(self) -> bool:
        return bool(self.items or self.excluded)


def coverage(checklist: Checklist, register: Register, role: str | None = None) -> list[ProvisionCoverage]:
    """Every provision concerning `role` (default: the role the checklist follows), with its cover."""
    role = role or checklist.follows or checklist.role
    reasons = {e.provision: e.reason for e in checklist.excluded}
    return [
        ProvisionCoverage(p, tuple(it.id for it in checklist.items if p.id in it.provisions), reasons.get(p.id, ""))
        for p in register.for_role(role)
    ]


def uncovered(checklist: Checklist, register: Register) -> list[Provision]:
    return [c.provision for c in coverage(checklist, register) if not c.accounted_for]


def provisions_of(checklist: Checklist, register: Register, measure: int) -> list[ProvisionCoverage]:
    """The provisions of one measure that concern the checklist's role, for the role lens."""
    return [c for c in coverage(checklist, register) if c.provision.measure == measure]
