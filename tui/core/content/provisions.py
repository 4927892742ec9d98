"""The provision register: everything the policy does, clause by clause. Core: no Textual.

`content/provisions.toml` holds one entry per provision: a stable id, the measure, an anchor
(the exact words of the clause, verbatim and unique within the measure), the actor, the kind,
the roles it concerns, its status, the departments the policy names and the figures it states.
Sentences that create nothing are listed as context. The validator checks the anchors, and that
every sentence of every measure is covered by a provision or a context entry, so nothing the
policy does can be left out unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from tui.core.content.fields import Fields
from tui.core.content.policy import Policy, Span
from tui.core.errors import Bj30Error, ContentError
from tui.core.files import toml

KINDS = ("duty", "permission", "limit", "support", "government")
KIND_WORD = {"duty": "duty", "permission": "may", "limit": "limit", "support": "support", "government": "government"}
STATUSES = ("in-force", "pilot", "pending-rules")
STATUS_WORD = {"in-force": "in force", "pilot": "pilot", "pending-rules": "depends on rules still to be issued"}
ID_PATTERN = re.compile(r"^m(\d\d)-[a-z0-9]+(-[a-z0-9]+)*$")
MIN_ANCHOR_WORDS = 4
PROVISION_KEYS = frozenset({"id", "measure", "anchor", "actor", "kind", "roles", "status", "departments", "figures", "note"})
CONTEXT_KEYS = frozenset({"measure", "anchor", "reason"})


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    measure: int
    anchor: str
    actor: str
    kind: str
    roles: tuple[str, ...]
    status: str
    departments: tuple[str, ...]
    figures: tuple[str, ...]
    note: str
    span: Span  # where the anchor stands in the measure's text

    @property
    def concerns_institutions(self) -> bool:
        return self.kind != "government"


@dataclass(frozen=True, slots=True)
class Context:
    """A sentence (or part of one) that creates no provision: an aim, scene-setting, a repeat."""

    measure: int
    anchor: str
    reason: str
    span: Span


@dataclass(frozen=True)
class Register:
    provisions: tuple[Provision, ...]
    context: tuple[Context, ...]

    def get(self, provision_id: str) -> Provision | None:
        return self._by_id().get(provision_id)

    def _by_id(self) -> dict[str, Provision]:
        return {p.id: p for p in self.provisions}

    def in_measure(self, measure: int) -> list[Provision]:
        return sorted((p for p in self.provisions if p.measure == measure), key=lambda p: p.span)

    def for_role(self, role: str) -> list[Provision]:
        """The provisions that concern `role`: its duties, permissions, limits and supports."""
        return [p for p in self.provisions if role in p.roles and p.concerns_institutions]

    @property
    def roles(self) -> list[str]:
        return sorted({r for p in self.provisions for r in p.roles})


def find_once(text: str, words: str) -> Span | None:
    """The span of `words` in `text` if they stand there exactly once."""
    at = text.find(words)
    if at < 0 or text.find(words, at + 1) >= 0:
        return None
    return at, at + len(words)


def validate_register(text: str, source: str, policy: Policy) -> tuple[Register | None, list[ContentError]]:
    """Parse and check the register; every problem is one line naming the entry and the field."""
    problems: list[ContentError] = []
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        return None, [ContentError(source, "", f"not valid TOML: {exc}")]
    root = Fields(source, "", data, problems=problems)
    root.reject_unknown({"provisions", "context"})
    provisions: list[Provision] = []
    seen: set[str] = set()
    for f in root.tables("provisions"):
        p = _provision(f, policy, seen)
        if p is not None:
            provisions.append(p)
    context: list[Context] = []
    for f in root.tables("context", required=False):
        f.reject_unknown(CONTEXT_KEYS)
        measure, anchor = _measure(f, policy), f.get("anchor", str)
        reason = f.get("reason", str)
        span = _anchor_span(f, policy, measure, anchor)
        if span is not None:
            context.append(Context(measure, anchor, reason, span))
    if problems:
        return None, problems
    register = Register(tuple(provisions), tuple(context))
    for measure, start, sentence in uncovered_sentences(register, policy):
        problems.append(
            ContentError(
                source,
                f"measure {measure}",
                f"sentence at {start} is not covered by a provision or context entry: {sentence[:70]!r}",
            )
        )
    return (None if problems else register), problems


def _measure(f: Fields, policy: Policy) -> int:
    n = f.get("measure", int)
    if not f.failed and not policy.first <= n <= policy.last:
        f.fail("measure", f"no measure {n}: measures are numbered {policy.first}-{policy.last}")
    return n


def _anchor_span(f: Fields, policy: Policy, measure: int, anchor: str) -> Span | None:
    if f.failed:
        return None
    if len(anchor.split()) < MIN_ANCHOR_WORDS:
        f.fail("anchor", f"at least {MIN_ANCHOR_WORDS} words, so that it identifies its place")
        return None
    span = find_once(policy.measure(measure).text, anchor)
    if span is None:
        count = policy.measure(measure).text.count(anchor)
        f.fail("anchor", f"stands {count} times in measure {measure}; it must stand exactly once, verbatim: {anchor[:60]!r}")
    return span


def _provision(f: Fields, policy: Policy, seen: set[str]) -> Provision | None:
    f.reject_unknown(PROVISION_KEYS)
    pid = f.get("id", str)
    if pid:
        f.key = f"provision {pid}"
    measure = _measure(f, policy)
    match = ID_PATTERN.match(pid)
    if not match or int(match.group(1)) != measure:
        f.fail("id", f"use m<measure, two digits>-words, e.g. m{measure:02d}-work-permits")
    if pid in seen:
        f.fail("id", "duplicate id; ids are stable and never reused")
    seen.add(pid)
    anchor, actor = f.get("anchor", str), f.get("actor", str)
    kind, status = f.get("kind", str), f.get("status", str)
    if kind and kind not in KINDS:
        f.fail("kind", f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    if status and status not in STATUSES:
        f.fail("status", f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    roles = f.strings("roles")
    if kind == "government" and roles:
        f.fail("roles", "a government provision concerns no role: use roles = []")
    elif kind in KINDS and kind != "government" and not roles:
        f.fail("roles", f"a {kind} provision names the roles it concerns")
    departments, figures = f.strings("departments"), f.strings("figures")
    note = f.get("note", str, required=False, default="")
    span = _anchor_span(f, policy, measure, anchor)
    if f.failed or span is None:
        return None
    return Provision(pid, measure, anchor, actor, kind, roles, status, departments, figures, note, span)


def uncovered_sentences(register: Register, policy: Policy) -> list[tuple[int, int, str]]:
    """(measure, offset, sentence) for every sentence no provision or context anchor touches."""
    spans: dict[int, list[Span]] = {}
    entries: list[Provision | Context] = [*register.provisions, *register.context]
    for entry in entries:
        spans.setdefault(entry.measure, []).append(entry.span)
    missing = []
    for m in policy.measures:
        for start, sentence in m.sentences():
            end = start + len(sentence)
            if not any(a < end and b > start for a, b in spans.get(m.number, [])):
                missing.append((m.number, start, sentence))
    return missing


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def load_register_from(path: Traversable | Path, policy: Policy) -> Register:
    """The register at `path`; a problem in it (a packaging bug) raises one clear ContentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(str(path), "", f"cannot read: {exc}") from None
    register, problems = validate_register(text, str(path), policy)
    if register is None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ContentError(problems[0].source, problems[0].key, problems[0].problem + more)
    return register


@lru_cache(maxsize=1)
def load_register() -> Register:
    """The shipped register, parsed once per process (off the reader's start-up path)."""
    from tui.core import locations
    from tui.core.content.policy_loader import load_policy

    return load_register_from(locations.register_file(), load_policy())


class UnknownProvision(Bj30Error):
    pass
