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

The rooms: units.py (units, hits, answers), vocabulary.py (matching a word), scoring.py (slots,
places, snippets), this module (the index: building it, planning and scoring a query).
"""

from __future__ import annotations

import math
import sys
import threading
from array import array
from collections import defaultdict
from collections.abc import Sequence

from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.core.content.policy import Policy, Span
from tui.core.search.analysis import STOPWORDS, content_stems, normalise, stem, words_with_spans
from tui.core.search.scoring import PlaceScore, Slot, merge_spans, snippet_of
from tui.core.search.thesaurus import Thesaurus, find_stems, phrase_stems
from tui.core.search.units import (
    MAX_QUERY_WORDS,
    Answer,
    Found,
    SearchHit,
    Unit,
    clean_query,
    key_words,
    policy_units,
)
from tui.core.search.vocabulary import EXACT, PREFIX, STEM, Vocabulary

# Found and SearchHit are units.py's; importing them from here keeps working.
__all__ = ["Found", "SearchHit", "SearchIndex", "index_for"]

THESAURUS = 0.9  # a policy phrase the thesaurus maps the word to (vocabulary.py: the others)
# A hit "addresses" the query when the key words it matches carry at least this share of the key
# words' weight (each weighted by its rarity in the policy; a word the policy never uses weighs as
# much as the rarest word it holds). Chosen on tests/data/relevance.toml (positives and
# negatives), never on the held-out sets; see benchmarks/search.py.
ADDRESSED_SHARE = 0.45
TITLE_WEIGHT = 1.35
PHRASE_BONUS = 0.35
# A very common word (in more than this share of units) is not used to find
# candidates, only to score the candidates rarer words found.
COMMON_SHARE = 0.2
# Past this many candidate units a query is uninformative; see SearchIndex._narrow.
MAX_CANDIDATES = 2500


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
        vocabulary = Vocabulary(self._postings)
        self._vocab, self._by_stem = vocabulary.terms, vocabulary.by_stem
        self._matches = vocabulary.matches  # cached: live typing asks again for the same words
        n = max(1, len(self.units))
        self._n = n
        self._idf = {w: math.log(1 + n / len(ids)) for w, ids in self._postings.items()}
        self._common = max(50, int(n * COMMON_SHARE))
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

    def _plan(self, query: str) -> list[Slot]:
        """The query as slots: its words, some joined by the thesaurus into one user phrase."""
        words = list(dict.fromkeys(w for w, _, _ in words_with_spans(clean_query(query))))[:MAX_QUERY_WORDS]
        if not words:
            return []
        expansions = {e.start: e for e in self.thesaurus.expand(words)}
        topical = [w for w in words if w not in STOPWORDS]
        key = set(key_words(words))
        slots: list[Slot] = []
        i, last = 0, len(words) - 1
        while i < len(words):
            w = words[i]
            exp = expansions.get(i)
            if exp is not None and exp.length > 1:
                # A user phrase ("stock options") stands for its policy phrases, and for itself
                # where the text holds it word after word ("research and development").
                slots.append(Slot(exp.words, (), (exp.key, *exp.phrases), own=exp.key, key=bool(key & set(exp.words.split()))))
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
            slots.append(Slot(w, terms, phrases, key=w in key))
        return slots

    def _prepare(self, slot: Slot) -> None:
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
        per_doc: dict[Place, PlaceScore] = {}
        lowered, docs, is_title = self._unit_lower, self._unit_doc, self._title_units
        nslots = len(slots)
        for u in candidates:
            doc = docs[u]
            ps = per_doc.get(doc)
            if ps is None:
                ps = per_doc[doc] = PlaceScore(nslots)
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

    def _unit_spans(self, u: int, slots: Sequence[Slot]) -> tuple[list[Span], str]:
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
        return merge_spans(spans), "; ".join(via)

    def _hit(
        self, doc: Place, ps: PlaceScore, slots: Sequence[Slot], score: float, never: Sequence[str] = (), key_total: float = 0.0
    ) -> SearchHit:
        # A title hit still shows the best matching sentence of the text, if any, as its snippet.
        u = ps.best_text if ps.best_text is not None else ps.best
        unit = self.units[u]
        spans, via = self._unit_spans(u, slots)
        if ps.best != u:
            via = via or self._unit_spans(ps.best, slots)[1]
        snippet, snippet_spans = snippet_of(unit.text, spans)
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

    def _doc_match(self, doc: Place, slot: Slot) -> tuple[float, str]:
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
        snippet, _ = snippet_of(unit.text, ())
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
        return merge_spans(spans)


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
