"""Load and validate checklist files; gather built-in and user checklists into a catalog.

Validation collects every problem of a file (for `bj30 validate`), each one line
naming the file, the item id and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tui.core import toml
from tui.core.checklist import BUILTIN, CATEGORIES, Checklist, ChecklistItem, fingerprint, normalise_space, quote_span
from tui.core.errors import Bj30Error, ContentError
from tui.core.fields import Fields
from tui.core.policy import Policy

ROLE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,60}$")
TOP_KEYS = {"role", "title", "audience", "description", "items"}
ITEM_KEYS = {"id", "text", "measures", "quote", "guidance", "category"}


@dataclass
class Validation:
    checklist: Checklist | None
    problems: list[ContentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_text(text: str, source: str, policy: Policy, *, origin: str | None = None) -> Validation:
    """Parse and check one checklist file. `origin` is what Checklist.source records."""
    problems: list[ContentError] = []
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        return Validation(None, [ContentError(source, "", f"not valid TOML: {exc}")])

    root = Fields(source, "", data, problems=problems)
    root.reject_unknown(TOP_KEYS)
    top = {key: root.get(key, str).strip() for key in ("role", "title", "audience", "description")}
    if top["role"] and not ROLE_PATTERN.match(top["role"]):
        root.fail("role", "use lower-case letters, digits and hyphens, e.g. 'my-lab'")

    items: list[ChecklistItem] = []
    if "items" not in data:
        root.fail("items", "missing field: add [[items]] tables")
    elif not isinstance(data["items"], list) or not data["items"]:
        root.fail("items", "expected one or more [[items]] tables")
    else:
        seen: set[str] = set()
        for index, raw in enumerate(data["items"]):
            item = _check_item(Fields(source, _item_key(raw, index), raw, problems=problems), policy, seen)
            if item is not None:
                items.append(item)

    if problems:
        return Validation(None, problems)
    checklist = Checklist(top["role"], top["title"], top["audience"], top["description"], tuple(items),
                          origin or source)
    return Validation(checklist)


def _item_key(raw: Any, index: int) -> str:
    """Problems name the item by its id once it has a usable one, else by its place."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    return f"item {item_id}" if isinstance(item_id, str) and ID_PATTERN.match(item_id) else f"items[{index}]"


def _check_item(f: Fields, policy: Policy, seen: set[str]) -> ChecklistItem | None:
    if f.failed:  # not a table
        return None
    f.reject_unknown(ITEM_KEYS)
    item_id = f.get("id", str)
    if item_id and not ID_PATTERN.match(item_id):
        f.fail("id", "use lower-case letters, digits, '.', '_' or '-', e.g. 'uni-001'")
    elif item_id in seen:
        f.fail("id", "duplicate id; ids are unique and never reused")
    seen.add(item_id)
    text = f.get("text", str).strip()
    quote = f.get("quote", str).strip()
    guidance = f.get("guidance", str, required=False, default="").strip()
    category = f.get("category", str, required=False, default="").strip()
    if category and category not in CATEGORIES:
        f.fail("category", f"unknown category {category!r}; use one of: {', '.join(CATEGORIES)}")

    measures = f.get("measures", list)
    if "measures" in f.table and isinstance(f.table["measures"], list) and not measures:
        f.fail("measures", "expected a list of measure numbers, e.g. [17]")
    numbers: list[int] = []
    for n in measures:
        if not isinstance(n, int) or isinstance(n, bool):
            f.fail("measures", f"expected measure numbers, found {n!r}")
        elif not policy.first <= n <= policy.last:
            f.fail("measures", f"no measure {n}: measures are numbered {policy.first}-{policy.last}")
        else:
            numbers.append(n)
    if f.failed:
        return None
    if not any(quote_span(policy.measure(n).text, quote) for n in numbers):
        cited = ", ".join(str(n) for n in numbers)
        f.fail("quote", f"does not stand verbatim in measure {cited}: {normalise_space(quote)[:60]!r}")
        return None
    return ChecklistItem(item_id, text, tuple(numbers), quote, guidance, category,
                         fingerprint(policy, quote, tuple(numbers)))


def validate_file(path: Path | Traversable, policy: Policy, *, origin: str | None = None) -> Validation:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Validation(None, [ContentError(str(path), "", f"cannot read: {reason}")])
    return validate_text(text, str(path), policy, origin=origin)


@dataclass
class Catalog:
    checklists: list[Checklist]
    problems: list[str]  # one line each: broken user files, shadowed roles

    def get(self, role: str) -> Checklist | None:
        for c in self.checklists:
            if c.role == role:
                return c
        return None

    def require(self, role: str) -> Checklist:
        """The checklist for `role`, or an error listing the roles there are."""
        found = self.get(role)
        if found is None:
            raise Bj30Error(f"no checklist for role {role!r}; roles are: {', '.join(self.roles)}")
        return found

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.checklists]


# The roles of the original brief first, then the others; any new built-in file after them.
BUILTIN_ORDER = ("university", "soe", "research-institution", "medical-institution", "tech-enterprise")


def _builtin_order(f: Path | Traversable) -> tuple[int, str]:
    role = f.name.removesuffix(".toml")
    return (BUILTIN_ORDER.index(role) if role in BUILTIN_ORDER else len(BUILTIN_ORDER), role)


def load_catalog(policy: Policy, builtin_dir: Path | Traversable, user_dir: Path | None) -> Catalog:
    """Built-in checklists, then the user's *.toml files.

    A user file whose role id is already taken does not load: built-in roles win,
    because progress is recorded per role and item id, and a same-named user file
    would silently change what earlier ticks refer to. The user is told which file
    and how to fix it (choose another role id).
    """
    checklists: list[Checklist] = []
    problems: list[str] = []
    builtin_files = sorted((f for f in builtin_dir.iterdir() if f.name.endswith(".toml")), key=_builtin_order)
    for f in builtin_files:
        result = validate_file(f, policy, origin=BUILTIN)
        if result.checklist is None:  # a broken built-in is a packaging bug; still report, keep going
            problems += [str(p) for p in result.problems]
        else:
            checklists.append(result.checklist)
    if user_dir is not None and user_dir.is_dir():
        try:
            user_files = sorted(p for p in user_dir.iterdir() if p.suffix == ".toml" and p.is_file())
        except OSError as exc:
            problems.append(f"{user_dir}: cannot list user checklists: {exc.strerror or exc}")
            user_files = []
        for path in user_files:
            result = validate_file(path, policy, origin=str(path))
            if result.checklist is None:
                first = result.problems[0]
                extra = len(result.problems) - 1
                more = f" (and {extra} more; run: bj30 validate {path})" if extra else ""
                problems.append(f"{first}{more}")
                continue
            taken = next((c for c in checklists if c.role == result.checklist.role), None)
            if taken is not None:
                owner = "a built-in checklist" if taken.is_builtin else taken.source
                problems.append(f"{path}: role: {result.checklist.role!r} is already used by {owner}, which wins; "
                                f"give this file another role id to load it")
                continue
            checklists.append(result.checklist)
    return Catalog(checklists, problems)


def load_default_catalog(policy: Policy) -> Catalog:
    from tui import locations

    return load_catalog(policy, locations.builtin_checklists_dir(), locations.user_checklists_dir())
