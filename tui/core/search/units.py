"""What a search is over and what it gives: units of text, hits, answers. Core: no Textual import.

The text is cut into units (units_of_policy, item_units, note_units); the index (index.py) finds
and scores them; a hit says where, what matched and how, and what did not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from tui.core.content.checklist import Checklist
from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.core.content.policy import Policy, Span, split_sentences
from tui.core.search.analysis import STOPWORDS

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12

# How a query word matched, as a hit reports it (`matched`): the word itself, another form of it,
# a policy phrase the thesaurus maps it to, a word it begins (the word being typed), a typo of a
# policy word; "id" is an item id typed as it is (the items group).
HOW = ("exact", "stem", "thesaurus", "prefix", "typo", "id")
# Words that say what a query asks of the policy, not what it is about ("does the policy say
# anything about maternity leave?", "Beijing's rules on ..."), and words that qualify a topic
# rather than name one ("how fast", "no limit", "top scientists", "won't be punished"): they
# find and score as any word, but are not key words, so a hit missing them is not partial and the
# policy never using them is not worth saying.
GENERIC = frozenset(
    """
policy policies rule rules regulation regulations measure measures beijing beijing's municipality
say says said saying tell tells mention mentions mentioned anything something everything cover
covers covered allowed allow allows permitted need needs much many get gets thing things
30 thirty
no not none never nothing without won't can't don't doesn't isn't aren't cannot
more most less least fewer few lot lots enough only just still even really quite
fast faster quick quickly slow slowly soon long longer short shorter big bigger small smaller
high higher low lower top best better good easy easier hard cheap cheaper free freely
new old keep kept way ways kind kinds type types
""".split()
)

# The groups a search can cover, in the order results are shown.
GROUPS = ("policy", "items", "notes")


@dataclass(frozen=True, slots=True)
class Unit:
    place: Place  # the policy's place; for an item or a note, the measure the item is filed under
    kind: str  # "title" or "text"
    text: str
    offset: int  # where `text` starts in its place's body text (0 for titles, items and notes)
    doc: str = ""  # items and notes: "role/item-id"; "" for the policy, whose documents are places


@dataclass(frozen=True, slots=True)
class SearchHit:
    place: Place
    title: str
    score: float
    snippet: str
    snippet_spans: tuple[Span, ...]  # matched words, relative to `snippet`
    body_spans: tuple[Span, ...]  # matched words, relative to the place's body text (policy hits)
    in_title: bool
    via: str = ""  # how the thesaurus led here: "'commercialisation' -> transformation of achievements"
    group: str = "policy"  # "policy", "items" or "notes"
    role: str = ""  # items and notes: the checklist's role
    item: str = ""  # items and notes: the item's id
    # The query's content words this hit matches, each with how (HOW), and its key words it does
    # not match anywhere in its place; `partial`: it does not match enough of the key words.
    matched: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()
    partial: bool = False

    @property
    def measure(self) -> int:
        """The measure number, 0 for the notice and the preamble (as the CLI's JSON says)."""
        return self.place if isinstance(self.place, int) else 0


@dataclass(frozen=True, slots=True)
class Answer:
    """What a search found for a query in one group, and what it could not find.

    `never`: the query's key words that match nothing anywhere in the group's text (not as a
    stem, a thesaurus phrase, a typo or a completion). `addressed`: some hit matches the key
    words (see ADDRESSED_SHARE); False with hits means they are only the nearest, all partial.
    A query with no key word ("the policy") is addressed by any hit.
    """

    hits: list[SearchHit]
    key: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    addressed: bool = False


@dataclass(frozen=True, slots=True)
class Found:
    """A search over several groups (the policy, the checklist items, the notes), as shown.

    `never`: the key words the policy never uses (when the policy was searched). `addressed`:
    whether the policy answers the query (None when the policy was not searched); when False,
    its hits are only the nearest, each `partial`. `ids`: the item ids typed in the query that
    name an item (its hit comes first among the items).
    """

    query: str
    hits: list[SearchHit]
    never: tuple[str, ...] = ()
    addressed: bool | None = None
    ids: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        """Something matches the key words: the policy addresses it, or an item or note does."""
        return bool(self.ids) or self.addressed is True or any(h.group != "policy" and not h.partial for h in self.hits)


def key_words(words: Iterable[str]) -> list[str]:
    """The words of a query that carry its topic: not stop words, not GENERIC, once each."""
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS and w not in GENERIC))


def clean_query(query: str) -> str:
    """Drop control characters and cap the length: a pasted novel must not hang the UI."""
    query = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in query[: MAX_QUERY_CHARS * 4])
    return " ".join(query.split())[:MAX_QUERY_CHARS]


def policy_units(policy: Policy) -> list[Unit]:
    units: list[Unit] = []
    for place, text in ((NOTICE, policy.notice.text), (PREAMBLE, policy.preamble)):
        units += [Unit(place, "text", s, off) for off, s in split_sentences(text)]
    for m in policy.measures:
        units.append(Unit(m.number, "title", m.title, 0))
        units += [Unit(m.number, "text", s, off) for off, s in m.sentences()]
    return units


def item_units(checklists: Iterable[Checklist]) -> tuple[list[Unit], dict[Place, str]]:
    """Units of the checklist items (statement, guidance, quote), one document per item, and
    their titles ("uni-009 · Universities")."""
    units: list[Unit] = []
    titles: dict[Place, str] = {}
    for c in checklists:
        for it in c.items:
            doc = f"{c.role}/{it.id}"
            titles[doc] = f"{it.id} · {c.title}"
            units += [Unit(it.measure, "text", text, 0, doc) for text in (it.text, it.guidance, it.quote) if text]
    return units, titles


def note_units(
    notes: Iterable[tuple[str, str, str]], catalog_items: dict[str, tuple[int, str]]
) -> tuple[list[Unit], dict[Place, str]]:
    """Units of the user's notes, one document per item noted, each line of a note a unit.

    `notes` are (role, item id, note); `catalog_items` maps "role/item-id" to the item's measure
    and its checklist's title (a note on an item no checklist has any more keeps measure 0).
    """
    units: list[Unit] = []
    titles: dict[Place, str] = {}
    for role, item_id, note in notes:
        doc = f"{role}/{item_id}"
        measure, checklist = catalog_items.get(doc, (0, role))
        titles[doc] = f"Note on {item_id} · {checklist}"
        for line in note.splitlines():
            units += [Unit(measure, "text", sentence, 0, doc) for _, sentence in split_sentences(line.strip())]
    return units, titles
