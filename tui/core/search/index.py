"""Full-text search over the policy, the checklist items and the user's notes. Core: no Textual import.

How it works, and why:
- The text is cut into units: each measure title, each sentence of each measure, of the
  notice and of the preamble (and, for the other groups, each field of a checklist item, each
  note). A unit knows its document (a place of the policy; an item) and where it starts in
  that document's text, so a hit can be highlighted in the reader.
- Words are indexed once (term -> units holding it). A query word is matched against the
  vocabulary, not against every sentence: exactly; by its stem ("patents" finds "patent",
  "purchasing" finds "purchase"); as a prefix (the word being typed); or, when it is not a
  known English word, within a small edit distance (a typo). This scales with the vocabulary,
  which grows far slower than the text.
- The thesaurus (content/thesaurus.toml) lets the user's words stand for the policy's phrases
  ("commercialisation" for "transformation of scientific and technological achievements");
  a hit found that way says so in `via`.
- A unit scores by how much of the query it covers, each query word weighted by its rarity
  (IDF) and by how well it matched (exact > stem > thesaurus > prefix > typo). Words such as
  "how", "can", "the" neither find nor score. Titles weigh more; the whole query standing
  verbatim in a unit earns a bonus. Hits are grouped by document, the best unit giving the
  snippet, whose marks cover the words as they stand in the text.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import sys
import threading
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tui.core.content.checklist import Checklist
from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.core.content.policy import Policy, Span, split_sentences
from tui.core.search.analysis import STOPWORDS, content_stems, normalise, stem, words_with_spans
from tui.core.search.english import is_english_word
from tui.core.search.thesaurus import Thesaurus, find_stems, phrase_stems

__all__ = [
    "GENERIC",
    "GROUPS",
    "HOW",
    "Answer",
    "Found",
    "SearchHit",
    "SearchIndex",
    "Unit",
    "clean_query",
    "index_for",
    "item_units",
    "key_words",
    "normalise",
    "note_units",
    "policy_units",
    "split_sentences",
    "words_with_spans",
]

# A word: letters/digits, keeping the symbols people search for inside it
# ("r&d", "60%", "10+3", "5g", "2030-major" is two words).
_WORD = re.compile(r"[^\W_]+(?:[&+%'][^\W_]*)*%?")

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
SNIPPET_CHARS = 160

EXACT, STEM, THESAURUS, PREFIX = 1.0, 0.95, 0.9, 0.85
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
# A hit "addresses" the query when the key words it matches carry at least this share of the key
# words' weight (each weighted by its rarity in the policy; a word the policy never uses weighs as
# much as the rarest word it holds). Chosen on tests/data/relevance.toml (positives and
# negatives), never on the held-out sets; see benchmarks/search.py.
ADDRESSED_SHARE = 0.45
TITLE_WEIGHT = 1.35
PHRASE_BONUS = 0.35
# How much of the query a place covers beyond its best sentence counts this much.
SPREAD_WEIGHT = 0.5
# A very common word (in more than this share of units) is not used to find
# candidates, only to score the candidates rarer words found.
COMMON_SHARE = 0.2
# At most this many completions of a prefix, and typo matches of a word, are used.
PREFIX_TERMS = 48
FUZZY_TERMS = 12
# Past this many candidate units a query is uninformative; see SearchIndex._narrow.
MAX_CANDIDATES = 2500

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


def _max_edits(word: str) -> int:
    """How many edits (a transposition is one) a typo may be from the word it stands for.

    Short words get few: a two-edit neighbour of a six-letter word is usually another word
    ("refund" and "fund").
    """
    n = len(word)
    if n <= 3:
        return 0  # "r&d", "5g", "60%": a typo there is another word
    if n <= 7:
        return 1
    if n <= 12:
        return 2
    return 3


@dataclass(slots=True)
class _Slot:
    """One thing the query asks for: a word, or user words the thesaurus maps to policy phrases."""

    words: str  # as typed (lower-cased)
    terms: tuple[tuple[str, float, str], ...]  # vocabulary terms it stands for, with match quality and how
    phrases: tuple[str, ...] = ()  # thesaurus phrases it stands for
    own: str = ""  # a user phrase standing for itself among `phrases` (not reached "via" anything)
    key: bool = True  # carries the query's topic (key_words)
    levels: list[tuple[float, str, set[int]]] = field(default_factory=list)  # best quality first
    phrase_units: set[int] = field(default_factory=set)  # units holding a phrase, not a term
    weight: float = 0.0


class _PlaceScore:
    """The best unit of one place, how many of its units matched, and how much of the query
    the place covers across all its units."""

    __slots__ = ("best", "best_cover", "best_score", "best_text", "best_text_score", "count", "cover", "how", "title_hit")

    def __init__(self, slots: int) -> None:
        self.best = -1
        self.best_score = -1.0
        self.best_cover = 0.0
        self.best_text: int | None = None
        self.best_text_score = -1.0
        self.count = 0
        self.title_hit = False
        self.cover = [0.0] * slots  # per query slot, the best weighted match in any unit
        self.how = [""] * slots  # per query slot, how that best match matched

    def add(self, unit: int, score: float, cover: float, is_title: bool) -> None:
        self.count += 1
        if score > self.best_score:
            self.best, self.best_score, self.best_cover = unit, score, cover
        if is_title:
            self.title_hit = True
        elif score > self.best_text_score:
            self.best_text, self.best_text_score = unit, score

    def total(self, weight_sum: float) -> float:
        # More matching sentences in the same place add a little, never as much as a title;
        # a place whose sentences between them cover more of the query than its best one
        # ("financial support" here, "investment" there) gains part of the difference.
        spread = max(0.0, sum(self.cover) / weight_sum - self.best_cover)
        return self.best_score + 0.02 * min(self.count - 1, 5) + SPREAD_WEIGHT * spread


class SearchIndex:
    def __init__(
        self, units: Sequence[Unit], titles: dict[Place, str], *, thesaurus: Thesaurus | None = None, group: str = "policy"
    ) -> None:
        self.units = list(units)
        self.titles = titles
        self.group = group
        self.thesaurus = thesaurus or Thesaurus([])
        postings: dict[str, list[int]] = defaultdict(list)
        self._unit_lower: list[str] = []
        # Every phrase the thesaurus can ask for (its policy phrases, and its user phrases that
        # the text may hold as they are), found once here: looking for them at query time
        # means reading every unit that holds their words.
        starts: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for phrase in self.thesaurus.searchable_phrases():
            target = phrase_stems(phrase)
            if target:
                starts[target[0]].append((target, phrase))
        self._phrase_cache: dict[str, dict[int, list[Span]]] = {p: {} for ps in starts.values() for _, p in ps}
        # Each unit's words and where they stand, kept so that marking a hit's words needs no
        # second pass of the tokenizer (that pass was most of a query's time).
        self._unit_words: list[tuple[str, ...]] = []
        self._unit_bounds: list[array[int]] = []
        for i, unit in enumerate(self.units):
            spanned = words_with_spans(unit.text)
            self._unit_lower.append(normalise(unit.text))
            self._unit_words.append(tuple(sys.intern(w) for w, _, _ in spanned))
            self._unit_bounds.append(array("I", [x for _, start, end in spanned for x in (start, end)]))
            for w in {w for w, _, _ in spanned}:
                postings[w].append(i)
            if starts:
                tokens = [(stem(w), s, e) for w, s, e in spanned if w not in STOPWORDS]
                for k, (first, _, _) in enumerate(tokens):
                    for target, phrase in starts.get(first, ()):
                        n = len(target)
                        if k + n <= len(tokens) and all(tokens[k + j][0] == target[j] for j in range(1, n)):
                            self._phrase_cache[phrase].setdefault(i, []).append((tokens[k][1], tokens[k + n - 1][2]))
        self._postings = dict(postings)
        self._unit_doc: list[Place] = [u.doc or u.place for u in self.units]
        doc_units: dict[Place, list[int]] = defaultdict(list)
        for i, doc in enumerate(self._unit_doc):
            doc_units[doc].append(i)
        self._doc_units = dict(doc_units)  # a place's (or an item's) units: is a word missing from all of them?
        self._title_units = {i for i, u in enumerate(self.units) if u.kind == "title"}
        self._vocab = sorted(self._postings)
        by_len: dict[int, list[str]] = defaultdict(list)
        by_stem: dict[str, list[str]] = defaultdict(list)
        for w in self._vocab:
            by_len[len(w)].append(w)
            by_stem[stem(w)].append(w)
        self._by_len = dict(by_len)
        self._by_stem = dict(by_stem)
        n = max(1, len(self.units))
        self._n = n
        self._idf = {w: math.log(1 + n / len(ids)) for w, ids in self._postings.items()}
        self._common = max(50, int(n * COMMON_SHARE))
        self._deletes = _deletion_index(self._vocab)
        self._matches = lru_cache(maxsize=4096)(self._match_word)
        self.warnings: list[str] = []

    @classmethod
    def from_policy(cls, policy: Policy, thesaurus: Thesaurus | None = None) -> SearchIndex:
        titles: dict[Place, str] = {NOTICE: "Notice", PREAMBLE: "Preamble"}
        titles.update({m.number: m.title for m in policy.measures})
        return cls(policy_units(policy), titles, thesaurus=thesaurus)

    def take_warnings(self) -> list[str]:
        """Problems found while building (with the thesaurus), each given out once."""
        warnings, self.warnings = self.warnings, []
        return warnings

    # Matching query words against the vocabulary -----------------------------------

    def _match_word(self, word: str, as_prefix: bool) -> tuple[tuple[str, float, str], ...]:
        """Vocabulary terms that `word` stands for, each with how well it matched.

        `as_prefix` lets the word stand for the words it begins (the word being typed,
        or a cut-short word the text does not hold), limited to the most frequent
        completions so that "co" cannot drag in thousands of terms.
        """
        found: dict[str, tuple[float, str]] = {}
        if word in self._postings:
            found[word] = (EXACT, "exact")
        for term in self._by_stem.get(stem(word), ()):
            found.setdefault(term, (STEM, "stem"))
        # A word the text holds, in any form, is taken as meant: "indirect" must not also find "direct".
        known = bool(found)
        if as_prefix and len(word) >= 2:
            lo = bisect.bisect_left(self._vocab, word)
            hi = bisect.bisect_left(self._vocab, word + "\U0010ffff", lo)
            completions = (t for t in self._vocab[lo:hi] if t not in found)
            for term in heapq.nlargest(PREFIX_TERMS, completions, key=lambda t: len(self._postings[t])):
                found[term] = (PREFIX, "prefix")
        edits = _max_edits(word)
        if edits and not known and word not in STOPWORDS:
            # A cut-short word with completions needs no slow scan for typos.
            near = self._near(word, edits, scan=len(found) == 0)
            # A correctly spelt English word is not a typo ("patient" is not "patents"); asked only
            # when there is a neighbour, so most queries never need the word list.
            if near and not is_english_word(word):
                # Only the closest typo matches: if one edit explains the word, two-edit matches
                # are more likely other words.
                closest = min(dist for _, dist in near)
                for term, dist in near:
                    if dist == closest and term not in found:
                        found[term] = (0.75 - 0.1 * (dist - 1), "typo")
        return tuple((term, quality, how) for term, (quality, how) in found.items())

    def _phrase_units(self, phrase: str) -> dict[int, list[Span]]:
        """The units holding a phrase (by stems, word after word), with where it stands.

        The thesaurus's phrases are found when the index is built; any other is looked for here.
        """
        cached = self._phrase_cache.get(phrase)
        if cached is not None:
            return cached
        target = phrase_stems(phrase)
        found: dict[int, list[Span]] = {}
        if target:
            holders: set[int] | None = None
            for s in set(target):
                units = {u for term in self._by_stem.get(s, ()) for u in self._postings[term]}
                holders = units if holders is None else holders & units
                if not holders:
                    break
            for u in sorted(holders or ()):
                spans = find_stems(content_stems(self.units[u].text), target)
                if spans:
                    found[u] = spans
        if len(self._phrase_cache) < 4096:
            self._phrase_cache[phrase] = found
        return found

    def _plan(self, query: str) -> list[_Slot]:
        """The query as slots: its words, some joined by the thesaurus into one user phrase."""
        words = list(dict.fromkeys(w for w, _, _ in words_with_spans(clean_query(query))))[:MAX_QUERY_WORDS]
        if not words:
            return []
        expansions = {e.start: e for e in self.thesaurus.expand(words)}
        topical = [w for w in words if w not in STOPWORDS]
        key = set(key_words(words))
        slots: list[_Slot] = []
        i, last = 0, len(words) - 1
        while i < len(words):
            w = words[i]
            exp = expansions.get(i)
            if exp is not None and exp.length > 1:
                # A user phrase ("stock options") stands for its policy phrases, and for itself
                # where the text holds it word after word ("research and development").
                slots.append(_Slot(exp.words, (), (exp.key, *exp.phrases), own=exp.key, key=bool(key & set(exp.words.split()))))
                i += exp.length
                continue
            i += 1
            if w in STOPWORDS and topical:
                continue
            as_prefix = i - 1 == last or (len(w) >= 3 and w not in self._postings)
            terms = self._matches(w, as_prefix)
            phrases = exp.phrases if exp is not None else ()
            if phrases:
                # The reviewed mapping is surer than a shared stem: "commercialisation" means the
                # transformation of achievements before it means "commercial".
                terms = tuple((t, q if q != STEM else PREFIX, how) for t, q, how in terms)
            slots.append(_Slot(w, terms, phrases, key=w in key))
        return slots

    def _prepare(self, slot: _Slot) -> None:
        """Units holding what the slot stands for, best match first, and the slot's weight.

        The weight is the rarity of what the word means, not of its rarest form: "researchers"
        stands for "research" too (a stem), which is everywhere, so a sentence about research
        does not count as if it held the rare "researchers" (issue 25: `reward researchers`
        found measure 15, which holds only "research", above 12's "rewarded"). So the weight
        is the rarity of all the units the word stands for: its forms and its thesaurus
        phrases; or, for a word with neither (being typed, or misspelt), its completions and
        typo matches.
        """
        by_quality: dict[float, tuple[str, set[int]]] = {}
        meant: set[int] = set()  # units holding a form of the word or a phrase for it
        near: set[int] = set()  # units holding a completion or a typo match
        for term, quality, how in slot.terms:
            postings = self._postings[term]
            by_quality.setdefault(quality, (how, set()))[1].update(postings)
            (meant if how in ("exact", "stem") else near).update(postings)
        for phrase in slot.phrases:
            at = self._phrase_units(phrase)
            if at:
                # The user's own phrase standing in the text counts as exact, a policy phrase for it a little less.
                quality, how = (EXACT, "exact") if phrase == slot.own else (THESAURUS, "thesaurus")
                by_quality.setdefault(quality, (how, set()))[1].update(at)
                meant.update(at)
        found = meant or near
        slot.weight = math.log(1 + self._n / len(found)) if found else 0.0
        seen: set[int] = set()
        for quality, (how, units) in sorted(by_quality.items(), reverse=True):
            units -= seen  # a unit counts at the best quality it reaches
            seen |= units
            slot.levels.append((quality, how, units))
            if quality == THESAURUS:
                slot.phrase_units = units  # reached through the thesaurus, not by the words typed

    # Searching ----------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.answer(query, limit).hits

    def answer(self, query: str, limit: int = 20) -> Answer:
        """The best hits for `query`, each saying which of its words it matched and how, and
        which key words it misses; the key words nothing matches; whether any hit addresses it."""
        if limit <= 0:
            return Answer([])
        planned = self._plan(query)
        for slot in planned:
            self._prepare(slot)
        key = tuple(s.words for s in planned if s.key)
        never = tuple(s.words for s in planned if s.key and not s.levels)
        slots = [s for s in planned if s.levels]
        if not slots:
            return Answer([], key, never)
        total = sum(s.weight for s in slots) or 1.0
        sizes = [sum(len(units) for _, _, units in s.levels) for s in slots]

        # Rarer query words find the candidates; very common ones only score them.
        candidates: set[int] = set()
        for si in sorted(range(len(slots)), key=sizes.__getitem__):
            if candidates and sizes[si] > self._common:
                break
            for _, _, units in slots[si].levels:
                candidates |= units
        if not candidates:
            return Answer([], key, never)
        if len(candidates) > MAX_CANDIDATES:
            candidates = self._narrow(candidates, [s.levels for s in slots])

        cleaned = clean_query(query)
        phrase = normalise(cleaned) if len(words_with_spans(cleaned)) > 1 else ""
        per_doc: dict[Place, _PlaceScore] = {}
        lowered, docs, is_title = self._unit_lower, self._unit_doc, self._title_units
        nslots = len(slots)
        for u in candidates:
            doc = docs[u]
            ps = per_doc.get(doc)
            if ps is None:
                ps = per_doc[doc] = _PlaceScore(nslots)
            score = 0.0
            for k, slot in enumerate(slots):
                for quality, how, holders in slot.levels:
                    if u in holders:
                        gained = quality * slot.weight
                        score += gained
                        if gained > ps.cover[k]:
                            ps.cover[k] = gained
                            ps.how[k] = how
                        break
            score /= total
            cover = score
            title = u in is_title
            if title:
                score *= TITLE_WEIGHT
            if phrase and phrase in lowered[u]:
                score += PHRASE_BONUS
            ps.add(u, score, cover, title)

        totals = {doc: ps.total(total) for doc, ps in per_doc.items()}
        ranked = sorted(per_doc.items(), key=lambda kv: (-totals[kv[0]], str(kv[0])))
        # What the key words weigh: a word the text never uses as much as its rarest word.
        never_weight = math.log(1 + self._n)
        key_total = sum(s.weight for s in slots if s.key) + never_weight * len(never)
        hits = [self._hit(doc, ps, slots, totals[doc], never, key_total) for doc, ps in ranked[:limit]]
        return Answer(hits, key, never, addressed=any(not h.partial for h in hits))

    def _near(self, word: str, edits: int, scan: bool = True) -> list[tuple[str, int]]:
        """Vocabulary terms within `edits` of `word`, closest first, at most FUZZY_TERMS.

        Distances count a swap of two neighbouring letters as one edit (optimal string
        alignment), as people make it. Fast path: a symmetric single-deletion index (as
        SymSpell does) finds every term one substitution, insertion, deletion or transposition
        away, with a few dict look-ups. Only when that finds nothing (and `scan`) does
        rapidfuzz scan terms of similar length.
        """
        keys = {word, *_deletions(word)}
        seen = {t for k in keys for t in self._deletes.get(k, ())}
        near = [(t, d) for t in seen if (d := OSA.distance(word, t, score_cutoff=edits)) <= edits]
        if not near and scan and edits > 1:
            candidates: list[str] = []
            for n in range(len(word) - edits, len(word) + edits + 1):
                candidates += self._by_len.get(n, ())
            near = [
                (t, int(d))
                for t, d, _ in process.extract(word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=FUZZY_TERMS)
            ]
        near.sort(key=lambda td: (td[1], -len(self._postings[td[0]]), td[0]))
        return near[:FUZZY_TERMS]

    def _narrow(self, candidates: set[int], levels: list[list[tuple[float, str, set[int]]]]) -> set[int]:
        """Too many candidates means an uninformative query ("the", "we will"): keep the units
        holding every query word, then titles first and the rest in text order, up to the cap."""
        for lv in levels:
            holding = set().union(*(units for _, _, units in lv))
            narrowed = candidates & holding
            if narrowed:
                candidates = narrowed
        if len(candidates) <= MAX_CANDIDATES:
            return candidates
        titles = candidates & self._title_units
        rest = sorted(candidates - titles)[: max(0, MAX_CANDIDATES - len(titles))]
        return titles | set(rest)

    def _unit_spans(self, u: int, slots: Sequence[_Slot]) -> tuple[list[Span], str]:
        """The words of unit `u` that the query matched, as they stand in its text, and the
        thesaurus mappings that matched there (for `via`)."""
        terms = {t for s in slots for t, _, _ in s.terms}
        bounds = self._unit_bounds[u]
        spans = [(bounds[2 * k], bounds[2 * k + 1]) for k, w in enumerate(self._unit_words[u]) if w in terms]
        via: list[str] = []
        for slot in slots:
            shown = False
            for phrase in slot.phrases:
                at = self._phrase_units(phrase).get(u)
                if at:
                    spans += at
                    if phrase != slot.own and u in slot.phrase_units and not shown:
                        via.append(f"{slot.words!r} -> {phrase}")
                        shown = True
        return _merge(spans), "; ".join(via)

    def _hit(
        self, doc: Place, ps: _PlaceScore, slots: Sequence[_Slot], score: float, never: Sequence[str] = (), key_total: float = 0.0
    ) -> SearchHit:
        # A title hit still shows the best matching sentence of the text, if any, as its snippet.
        u = ps.best_text if ps.best_text is not None else ps.best
        unit = self.units[u]
        spans, via = self._unit_spans(u, slots)
        if ps.best != u:
            via = via or self._unit_spans(ps.best, slots)[1]
        snippet, snippet_spans = _snippet(unit.text, spans)
        body_spans = tuple((s + unit.offset, e + unit.offset) for s, e in spans) if unit.kind == "text" else ()
        role, _, item = unit.doc.partition("/") if unit.doc else ("", "", "")
        matched: list[tuple[str, str]] = []
        missing: list[str] = []
        covered = 0.0
        for k, slot in enumerate(slots):
            gained, how = ps.cover[k], ps.how[k]
            if not how:
                # Only the candidates were scored: a common word may stand in another sentence of the place.
                gained, how = self._doc_match(doc, slot)
            if how:
                matched.append((slot.words, how))
                if slot.key:
                    covered += gained
            elif slot.key:
                missing.append(slot.words)
        missing += never
        partial = key_total > 0 and covered < ADDRESSED_SHARE * key_total
        return SearchHit(
            unit.place,
            self.titles.get(doc, str(doc)),
            round(score, 4),
            snippet,
            tuple(snippet_spans),
            body_spans if self.group == "policy" else (),
            ps.title_hit,
            via,
            self.group,
            role,
            item,
            tuple(matched),
            tuple(missing),
            partial,
        )

    def _doc_match(self, doc: Place, slot: _Slot) -> tuple[float, str]:
        """The best match of `slot` in any unit of `doc`, weighted, and how; (0, "") if none."""
        units = self._doc_units.get(doc, ())
        for quality, how, holders in slot.levels:
            if any(u in holders for u in units):
                return quality * slot.weight, how
        return 0.0, ""

    def doc_hit(self, doc: Place, word: str, how: str = "id") -> SearchHit | None:
        """A hit on one document as a whole (an item named by its id), its first unit the snippet."""
        units = self._doc_units.get(doc)
        if not units:
            return None
        unit = self.units[units[0]]
        snippet, _ = _snippet(unit.text, ())
        role, _, item = unit.doc.partition("/") if unit.doc else ("", "", "")
        return SearchHit(
            unit.place, self.titles.get(doc, str(doc)), 1.0, snippet, (), (), False, "", self.group, role, item, ((word, how),)
        )

    def find_in_text(self, text: str, query: str) -> list[Span]:
        """Spans of every word of `text` that a word of `query` stands for (find in measure),
        and of the policy phrases the thesaurus maps the query's words to."""
        slots = self._plan(query)
        terms = {t for s in slots for t, _, _ in s.terms}
        spans = [(s, e) for w, s, e in words_with_spans(text) if w in terms]
        phrases = [p for s in slots for p in s.phrases]
        if phrases:
            tokens = content_stems(text)
            spans += [span for p in phrases for span in find_stems(tokens, phrase_stems(p))]
        return _merge(spans)


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlaps joined (a word inside a marked phrase is marked once)."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _deletion_index(vocab: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for term in vocab:
        if len(term) > 3:
            index[term].append(term)
            for d in _deletions(term):
                index[d].append(term)
    return dict(index)


def _snippet(text: str, spans: Iterable[Span]) -> tuple[str, list[Span]]:
    """A window of `text` around the first match, with spans moved into it."""
    spans = sorted(spans)
    if len(text) <= SNIPPET_CHARS:
        return text, spans
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_CHARS // 4)
    # Start on a word boundary.
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, inside


_INDEX: SearchIndex | None = None
# The app's warm-up worker and the first search may both ask for the index: the second waits for
# the first to finish building it rather than building a second one beside it.
_INDEX_LOCK = threading.Lock()


def index_for(policy: Policy) -> SearchIndex:
    """The index of the shipped policy, with the shipped thesaurus, built once per process.

    Problems with the thesaurus (tests keep the shipped one free of them) are in `warnings`.
    """
    global _INDEX
    index = _INDEX
    if index is not None and index.titles.get(1) == policy.measure(1).title:
        return index
    with _INDEX_LOCK:
        if _INDEX is None or _INDEX.titles.get(1) != policy.measure(1).title:
            from tui.core.search.thesaurus import checked_thesaurus

            thesaurus, problems = checked_thesaurus(policy)
            built = SearchIndex.from_policy(policy, thesaurus)
            built.warnings = problems
            _INDEX = built
        return _INDEX
