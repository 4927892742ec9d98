"""Scoring a query's matches: what each part of the query asks for (Slot), the best of a place
(PlaceScore), and the snippet a hit shows with its words marked. Core: no Textual import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.core.content.policy import Span

SNIPPET_CHARS = 160
# How much of the query a place covers beyond its best sentence counts this much.
SPREAD_WEIGHT = 0.5


@dataclass(slots=True)
class Slot:
    """One thing the query asks for: a word, or user words the thesaurus maps to policy phrases."""

    words: str  # as typed (lower-cased)
    terms: tuple[tuple[str, float, str], ...]  # vocabulary terms it stands for, with match quality and how
    phrases: tuple[str, ...] = ()  # thesaurus phrases it stands for
    own: str = ""  # a user phrase standing for itself among `phrases` (not reached "via" anything)
    key: bool = True  # carries the query's topic (key_words)
    levels: list[tuple[float, str, set[int]]] = field(default_factory=list)  # best quality first
    phrase_units: set[int] = field(default_factory=set)  # units holding a phrase, not a term
    weight: float = 0.0


class PlaceScore:
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


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlaps joined (a word inside a marked phrase is marked once)."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def snippet_of(text: str, spans: Iterable[Span]) -> tuple[str, list[Span]]:
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
