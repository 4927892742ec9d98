"""Check checklist files as built-ins are checked: verbatim quotes, provisions that exist and that
the quote overlaps, every provision of the role covered by an item or excluded with a reason, no
item citing a provision the register does not give to its role, every scope condition kept, every
item on a provision that depends on rules still to be issued saying so, and one reading of each
clause across roles (the files together with the shipped built-ins of the
roles they do not replace).

usage: python scripts/check_checklist.py FILE...   (exit 0 when all are ok)
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core import locations
from tui.core.content.checklist import BUILTIN, Checklist
from tui.core.content.checklist_loader import validate_file
from tui.core.content.coverage import coverage
from tui.core.content.policy_loader import load_policy
from tui.core.content.provisions import load_register
from tui.core.content.readings import builtin_reading_problems


def main(argv: list[str]) -> int:
    policy, register = load_policy(), load_register()
    failed = False
    checked: list[Checklist] = []
    for name in argv:
        result = validate_file(Path(name), policy, origin=BUILTIN)
        for problem in result.problems:
            print(problem)
        if result.checklist is None:
            failed = True
            continue
        checked.append(result.checklist)
        cover = coverage(result.checklist, register)
        covered = sum(1 for c in cover if c.items)
        excluded = sum(1 for c in cover if c.excluded)
        print(
            f"{name}: ok ({result.checklist.role}: {len(result.checklist.items)} items; {len(cover)} provisions "
            f"of the role: {covered} covered, {excluded} excluded)"
        )
    # One reading per clause: the files checked, with the shipped checklists of the other roles.
    roles = {c.role for c in checked}
    shipped = locations.builtin_checklists_dir()
    others = [
        r.checklist
        for f in sorted(shipped.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".toml") and f.name.removesuffix(".toml") not in roles
        for r in [validate_file(f, policy, origin=BUILTIN)]
        if r.checklist is not None
    ]
    for problem in builtin_reading_problems([*checked, *others], register, "checklists"):
        failed = True
        print(problem)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
