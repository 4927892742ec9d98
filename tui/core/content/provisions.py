"""The provision register: everything the policy does, clause by clause. Core: no Textual.

`content/provisions.toml` holds one entry per provision: a stable id, the measure, an anchor
(the exact words of the clause, verbatim and unique within the measure), the actor, the kind,
the roles it concerns, its status, the departments the policy names and the figures it states.
A provision whose clause has a condition on who or when also has a scope: the policy's own words
stating who qualifies or under what condition (verbatim and unique, like anchors, inside the
anchor or around it), and the key words of that condition that every checklist item covering the
provision must keep, per role (`scope_keys`). Sentences that create nothing are listed as context.
The validator checks the anchors and scopes, that every figure stands in them, and that every
sentence of every measure is covered by a provision or a context entry, so nothing the policy
does can be left out unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
MIN_SCOPE_WORDS = 3
PROVISION_KEYS = frozenset(
    {"id", "measure", "anchor", "actor", "kind", "roles", "status", "departments", "figures", "note", "scope", "scope_keys"}
)
ALL_ROLES = "all"  # the scope_keys entry every role must keep
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
    # Who qualifies or under what condition, in the policy's words (in the order they stand in the
    # measure), and where each stands.
    scope: tuple[str, ...] = ()
    scope_spans: tuple[Span, ...] = ()
    # (role or "all", key words): what an item covering the provision must keep of the scope. A key
    # may give alternatives ("tested by the market|market-tested"); one of them is enough.
    scope_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def concerns_institutions(self) -> bool:
        return self.kind != "government"

    def keys_for(self, role: str | None) -> tuple[str, ...]:
        """The scope's key words an item of `role` must keep (those for every role, then the role's)."""
        return tuple(k for who, keys in self.scope_keys if who in (ALL_ROLES, role) for k in keys)


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
    # By id, built once: the checklist validator asks for each provision of each of 360 items.
    _by_id: dict[str, Provision] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {p.id: p for p in self.provisions})

    def get(self, provision_id: str) -> Provision | None:
        return self._by_id.get(provision_id)

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


def scope_text(scope: tuple[str, ...]) -> str:
    """The policy's words on who or when, quoted as one line: “…” … “…”."""
    return " … ".join(f"“{words}”" for words in scope)


def squeeze(text: str) -> str:
    """Lower case, spaces normalised: how scope key words are matched (in scopes and in items)."""
    return " ".join(text.lower().split())


def missing_keys(keys: tuple[str, ...], text: str) -> list[str]:
    """The keys of which no alternative stands in `text` (matched by squeeze)."""
    have = squeeze(text)
    return [k for k in keys if not any(squeeze(alt) in have for alt in k.split("|") if alt.strip())]


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
    scope = f.strings("scope", required=False)
    scope_spans = _scope_spans(f, policy, measure, scope)
    scope_keys = _scope_keys(f, scope, kind, roles)
    if f.failed or span is None:
        return None
    # A figure the provision states stands in its words: in the anchor or in the scope.
    said = squeeze(" ".join((anchor, *scope)))
    for figure in figures:
        if squeeze(figure) not in said:
            f.fail("figures", f"{figure!r} stands neither in the anchor nor in the scope")
    if f.failed:
        return None
    # Shown in the order the words stand in the measure, whatever the file's order.
    ordered = sorted(zip(scope_spans, scope, strict=True))
    scope, scope_spans = tuple(w for _, w in ordered), tuple(sp for sp, _ in ordered)
    return Provision(
        pid, measure, anchor, actor, kind, roles, status, departments, figures, note, span, scope, scope_spans, scope_keys
    )


def _scope_spans(f: Fields, policy: Policy, measure: int, scope: tuple[str, ...]) -> tuple[Span, ...]:
    """Each scope fragment stands exactly once, verbatim, in the measure (the anchors' rule)."""
    if f.failed or not scope:
        return ()
    text = policy.measure(measure).text
    spans: list[Span] = []
    for i, words in enumerate(scope):
        if len(words.split()) < MIN_SCOPE_WORDS:
            f.fail(f"scope[{i}]", f"at least {MIN_SCOPE_WORDS} words, so that it identifies its place")
            continue
        span = find_once(text, words)
        if span is None:
            f.fail(
                f"scope[{i}]",
                f"stands {text.count(words)} times in measure {measure}; it must stand exactly once, verbatim: {words[:60]!r}",
            )
            continue
        spans.append(span)
    return tuple(spans)


def _scope_keys(f: Fields, scope: tuple[str, ...], kind: str, roles: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`scope_keys = { all = [...], ROLE = [...] }`: key words standing in the scope (case aside)."""
    raw = f.table.get("scope_keys")
    if raw is None:
        if scope and kind != "government":
            f.fail("scope_keys", "a provision with a scope names the key words items must keep: scope_keys = { all = [...] }")
        return ()
    if not scope:
        f.fail("scope_keys", "key words without a scope: add the scope they stand in")
        return ()
    table = f.sub("scope_keys")
    out: list[tuple[str, tuple[str, ...]]] = []
    said = squeeze(" ".join(scope))
    for who in table.table:
        if who != ALL_ROLES and who not in roles:
            table.fail(who, f"not a role of this provision; use {ALL_ROLES!r} or one of: {', '.join(roles) or 'none'}")
            continue
        keys = table.strings(who)
        for key in keys:
            alternatives = [a for a in key.split("|") if a.strip()]
            if not alternatives or not any(squeeze(a) in said for a in alternatives):
                table.fail(who, f"{key!r} does not stand in the scope")
        out.append((who, keys))
    if not any(keys for _, keys in out):
        f.fail("scope_keys", "name at least one key word")
    return tuple(out)


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
