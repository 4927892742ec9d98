"""The checklist model: per-role items, each grounded in the exact words of a measure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from tui.core.content.policy import Policy

CATEGORIES = ("duty", "opportunity", "limit")
BUILTIN = "built-in"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    measures: tuple[int, ...]
    quote: str
    guidance: str = ""
    categories: tuple[str, ...] = ()  # duty, opportunity, limit; measure 17's ceilings are two at once
    fingerprint: str = ""  # of the quote and the cited measures' text; see fingerprint()
    provisions: tuple[str, ...] = ()  # ids in the provision register that this item covers
    evidence: str = ""  # what to keep to show it is done
    owner_hint: str = ""  # who in an institution usually owns it
    departments: tuple[str, ...] = ()  # government departments the policy names for it (from the register)
    scopes: tuple[str, ...] = ()  # who qualifies or when, in the policy's words (the scopes of its provisions)
    differs: str = ""  # why this role reads a clause differently from the other roles' checklists
    scope_omitted: str = ""  # why the statement leaves out a condition of the register's scope

    @property
    def measure(self) -> int:
        """The measure the item is filed under (its first)."""
        return self.measures[0]

    @property
    def category(self) -> str:
        return " and ".join(self.categories)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A provision of the role that the checklist leaves out on purpose, and why."""

    provision: str
    reason: str
    differs: str = ""  # why this role leaves out a provision that another role's checklist covers


@dataclass(frozen=True, slots=True)
class Checklist:
    role: str
    title: str
    audience: str
    description: str
    items: tuple[ChecklistItem, ...]
    source: str = BUILTIN  # "built-in", or the user file's path
    excluded: tuple[Exclusion, ...] = ()
    retired: tuple[str, ...] = ()  # ids once published and since removed: never reused
    follows: str = ""  # the register role whose provisions this checklist must cover ("" for none)
    # Items by id, built once: item() is called per entry of an import (10,000 entries, 10,000 items).
    _by_id: dict[str, ChecklistItem] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {it.id: it for it in self.items})

    def item(self, item_id: str) -> ChecklistItem | None:
        return self._by_id.get(item_id)

    @property
    def is_builtin(self) -> bool:
        return self.source == BUILTIN


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def fingerprint(policy: Policy, quote: str, measures: tuple[int, ...], text: str = "") -> str:
    """A short digest of the item's statement, its quote and the cited measures' text.

    Progress stores it when an item is marked; if the statement, the quote or the measure
    changes later, a different digest flags that item for review: a tick given to one
    wording of an item is never silently carried over to another.
    """
    h = hashlib.sha256(normalise_space(text).encode("utf-8") + b"\x01")
    h.update(normalise_space(quote).encode("utf-8"))
    for n in measures:
        h.update(b"\x00")
        h.update(normalise_space(policy.measure(n).text).encode("utf-8"))
    return h.hexdigest()[:16]


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` stands in `text`, spaces aside (the validator's rule), as a character span."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = normalise_space(quote).split(" ")
    if not words or not words[0]:
        return None
    start = text.find(words[0])
    while start >= 0:
        end = _match_words(text, start, words)
        if end is not None:
            return start, end
        start = text.find(words[0], start + 1)
    return None


def _match_words(text: str, start: int, words: list[str]) -> int | None:
    """The end of `words` in `text` from `start`, separated by any run of whitespace, or None."""
    pos = start
    for i, word in enumerate(words):
        if i:
            if pos >= len(text) or not text[pos].isspace():
                return None
            while pos < len(text) and text[pos].isspace():
                pos += 1
        if not text.startswith(word, pos):
            return None
        pos += len(word)
    return pos
