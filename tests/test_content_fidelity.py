"""The shipped content matches the published source text, sentence for sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.core.content.policy import Policy

SOURCE = Path(__file__).parent / "data" / "policy.en.txt"
SOURCE_LINES = SOURCE.read_text(encoding="utf-8").split("\n")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;?!])\s+", text) if s.strip()]


def all_content_text(policy: Policy) -> str:
    n = policy.notice
    chunks = [policy.info.title, n.addressees, n.text, n.issuer, n.date, policy.preamble]
    for p in policy.parts:
        chunks.append(p.title)
        for m in p.measures:
            chunks += [m.title, m.text]
    return "\n".join(chunks)


def test_every_source_sentence_stands_verbatim(policy: Policy) -> None:
    shipped = all_content_text(policy)
    body_lines = SOURCE_LINES[1:]  # line 1 is the portal's timestamp
    checked = 0
    for line in body_lines:
        # Headings carry their number ("1. ", "IV. ", "18.") which the model keeps apart.
        body = re.sub(r"^(\d+|[IVX]+)\.\s*", "", line) if re.match(r"^(\d+|[IVX]+)\.", line) else line
        for s in sentences(body):
            assert s in shipped, f"sentence missing or altered: {s[:80]!r}"
            checked += 1
    assert checked >= 160  # the source holds 163 sentences and headings


def test_structure_mirrors_the_source_line_by_line(policy: Policy) -> None:
    assert policy.info.title == SOURCE_LINES[5]
    assert policy.notice.addressees == SOURCE_LINES[1]
    assert policy.notice.text == SOURCE_LINES[2]
    assert policy.notice.issuer == SOURCE_LINES[3]
    assert policy.notice.date == SOURCE_LINES[4]
    assert policy.preamble == SOURCE_LINES[6]
    rebuilt: list[str] = []
    for p in policy.parts:
        rebuilt.append(f"{p.numeral}. {p.title}")
        for m in p.measures:
            sep = "." if m.number == 18 else ". "  # the source's own "18.Carry out"
            rebuilt += [f"{m.number}{sep}{m.title}", m.text]
    assert rebuilt == SOURCE_LINES[7:]


def test_numbering(policy: Policy) -> None:
    assert [m.number for m in policy.measures] == list(range(1, 31))
    assert [p.numeral for p in policy.parts] == ["I", "II", "III", "IV", "V"]
    assert [len(p.measures) for p in policy.parts] == [5, 4, 4, 8, 9]


def test_metadata(policy: Policy) -> None:
    info = policy.info
    assert info.short_title == "the 30 Measures"
    assert info.issuer == "Beijing Municipal People's Government"
    assert info.date_issued.isoformat() == "2019-10-16"
    assert info.date_published_en.isoformat() == "2020-12-21"
    assert info.source_url.startswith("https://invest.beijing.gov.cn/")
    assert info.content_version


@pytest.mark.parametrize(
    "number, in_text, in_errata",
    [
        (11, "R&Dof", "R&Dof"),
        (17, "shall not exceed 60% of the direct expenses deducted from the equipment expenses.", "repeated"),
        (18, "In the field of basic research", "18.Carry out"),
        (28, "production to enterprises in the Tianjin and Hebei", "garbled"),
    ],
)
def test_known_flaws_are_kept_and_marked(policy: Policy, number: int, in_text: str, in_errata: str) -> None:
    m = policy.measure(number)
    assert in_text in m.text  # the flaw is kept, not fixed
    assert any(in_errata in e for e in m.errata)  # and it is marked
