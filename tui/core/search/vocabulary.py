"""A search index's vocabulary: which of its words a query word stands for. Core: no Textual import.

A query word is matched against the vocabulary, not against every sentence: exactly; by its stem
("patents" finds "patent"); as a prefix (the word being typed); or, when it is not a known English
word, within a small edit distance (a typo). This scales with the vocabulary, which grows far
slower than the text.
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tui.core.search.analysis import STOPWORDS, stem
from tui.core.search.english import is_english_word

# How well a word matched (a thesaurus phrase: index.THESAURUS; a typo: 0.75 less 0.1 an edit).
EXACT, STEM, PREFIX = 1.0, 0.95, 0.85
# At most this many completions of a prefix, and typo matches of a word, are used.
PREFIX_TERMS = 48
FUZZY_TERMS = 12


class Vocabulary:
    """The words of an index (`postings`: word -> the units holding it), looked up every way a
    query word can stand for them. `matches` is match_word, cached (live typing asks again)."""

    def __init__(self, postings: dict[str, list[int]]) -> None:
        self.postings = postings
        self.terms = sorted(postings)
        by_len: dict[int, list[str]] = defaultdict(list)
        by_stem: dict[str, list[str]] = defaultdict(list)
        for w in self.terms:
            by_len[len(w)].append(w)
            by_stem[stem(w)].append(w)
        self.by_len = dict(by_len)
        self.by_stem = dict(by_stem)
        self.deletes = deletion_index(self.terms)
        self.matches = lru_cache(maxsize=4096)(self.match_word)

    def match_word(self, word: str, as_prefix: bool) -> tuple[tuple[str, float, str], ...]:
        """Vocabulary terms that `word` stands for, each with how well it matched.

        `as_prefix` lets the word stand for the words it begins (the word being typed,
        or a cut-short word the text does not hold), limited to the most frequent
        completions so that "co" cannot drag in thousands of terms.
        """
        found: dict[str, tuple[float, str]] = {}
        if word in self.postings:
            found[word] = (EXACT, "exact")
        for term in self.by_stem.get(stem(word), ()):
            found.setdefault(term, (STEM, "stem"))
        # A word the text holds, in any form, is taken as meant: "indirect" must not also find "direct".
        known = bool(found)
        if as_prefix and len(word) >= 2:
            lo = bisect.bisect_left(self.terms, word)
            hi = bisect.bisect_left(self.terms, word + "\U0010ffff", lo)
            completions = (t for t in self.terms[lo:hi] if t not in found)
            for term in heapq.nlargest(PREFIX_TERMS, completions, key=lambda t: len(self.postings[t])):
                found[term] = (PREFIX, "prefix")
        edits = max_edits(word)
        if edits and not known and word not in STOPWORDS:
            # A cut-short word with completions needs no slow scan for typos.
            near = self.near(word, edits, scan=len(found) == 0)
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

    def near(self, word: str, edits: int, scan: bool = True) -> list[tuple[str, int]]:
        """Vocabulary terms within `edits` of `word`, closest first, at most FUZZY_TERMS.

        Distances count a swap of two neighbouring letters as one edit (optimal string
        alignment), as people make it. Fast path: a symmetric single-deletion index (as
        SymSpell does) finds every term one substitution, insertion, deletion or transposition
        away, with a few dict look-ups. Only when that finds nothing (and `scan`) does
        rapidfuzz scan terms of similar length.
        """
        keys = {word, *deletions(word)}
        seen = {t for k in keys for t in self.deletes.get(k, ())}
        near = [(t, d) for t in seen if (d := OSA.distance(word, t, score_cutoff=edits)) <= edits]
        if not near and scan and edits > 1:
            candidates: list[str] = []
            for n in range(len(word) - edits, len(word) + edits + 1):
                candidates += self.by_len.get(n, ())
            near = [
                (t, int(d))
                for t, d, _ in process.extract(word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=FUZZY_TERMS)
            ]
        near.sort(key=lambda td: (td[1], -len(self.postings[td[0]]), td[0]))
        return near[:FUZZY_TERMS]


def max_edits(word: str) -> int:
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


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def deletion_index(vocab: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for term in vocab:
        if len(term) > 3:
            index[term].append(term)
            for d in deletions(term):
                index[d].append(term)
    return dict(index)
