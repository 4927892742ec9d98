"""The rules for names people give: roles, item ids and profile names. Core: no Textual.

Each rule is said once, here: the validator's and the store's messages quote it, and the
README quotes it word for word (tests/test_ids.py keeps them one rule).

Roles and profile names name files, commands and reports (`bj30 checklist my-lab`, `--profile
pku-hospital`): lower-case letters, digits and hyphens. Item ids may also hold dots and
underscores, as the first release allowed, so that no published checklist stops loading.
"""

from __future__ import annotations

import re

NAME_RULE = "lower-case letters, digits and hyphens, starting with a letter or digit (e.g. pku-hospital)"
ITEM_ID_RULE = "lower-case letters, digits, hyphens, dots and underscores, starting with a letter or digit (e.g. lab-001)"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ITEM_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MAX_ROLE = 41
MAX_ITEM_ID = 61
MAX_PROFILE_NAME = 60


def name_problem(value: str, limit: int) -> str | None:
    """Why `value` is not a role or profile name, or None."""
    if not NAME_PATTERN.match(value):
        return f"use {NAME_RULE}"
    if len(value) > limit:
        return f"at most {limit} characters"
    return None


def item_id_problem(value: str) -> str | None:
    """Why `value` is not an item id, or None."""
    if not ITEM_ID_PATTERN.match(value):
        return f"use {ITEM_ID_RULE}"
    if len(value) > MAX_ITEM_ID:
        return f"at most {MAX_ITEM_ID} characters"
    return None
