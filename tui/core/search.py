"""Fuzzy full-text search over the policy. Core: no Textual import.

How it works, and why:
- The policy is cut into units: each measure title, each sentence of each measure,
  of the notice and of the preamble. A unit knows its place and where it starts in
  that place's text, so a hit can be highlighted in the reader.
- Words are indexed once (term -> units holding it). A query word is matched against
  the vocabulary, not against every sentence: exactly, as a prefix (partial words), or
  within a small edit distance (typos), with rapidfuzz over words of similar length.
  This scales with the vocabulary, which grows far slower than the text.
- A unit scores by how much of the query it covers, each word weighted by its rarity
  (IDF) and by how well it matched (exact > prefix > fuzzy). Titles weigh more; the
  whole query standing verbatim in a unit earns a bonus. Hits are grouped by place,
  the best unit giving the snippet.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tui.core.places import NOTICE, PREAMBLE, Place
from tui.core.policy import Policy, Span, split_sentences

# A word: letters/digits, keeping the symbols people search for inside it
# ("r&d", "60%", "10+3", "5g", "2030-major" is two words).
_WORD = re.compile(r"[^\W_]+(?:[&+%'][^\W_]*)*%?")

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
SNIPPET_CHARS = 160

EXACT, PREFIX = 1.0, 0.85
TITLE_WEIGHT = 1.35
PHRASE_BONUS = 0.35
# A very common word (in more than this share of units) is not used to find
# candidates, only to score the candidates rarer words found.
COMMON_SHARE = 0.2
# At most this many completions of a prefix, and typo matches of a word, are used.
PREFIX_TERMS = 48
FUZZY_TERMS = 12
# Past this many candidate units a query is uninformative; see SearchIndex._narrow.
MAX_CANDIDATES = 2500



@dataclass(frozen=True, slots=True)
class Unit:
    place: Place
    kind: str  # "title" or "text"
    text: str
    offset: int  # where `text` starts in its place's body text (0 for titles)


@dataclass(frozen=True, slots=True)
class SearchHit:
    place: Place
    title: str
    score: float
    snippet: str
    snippet_spans: tuple[Span, ...]  # matched words, relative to `snippet`
    body_spans: tuple[Span, ...]  # matched words, relative to the place's body text
    in_title: bool

    @property
    def measure(self) -> int:
        """The measure number, 0 for the notice and the preamble (as the CLI's JSON says)."""
        return self.place if isinstance(self.place, int) else 0


def normalise(text: str) -> str:
    """The case-insensitive form words are indexed and matched in."""
    return text.casefold()


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    lowered = normalise(text)
    if len(lowered) != len(text):  # casefold changed lengths (e.g. "ß"): fall back to lower()
        lowered = text.lower()
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(lowered)]


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


def _max_edits(word: str) -> int:
    n = len(word)
    if n <= 3:
        return 0  # "r&d", "5g", "60%": a typo there is another word
    if n <= 5:
        return 1
    if n <= 9:
        return 2
    return 3


class _PlaceScore:
    """The best unit of one place, and how many of its units matched."""

    __slots__ = ("best", "best_score", "best_text", "best_text_score", "count", "title_hit")

    def __init__(self) -> None:
        self.best = -1
        self.best_score = -1.0
        self.best_text: int | None = None
        self.best_text_score = -1.0
        self.count = 0
        self.title_hit = False

    def add(self, unit: int, score: float, is_title: bool) -> None:
        self.count += 1
        if score > self.best_score:
            self.best, self.best_score = unit, score
        if is_title:
            self.title_hit = True
        elif score > self.best_text_score:
            self.best_text, self.best_text_score = unit, score

    @property
    def total(self) -> float:
        # More matching sentences in the same place add a little, never as much as a title.
        return self.best_score + 0.02 * min(self.count - 1, 5)


