"""Check checklist files as built-ins are checked: verbatim quotes, provisions that exist and that
the quote overlaps, and every provision of the role covered by an item or excluded with a reason.

usage: python scripts/check_checklist.py FILE...   (exit 0 when all are ok)
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.content.checklist import BUILTIN
from tui.core.content.checklist_loader import validate_file
from tui.core.content.coverage import coverage
from tui.core.content.policy_loader import load_policy
from tui.core.content.provisions import load_register


def main(argv: list[str]) -> int:
    policy, register = load_policy(), load_register()
    failed = False
    for name in argv:
        result = validate_file(Path(name), policy, origin=BUILTIN)
        for problem in result.problems:
            print(problem)
        if result.checklist is None:
            failed = True
            continue
        cover = coverage(result.checklist, register)
        covered = sum(1 for c in cover if c.items)
        excluded = sum(1 for c in cover if c.excluded)
        print(
            f"{name}: ok ({result.checklist.role}: {len(result.checklist.items)} items; {len(cover)} provisions "
            f"of the role: {covered} covered, {excluded} excluded)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
