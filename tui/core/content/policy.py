"""The policy model: an immutable document of a notice, a preamble, parts and measures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tui.core.errors import UnknownMeasure

# A character range [start, end) of a text: a search match, a quote, a marked sentence.
Span = tuple[int, int]

_SENTENCE_END = re.compile(r"(?<=[.;?!])\s+(?=\S)")


def split_sentences(text: str, extra_ends: tuple[int, ...] = ()) -> list[tuple[int, str]]:
    """(offset, sentence) pairs covering `text`: split after . ; ? ! and a space, and at `extra_ends`
    (offsets just after words where the translation lost a full stop; see Measure.sentence_ends)."""
    cuts = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    for end in extra_ends:
        after = end
        while after < len(text) and text[after].isspace():
            after += 1
        cuts.append((end, after))
    out: list[tuple[int, str]] = []
    start = 0
    for end, after in sorted(cuts):
        out.append((start, text[start:end]))
        start = after
    if start < len(text):
        out.append((start, text[start:]))
    return out


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    short_title: str
    title: str
    issuer: str
    date_issued: dt.date
    date_published_en: dt.date
    source_url: str
    content_version: str
    portal_timestamp: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    addressees: str
    text: str
    issuer: str
    date: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return (self.addressees, self.text, self.issuer, self.date)

    @property
    def full_text(self) -> str:
        """As shown: a paragraph each. Spans into `text` start len(addressees) + 2 characters in."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Measure:
    number: int
    part: str
    title: str
    text: str
    errata: tuple[str, ...] = ()
    # Where a sentence ends though the translation lost its full stop (offsets into `text`).
    sentence_ends: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"

    def sentences(self) -> list[tuple[int, str]]:
        """(offset, sentence) pairs of the text, honouring the marked lost full stops."""
        return split_sentences(self.text, self.sentence_ends)


@dataclass(frozen=True, slots=True)
class Part:
    numeral: str
    title: str
    measures: tuple[Measure, ...] = field(default=())

    @property
    def label(self) -> str:
        return f"{self.numeral}. {self.title}"


@dataclass(frozen=True, slots=True)
class Policy:
    info: DocumentInfo
    notice: Notice
    preamble: str
    parts: tuple[Part, ...]

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for p in self.parts for m in p.measures)

    @property
    def first(self) -> int:
        return self.parts[0].measures[0].number

    @property
    def last(self) -> int:
        return self.parts[-1].measures[-1].number

    def measure(self, number: int) -> Measure:
        for part in self.parts:
            for m in part.measures:
                if m.number == number:
                    return m
        raise UnknownMeasure(f"no measure {number}: measures are numbered {self.first}-{self.last}")

    def part(self, numeral: str) -> Part:
        for p in self.parts:
            if p.numeral == numeral:
                return p
        raise UnknownMeasure(f"no part {numeral!r}: parts are {', '.join(p.numeral for p in self.parts)}")

    def part_of(self, measure: Measure) -> Part:
        return self.part(measure.part)

    def parse_measure(self, text: str) -> Measure:
        """A measure from what a person typed: "17", " 17 ", "measure 17", "#17"."""
        cleaned = text.strip().lower().removeprefix("measure").strip().lstrip("#").strip()
        if not (cleaned.isascii() and cleaned.isdigit()):
            shown = text.strip()[:40] or "(empty)"
            raise UnknownMeasure(f"not a measure number: {shown!r}; type a number {self.first}-{self.last}")
        return self.measure(int(cleaned))
