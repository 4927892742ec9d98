"""The domain thesaurus: the words users type, mapped to the phrases the policy uses instead.

Core: no Textual import. The policy is a translation with its own vocabulary: it says
"transformation of scientific and technological achievements" where users say
"commercialisation", "accomplishers" where they say "inventors", "employee ownership" where
they say "stock options". content/thesaurus.toml lists such mappings, reviewed by hand; each
entry maps some user words (`users`) to some phrases of the policy (`policy`).

Matching is by stems of the words that carry the topic (tui.core.search.analysis), so "inventors"
meets the entry for "inventor", and "transformation of the scientific and technological
achievements" holds the phrase "transformation of scientific and technological achievements".
Every policy phrase must occur in the policy so matched: `validate` says where one does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from tui.core.content.fields import Fields
from tui.core.content.policy import Policy, Span
from tui.core.errors import ContentError
from tui.core.files import toml
from tui.core.search.analysis import content_stems, stem, words_with_spans

# A user phrase of more words than this is not a term but a sentence.
MAX_KEY_WORDS = 4


@dataclass(frozen=True, slots=True)
class Entry:
    users: tuple[str, ...]  # as written in the file, for messages
    policy: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Expansion:
    """User words found in a query, and the policy phrases they stand for."""

    words: str  # the query's words as typed, e.g. "stock option"
    key: str  # the user phrase as the thesaurus lists it, words joined by spaces: "stock options"
    start: int  # index of its first word among the query's words
    length: int  # how many query words it covers
    phrases: tuple[str, ...]


class Thesaurus:
    def __init__(self, entries: Sequence[Entry], source: str = "thesaurus") -> None:
        self.entries = tuple(entries)
        self.source = source
        # The stems of each user word or phrase (all its words, "r and d" keeps its "and"),
        # keyed by the first stem for a quick look-up at each position of a query.
        self._keys: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
        for i, entry in enumerate(self.entries):
            for user in entry.users:
                stems = key_stems(user)
                if stems:
                    self._keys.setdefault(stems[0], []).append((stems, i, " ".join(w for w, _, _ in words_with_spans(user))))
        for keys in self._keys.values():
            keys.sort(key=lambda k: -len(k[0]))  # longest first

    @property
    def phrases(self) -> list[str]:
        return list(dict.fromkeys(p for e in self.entries for p in e.policy))

    def searchable_phrases(self) -> list[str]:
        """Every phrase a search may look for: the policy phrases, and the user phrases of more
        than one word (which stand for themselves where the text holds them)."""
        users = [" ".join(w for w, _, _ in words_with_spans(u)) for e in self.entries for u in e.users]
        return list(dict.fromkeys([*self.phrases, *(u for u in users if " " in u)]))

    def expand(self, words: Sequence[str]) -> list[Expansion]:
        """The user words and phrases of the thesaurus found in `words` (a query's words, in order).

        Longest match first, left to right; a query word belongs to one expansion at most.
        """
        stems = [stem(w) for w in words]
        out: list[Expansion] = []
        i = 0
        while i < len(words):
            found = None
            for key, entry, listed in self._keys.get(stems[i], ()):
                if tuple(stems[i : i + len(key)]) == key:
                    found = (key, entry, listed)
                    break
            if found is None:
                i += 1
                continue
            key, entry, listed = found
            out.append(Expansion(" ".join(words[i : i + len(key)]), listed, i, len(key), self.entries[entry].policy))
            i += len(key)
        return out

    def missing_phrases(self, policy: Policy) -> list[str]:
        """The policy phrases that the policy does not hold, as search would look for them."""
        texts = [policy.notice.text, policy.preamble]
        for m in policy.measures:
            texts += [m.title, m.text]
        indexed = [content_stems(t) for t in texts]
        return [
            p
            for p in self.phrases
            if not (target := phrase_stems(p)) or not any(find_stems(tokens, target) for tokens in indexed)
        ]

    def validate(self, policy: Policy) -> list[str]:
        """One line per problem: a policy phrase the policy does not hold, a user word listed twice."""
        problems = [f"{self.source}: policy phrase {p!r} does not occur in the policy" for p in self.missing_phrases(policy)]
        # Two entries claiming the same user word (by stems) would make a query mean either.
        seen: dict[tuple[str, ...], tuple[int, str]] = {}
        for i, entry in enumerate(self.entries):
            for user in entry.users:
                stems = key_stems(user)
                if not stems:
                    problems.append(f"{self.source}: user word {user!r} has no word to look for")
                elif len(stems) > MAX_KEY_WORDS:
                    problems.append(f"{self.source}: user phrase {user!r} is longer than {MAX_KEY_WORDS} words")
                elif stems in seen and seen[stems][0] != i:
                    problems.append(f"{self.source}: user word {user!r} is in two entries (also as {seen[stems][1]!r})")
                else:
                    seen.setdefault(stems, (i, user))
        return problems


def key_stems(text: str) -> tuple[str, ...]:
    """The stems of every word of a user word or phrase (stop words kept: "r and d")."""
    return tuple(stem(w) for w, _, _ in words_with_spans(text))


def phrase_stems(text: str) -> tuple[str, ...]:
    return tuple(s for s, _, _ in content_stems(text))


def find_stems(tokens: Sequence[tuple[str, int, int]], target: Sequence[str]) -> list[Span]:
    """Spans of `tokens` (content stems with spans) where `target` stands word after word."""
    n = len(target)
    if not n:
        return []
    first = target[0]
    return [
        (tokens[i][1], tokens[i + n - 1][2])
        for i in range(len(tokens) - n + 1)
        if tokens[i][0] == first and all(tokens[i + k][0] == target[k] for k in range(1, n))
    ]


def parse_thesaurus(text: str, source: str) -> Thesaurus:
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise ContentError(source, "", f"not valid TOML: {exc}") from None
    root = Fields(source, "", data)
    root.reject_unknown({"entries"})
    entries: list[Entry] = []
    for table in root.tables("entries"):
        table.reject_unknown({"users", "policy", "note"})
        users = _nonempty(table, "users")
        policy = _nonempty(table, "policy")
        entries.append(Entry(users, policy))
    return Thesaurus(entries, source)


def _nonempty(table: Fields, name: str) -> tuple[str, ...]:
    values = table.strings(name)
    if not values:
        raise table.error(name, "must list at least one")
    for i, v in enumerate(values):
        if not v.strip():
            raise ContentError(table.source, f"{table.key}.{name}[{i}]", "must not be empty")
    return values


def load_thesaurus_from(path: Traversable | Path) -> Thesaurus:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(str(path), "", f"cannot read: {exc}") from None
    return parse_thesaurus(text, str(path))


def checked_thesaurus(policy: Policy, path: Traversable | Path | None = None) -> tuple[Thesaurus, list[str]]:
    """The shipped (or given) thesaurus, with problems as warnings; never raises.

    An unreadable file gives an empty thesaurus; an entry whose phrase the policy lacks is
    dropped, the others kept: search works without the thesaurus, only worse.
    """
    if path is None:
        from tui.core import locations

        path = locations.content_dir().joinpath("thesaurus.toml")
    try:
        thesaurus = load_thesaurus_from(path)
    except ContentError as exc:
        return Thesaurus([], str(path)), [f"{exc} (search works without the thesaurus)"]
    problems = thesaurus.validate(policy)
    if not problems:
        return thesaurus, []
    missing = set(thesaurus.missing_phrases(policy))
    kept = [e for e in thesaurus.entries if not missing.intersection(e.policy)]
    return Thesaurus(kept, thesaurus.source), problems


def spans_of_phrases(text: str, phrases: Iterable[str]) -> list[Span]:
    """Where each phrase stands in `text` (for highlighting a thesaurus match in the reader)."""
    tokens = content_stems(text)
    return [span for p in phrases for span in find_stems(tokens, phrase_stems(p))]
