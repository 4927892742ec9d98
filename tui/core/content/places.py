"""A place in the policy a reader can be at: a measure number, the notice or the preamble."""

from __future__ import annotations

from tui.core.content.policy import Policy
from tui.core.errors import UnknownMeasure

NOTICE = "notice"
PREAMBLE = "preamble"

Place = int | str
"""A measure number (1-30), or NOTICE or PREAMBLE."""


def all_places(policy: Policy) -> list[Place]:
    """Every place in reading order."""
    return [NOTICE, PREAMBLE, *(m.number for m in policy.measures)]


def place_label(policy: Policy, place: Place) -> str:
    if place == NOTICE:
        return "Notice"
    if place == PREAMBLE:
        return "Preamble"
    return policy.measure(int(place)).label


def where_label(policy: Policy, place: Place) -> str:
    """Where the reader is, as the header line says it: "Measure 17 · Part IV", "Notice"."""
    if place == NOTICE:
        return "Notice"
    if place == PREAMBLE:
        return "Preamble"
    m = policy.measure(int(place))
    return f"Measure {m.number} · Part {m.part}"


def body_text(policy: Policy, place: Place) -> str:
    """The text that search spans of `place` refer to."""
    if place == NOTICE:
        return policy.notice.text
    if place == PREAMBLE:
        return policy.preamble
    return policy.measure(int(place)).text


def step(policy: Policy, place: Place, delta: int) -> Place | None:
    """The place `delta` steps away in reading order, or None past either end."""
    order = all_places(policy)
    index = order.index(place) + delta
    if 0 <= index < len(order):
        return order[index]
    return None


def parse_place(policy: Policy, value: object) -> Place | None:
    """A place read back from stored state, or None if it is no longer valid."""
    if value in (NOTICE, PREAMBLE):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and policy.first <= value <= policy.last:
        return value
    return None


def accepted_places(policy: Policy) -> str:
    """What `read_place` accepts, said in one line (the go-to dialog's hint and its errors)."""
    parts = policy.parts
    return (
        f"a measure {policy.first}-{policy.last}, a part {parts[0].numeral}-{parts[-1].numeral} "
        f"(its first measure), notice or preamble"
    )


def read_place(policy: Policy, text: str) -> Place:
    """The place a person typed: the go-to dialog (`g`) and `bj30 show` share this.

    Accepts a measure ("17", "measure 17", "#17"), "notice", "preamble", and a part's numeral
    ("III", "part iii"), which stands for the part's first measure. Anything else raises
    UnknownMeasure with one line that says what is accepted.
    """
    cleaned = " ".join(text.split()).lower()
    if cleaned in (NOTICE, PREAMBLE):
        return cleaned
    numeral = cleaned.removeprefix("part").strip().upper()
    for part in policy.parts:
        if numeral == part.numeral and part.measures:
            return part.measures[0].number
    digits = cleaned.removeprefix("measure").strip().lstrip("#").strip()
    if digits.isascii() and digits.isdigit():
        return policy.measure(int(digits)).number  # out of range: "no measure 31: measures are numbered 1-30"
    what = f"{text.strip()[:40]!r} is not in the policy" if text.strip() else "nothing typed"
    raise UnknownMeasure(f"{what}; try {accepted_places(policy)}")
