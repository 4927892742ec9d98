"""Load and validate checklist files; gather built-in and user checklists into a catalog.

Validation collects every problem of a file (for `bj30 validate`), each one line
naming the file, the item id and the field.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tui.core.content.checklist import (
    BUILTIN,
    CATEGORIES,
    Checklist,
    ChecklistItem,
    Exclusion,
    fingerprint,
    normalise_space,
    quote_span,
)
from tui.core.content.coverage import uncovered
from tui.core.content.fields import Fields
from tui.core.content.ids import MAX_ROLE, item_id_problem, name_problem
from tui.core.content.policy import Policy
from tui.core.content.provisions import Register, load_register, missing_keys, overlaps
from tui.core.content.readings import builtin_reading_problems, user_reading_warnings
from tui.core.errors import Bj30Error, ContentError
from tui.core.files.read import FileProblem, parse_toml, read_text

TOP_KEYS = {"role", "title", "audience", "description", "items", "excluded", "retired", "follows"}
ITEM_KEYS = {
    "id",
    "text",
    "measures",
    "quote",
    "guidance",
    "category",
    "provisions",
    "evidence",
    "owner_hint",
    "differs",
    "scope_omitted",
}
# An item citing a provision that depends on rules still to be issued (status pending-rules) says
# so in its statement or guidance with one of these phrases ("once the channel is open", "still to
# be established", "yet to be set", "not yet recognized"): a word list, as for the scope's keys, so
# that the rule is checkable; it caught items asking whether to use a mechanism not yet there.
PENDING_PHRASES = ("once", "still to be", "yet to be", "not yet")
_PENDING_SAID = re.compile(
    r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in PENDING_PHRASES) + r")\b", re.IGNORECASE
)
# A quote must identify its place in the measure: one word or a comma would match anywhere.
MIN_QUOTE_WORDS = 4
_SHORT = reprlib.Repr()  # a value quoted in a problem: short, and never deep
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 2, 40, 40


@dataclass
class Validation:
    checklist: Checklist | None
    problems: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)  # e.g. a user checklist's uncovered provisions

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_text(
    text: str, source: str, policy: Policy, *, origin: str | None = None, register: Register | None = None
) -> Validation:
    """Parse and check one checklist file. `origin` is what Checklist.source records.

    A built-in checklist follows the register for its own role: a provision of the role that no
    item covers and no [[excluded]] entry explains is a problem, and so is an item citing a
    provision the register does not give to the role, or an item whose statement and guidance
    leave out the key words of a provision's scope (who qualifies, under what condition) without
    saying why (`scope_omitted`), or an item citing a provision that depends on rules still to be
    issued without saying so (`says_pending`). A user checklist may declare `follows = "ROLE"`; these are then
    warnings (the scope's words for every role are checked without it too).
    """
    try:
        data = parse_toml(text)
    except ValueError as exc:
        return Validation(None, [ContentError(source, "", str(exc))])
    try:
        return _validate(data, source, policy, origin, register or load_register())
    except RecursionError:  # nothing here recurses on the data; a last guard all the same
        return Validation(None, [ContentError(source, "", "nested too deeply")])


def _validate(data: dict[str, Any], source: str, policy: Policy, origin: str | None, register: Register) -> Validation:
    problems: list[ContentError] = []
    root = Fields(source, "", data, problems=problems)
    root.reject_unknown(TOP_KEYS)
    top = {key: root.get(key, str).strip() for key in ("role", "title", "audience", "description")}
    role_problem = name_problem(top["role"], MAX_ROLE) if top["role"] else None
    if role_problem:
        root.fail("role", role_problem)

    items: list[ChecklistItem] = []
    seen: set[str] = set()
    if "items" not in data:
        root.fail("items", "missing field: add [[items]] tables")
    elif not isinstance(data["items"], list) or not data["items"]:
        root.fail("items", "expected one or more [[items]] tables")
    else:
        for index, raw in enumerate(data["items"]):
            item = _check_item(Fields(source, _item_key(raw, index), raw, problems=problems), policy, register, seen)
            if item is not None:
                items.append(item)

    retired = root.strings("retired", required=False)
    for item_id in sorted(seen.intersection(retired)):
        root.fail("retired", f"{item_id!r} is retired and cannot be used again; give the item a new id")
    excluded = _exclusions(root, register, {p for it in items for p in it.provisions})
    builtin = (origin or source) == BUILTIN
    follows = root.get("follows", str, required=False, default="").strip() or (top["role"] if builtin else "")
    if follows and follows not in register.roles:
        root.fail("follows", f"no role {follows!r} in the provision register; roles are: {', '.join(register.roles)}")

    if problems:
        return Validation(None, problems)
    checklist = Checklist(
        top["role"], top["title"], top["audience"], top["description"], tuple(items), origin or source, excluded, retired, follows
    )
    gaps = [
        ContentError(
            source,
            f"provision {p.id}",
            f"concerns {follows} but no item covers it and no [[excluded]] "
            f"entry says why (measure {p.measure}: {p.anchor[:50]!r})",
        )
        for p in (uncovered(checklist, register) if follows else [])
    ]
    gaps += role_problems(checklist, register, source, follows or None)
    if builtin:
        return Validation(None, gaps) if gaps else Validation(checklist)
    return Validation(checklist, warnings=gaps)


def says_pending(text: str) -> bool:
    """Whether a statement (with its guidance) says that what it rests on is still to be set."""
    return _PENDING_SAID.search(text) is not None


def role_problems(checklist: Checklist, register: Register, source: str, role: str | None) -> list[ContentError]:
    """What an item of `role` must not do with the register: cite a provision the register does not
    give to the role, drop the words of a provision's scope (who qualifies, under what condition)
    without saying why, or rest on a provision that depends on rules still to be issued without
    saying so. With no role (a user file that follows none) the role's own provisions and scope
    words are not checked, the rest is."""
    out: list[ContentError] = []
    for it in checklist.items:
        said = f"{it.text} {it.guidance}"
        pending = [pid for pid in it.provisions if (p := register.get(pid)) is not None and p.status == "pending-rules"]
        if pending and not says_pending(said):
            out.append(
                ContentError(
                    source,
                    f"item {it.id}",
                    f"cites {', '.join(pending)}, which {'depends' if len(pending) == 1 else 'depend'} on rules "
                    "still to be issued, but neither its "
                    "statement nor its guidance says so (say when it applies: 'once ... is established', "
                    "'still to be', 'yet to be' or 'not yet')",
                )
            )
        for pid in it.provisions:
            p = register.get(pid)
            if p is None:
                continue
            if role is not None and role not in p.roles:
                given = ", ".join(p.roles) if p.roles else "no role (the government acts)"
                out.append(
                    ContentError(source, f"item {it.id}", f"cites {pid}, which the register does not give to {role} ({given})")
                )
            missing = missing_keys(p.keys_for(role), said)
            if missing and not it.scope_omitted:
                out.append(
                    ContentError(
                        source,
                        f"item {it.id}",
                        f"leaves out the condition of {pid}: {', '.join(repr(k) for k in missing)} "
                        f"(scope: {' … '.join(p.scope)[:80]!r}); keep it in the statement or guidance, "
                        f"or say why in scope_omitted",
                    )
                )
    return out


def _exclusions(root: Fields, register: Register, covered: set[str]) -> tuple[Exclusion, ...]:
    out: list[Exclusion] = []
    for f in root.tables("excluded", required=False):
        f.reject_unknown({"provision", "reason", "differs"})
        pid, reason = f.get("provision", str), f.get("reason", str).strip()
        differs = f.get("differs", str, required=False, default="").strip()
        if pid and register.get(pid) is None:
            f.fail("provision", f"no provision {pid!r} in the register")
        elif pid in covered:
            f.fail("provision", f"{pid!r} is covered by an item; an excluded provision is one no item covers")
        if not f.failed:
            out.append(Exclusion(pid, reason, differs))
    return tuple(out)


def _item_key(raw: Any, index: int) -> str:
    """Problems name the item by its id once it has a usable one, else by its place."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    return f"item {item_id}" if isinstance(item_id, str) and not item_id_problem(item_id) else f"items[{index}]"


def _check_item(f: Fields, policy: Policy, register: Register, seen: set[str]) -> ChecklistItem | None:
    if f.failed:  # not a table
        return None
    f.reject_unknown(ITEM_KEYS)
    item_id = f.get("id", str)
    id_problem = item_id_problem(item_id) if item_id else None
    if id_problem:
        f.fail("id", id_problem)
    elif item_id in seen:
        f.fail("id", "duplicate id; ids are unique and never reused")
    seen.add(item_id)
    text = f.get("text", str).strip()
    quote = f.get("quote", str).strip()
    guidance = f.get("guidance", str, required=False, default="").strip()
    evidence = f.get("evidence", str, required=False, default="").strip()
    owner_hint = f.get("owner_hint", str, required=False, default="").strip()
    differs = f.get("differs", str, required=False, default="").strip()
    scope_omitted = f.get("scope_omitted", str, required=False, default="").strip()
    categories = _categories(f)
    provision_ids = f.strings("provisions", required=False)

    measures = f.get("measures", list)
    if "measures" in f.table and isinstance(f.table["measures"], list) and not measures:
        f.fail("measures", "expected a list of measure numbers, e.g. [17]")
    numbers: list[int] = []
    for n in measures:
        if not isinstance(n, int) or isinstance(n, bool):
            f.fail("measures", f"expected measure numbers, found {_SHORT.repr(n)}")
        elif not policy.first <= n <= policy.last:
            f.fail("measures", f"no measure {n}: measures are numbered {policy.first}-{policy.last}")
        elif n in numbers:
            f.fail("measures", f"measure {n} is cited twice")
        else:
            numbers.append(n)
    if len(normalise_space(quote).split(" ")) < MIN_QUOTE_WORDS:
        f.fail("quote", f"quote at least {MIN_QUOTE_WORDS} words, so that it identifies its place in the measure")
    if f.failed:
        return None
    spans = {n: span for n in numbers if (span := quote_span(policy.measure(n).text, quote))}
    cited = ", ".join(str(n) for n in numbers)
    if not spans:
        f.fail("quote", f"does not stand verbatim in measure {cited}: {normalise_space(quote)[:60]!r}")
        return None
    places = sum(_spaced(policy.measure(n).text).count(normalise_space(quote)) for n in spans)
    if places > 1:  # the highlight, the fingerprint and the reader would each pick the first: say which
        f.fail("quote", f"occurs {places} times in measure {cited}; quote more words so that it identifies one place")
        return None
    departments: list[str] = []
    scopes: list[str] = []
    for pid in provision_ids:
        provision = register.get(pid)
        if provision is None:
            f.fail("provisions", f"no provision {pid!r} in the register")
        elif provision.measure not in spans:
            f.fail("provisions", f"{pid} is in measure {provision.measure}, where the quote does not stand")
        elif not overlaps(spans[provision.measure], provision.span):
            f.fail("provisions", f"the quote does not overlap the words of {pid} ({provision.anchor[:50]!r})")
        else:
            departments += [d for d in provision.departments if d not in departments]
            scopes += [s for s in provision.scope if s not in scopes]
    if f.failed:
        return None
    return ChecklistItem(
        item_id,
        text,
        tuple(numbers),
        quote,
        guidance,
        categories,
        fingerprint(policy, quote, tuple(numbers), text),
        provision_ids,
        evidence,
        owner_hint,
        tuple(departments),
        tuple(scopes),
        differs,
        scope_omitted,
    )


@lru_cache(maxsize=64)
def _spaced(text: str) -> str:
    """A measure's text with spaces normalised, once per measure (not once per item: 10,000 items)."""
    return normalise_space(text)


def _categories(f: Fields) -> tuple[str, ...]:
    """`category` is one of CATEGORIES, or a list of them (an item that is an opportunity and a limit)."""
    raw = f.table.get("category")
    if raw is None:
        return ()
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
    if values is None or not all(isinstance(v, str) for v in values):
        f.fail("category", f"expected one of {', '.join(CATEGORIES)}, or a list of them")
        return ()
    for v in values:
        if v not in CATEGORIES:
            f.fail("category", f"unknown category {v!r}; use one of: {', '.join(CATEGORIES)}")
    return tuple(v.strip() for v in values)


def validate_file(path: Path | Traversable, policy: Policy, *, origin: str | None = None) -> Validation:
    """Read (a regular file of at most 5 MB, UTF-8, BOM allowed) and validate; any content gives problems."""
    try:
        text = read_text(path)
    except FileProblem as exc:
        return Validation(None, [ContentError(str(path), "", exc.problem)])
    return validate_text(text, str(path), policy, origin=origin)


@dataclass
class Catalog:
    checklists: list[Checklist]
    problems: list[str]  # one line each: broken user files, shadowed roles, a user file's uncovered provisions

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
    register = load_register()
    builtins = list(checklists)
    # One reading of each clause across the built-in roles (a packaging bug too when it fails).
    problems += [str(p) for p in builtin_reading_problems(builtins, register, "built-in checklists")]
    if user_dir is not None and user_dir.is_dir():
        try:
            # Every *.toml entry, not only regular files: a FIFO or a folder so named is reported, not skipped.
            user_files = sorted(p for p in user_dir.iterdir() if p.suffix == ".toml")
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
                problems.append(
                    f"{path}: role: {result.checklist.role!r} is already used by {owner}, which wins; "
                    f"give this file another role id to load it"
                )
                continue
            warnings = result.warnings + user_reading_warnings(result.checklist, builtins, register, str(path))
            if warnings:
                problems.append(
                    f"{warnings[0]} (and {len(warnings) - 1} more; run: bj30 validate {path})"
                    if len(warnings) > 1
                    else f"{warnings[0]} (run: bj30 validate {path})"
                )
            checklists.append(result.checklist)
    return Catalog(checklists, problems)


def loader_verdict(checklist: Checklist, path: Path, catalog: Catalog) -> str | None:
    """Why load_catalog would not load this valid file, or None when it would (`bj30 validate`
    says what the loader will do, not only whether the file parses)."""
    taken = catalog.get(checklist.role)
    if taken is None:
        return None
    if taken.is_builtin:
        return (
            f"{path}: role: {checklist.role!r} is a built-in role, so bj30 will not load this file: built-in "
            f"roles win, because progress is recorded per role and item id; give the file its own role id"
        )
    if Path(taken.source).resolve() == path.resolve():
        return None
    return (
        f"{path}: role: {checklist.role!r} is already used by {taken.source}, which loads instead of this "
        f"file; give the file its own role id"
    )


def load_default_catalog(policy: Policy) -> Catalog:
    from tui.core import locations

    return load_catalog(policy, locations.builtin_checklists_dir(), locations.user_checklists_dir())