class SearchIndex:
    def __init__(self, units: Sequence[Unit], titles: dict[Place, str]) -> None:
        self.units = list(units)
        self.titles = titles
        postings: dict[str, list[int]] = defaultdict(list)
        self._unit_lower: list[str] = []
        for i, unit in enumerate(self.units):
            words = {w for w, _, _ in words_with_spans(unit.text)}
            self._unit_lower.append(normalise(unit.text))
            for w in words:
                postings[w].append(i)
        self._postings = dict(postings)
        self._unit_place = [u.place for u in self.units]
        self._title_units = {i for i, u in enumerate(self.units) if u.kind == "title"}
        self._vocab = sorted(self._postings)
        by_len: dict[int, list[str]] = defaultdict(list)
        for w in self._vocab:
            by_len[len(w)].append(w)
        self._by_len = dict(by_len)
        n = max(1, len(self.units))
        self._idf = {w: math.log(1 + n / len(ids)) for w, ids in self._postings.items()}
        self._common = max(50, int(n * COMMON_SHARE))
        self._deletes = _deletion_index(self._vocab)
        self._matches = lru_cache(maxsize=4096)(self._match_word)

    @classmethod
    def from_policy(cls, policy: Policy) -> SearchIndex:
        titles: dict[Place, str] = {NOTICE: "Notice", PREAMBLE: "Preamble"}
        titles.update({m.number: m.title for m in policy.measures})
        return cls(policy_units(policy), titles)

    # Matching query words against the vocabulary -----------------------------------

    def _match_word(self, word: str, as_prefix: bool) -> tuple[tuple[str, float], ...]:
        """Vocabulary terms that `word` stands for, each with how well it matched.

        `as_prefix` lets the word stand for the words it begins (the word being typed,
        or a cut-short word the text does not hold), limited to the most frequent
        completions so that "co" cannot drag in thousands of terms.
        """
        found: dict[str, float] = {}
        exact = word in self._postings
        if exact:
            found[word] = EXACT
        if as_prefix and len(word) >= 2:
            lo = bisect.bisect_left(self._vocab, word)
            hi = bisect.bisect_left(self._vocab, word + "\U0010ffff", lo)
            completions = (t for t in self._vocab[lo:hi] if t != word)
            for term in heapq.nlargest(PREFIX_TERMS, completions, key=lambda t: len(self._postings[t])):
                found[term] = PREFIX
        # A word the text holds is taken as meant: "indirect" must not also find "direct".
        edits = _max_edits(word)
        if edits and not exact:
            # A cut-short word with completions needs no slow scan for typos.
            near = self._near(word, edits, scan=len(found) == 0)
            # Only the closest typo matches: if one edit explains the word, two-edit matches
            # are more likely other words.
            closest = min((dist for _, dist in near), default=0)
            for term, dist in near:
                if dist == closest and term not in found:
                    found[term] = 0.75 - 0.1 * (dist - 1)
        return tuple(found.items())

    # Searching ----------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        query = clean_query(query)
        qwords = list(dict.fromkeys(w for w, _, _ in words_with_spans(query)))[:MAX_QUERY_WORDS]
        if not qwords or limit <= 0:
            return []
        last = len(qwords) - 1
        matches = [self._matches(w, i == last or (len(w) >= 3 and w not in self._postings))
                   for i, w in enumerate(qwords)]
        # Each query word's weight is the rarity of the best term it can stand for.
        weights = [max((self._idf[t] for t, _ in m), default=0.0) for m in matches]
        total = sum(weights) or 1.0

        # Per query word, the units holding a term it stands for, grouped by match quality
        # (best first). Set operations run in C, which keeps common words cheap.
        levels = [self._levels(terms) for terms in matches]
        sizes = [sum(len(units) for _, units in lv) for lv in levels]

        # Rarer query words find the candidates; very common ones only score them.
        candidates: set[int] = set()
        for qi in sorted(range(len(qwords)), key=sizes.__getitem__):
            if candidates and sizes[qi] > self._common:
                break
            for _, units in levels[qi]:
                candidates |= units
        if not candidates:
            return []
        if len(candidates) > MAX_CANDIDATES:
            candidates = self._narrow(candidates, levels)

        phrase = normalise(query) if len(qwords) > 1 else ""
        per_place: dict[Place, _PlaceScore] = {}
        lowered, places, is_title = self._unit_lower, self._unit_place, self._title_units
        for u in candidates:
            score = 0.0
            for weight, lv in zip(weights, levels):
                for quality, holders in lv:
                    if u in holders:
                        score += quality * weight
                        break
            score /= total
            title = u in is_title
            if title:
                score *= TITLE_WEIGHT
            if phrase and phrase in lowered[u]:
                score += PHRASE_BONUS
            place = places[u]
            ps = per_place.get(place)
            if ps is None:
                ps = per_place[place] = _PlaceScore()
            ps.add(u, score, title)

        ranked = sorted(per_place.items(), key=lambda kv: (-kv[1].total, str(kv[0])))
        return [self._hit(place, ps, matches) for place, ps in ranked[:limit]]

    def _near(self, word: str, edits: int, scan: bool = True) -> list[tuple[str, int]]:
        """Vocabulary terms within `edits` of `word`, closest first, at most FUZZY_TERMS.

        Fast path: a symmetric single-deletion index (as SymSpell does) finds every term one
        substitution, insertion, deletion or transposition away, with a few dict look-ups.
        Only when that finds nothing (and `scan`) does rapidfuzz scan terms of similar length.
        """
        keys = {word, *_deletions(word)}
        seen = {t for k in keys for t in self._deletes.get(k, ())}
        near = [(t, d) for t in seen if (d := Levenshtein.distance(word, t, score_cutoff=edits)) <= edits]
        if not near and scan:
            candidates: list[str] = []
            for n in range(len(word) - edits, len(word) + edits + 1):
                candidates += self._by_len.get(n, ())
            near = [(t, int(d)) for t, d, _ in process.extract(
                word, candidates, scorer=Levenshtein.distance, score_cutoff=edits, limit=FUZZY_TERMS)]
        near.sort(key=lambda td: (td[1], -len(self._postings[td[0]]), td[0]))
        return near[:FUZZY_TERMS]

    def _levels(self, terms: tuple[tuple[str, float], ...]) -> list[tuple[float, set[int]]]:
        by_quality: dict[float, set[int]] = {}
        for term, quality in terms:
            by_quality.setdefault(quality, set()).update(self._postings[term])
        ordered = sorted(by_quality.items(), reverse=True)
        seen: set[int] = set()
        out = []
        for quality, holders in ordered:
            holders -= seen  # a unit counts at the best quality it reaches
            seen |= holders
            out.append((quality, holders))
        return out

    def _narrow(self, candidates: set[int], levels: list[list[tuple[float, set[int]]]]) -> set[int]:
        """Too many candidates means an uninformative query ("the", "we will"): keep the units
        holding every query word, then titles first and the rest in text order, up to the cap."""
        for lv in levels:
            holding = set().union(*(units for _, units in lv))
            narrowed = candidates & holding
            if narrowed:
                candidates = narrowed
        if len(candidates) <= MAX_CANDIDATES:
            return candidates
        titles = candidates & self._title_units
        rest = sorted(candidates - titles)[: max(0, MAX_CANDIDATES - len(titles))]
        return titles | set(rest)

    def _hit(self, place: Place, ps: _PlaceScore, matches: list[tuple[tuple[str, float], ...]]) -> SearchHit:
        # A title hit still shows the best matching sentence of the text, if any, as its snippet.
        u = ps.best_text if ps.best_text is not None else ps.best
        unit = self.units[u]
        terms = {t for m in matches for t, _ in m}
        spans = [(s, e) for w, s, e in words_with_spans(unit.text) if w in terms]
        snippet, snippet_spans = _snippet(unit.text, spans)
        body_spans = tuple((s + unit.offset, e + unit.offset) for s, e in spans) if unit.kind == "text" else ()
        return SearchHit(place, self.titles.get(place, str(place)), round(ps.total, 4), snippet,
                         tuple(snippet_spans), body_spans, ps.title_hit)

    def find_in_text(self, text: str, query: str) -> list[Span]:
        """Spans of every word of `text` that a word of `query` stands for (find in measure)."""
        qwords = list(dict.fromkeys(w for w, _, _ in words_with_spans(clean_query(query))))[:MAX_QUERY_WORDS]
        terms = {t for w in qwords for t, _ in self._matches(w, True)}
        return [(s, e) for w, s, e in words_with_spans(text) if w in terms]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


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


def index_for(policy: Policy) -> SearchIndex:
    """The index of the shipped policy, built once per process."""
    global _INDEX
    if _INDEX is None or _INDEX.titles.get(1) != policy.measure(1).title:
        _INDEX = SearchIndex.from_policy(policy)
    return _INDEX
