"""Reading a place from what a person typed: the go-to dialog and `bj30 show` share it."""

from __future__ import annotations

import pytest

from tui.core.content.places import NOTICE, PREAMBLE, accepted_places, read_place
from tui.core.content.policy import Policy
from tui.core.errors import UnknownMeasure


@pytest.mark.parametrize(
    "typed, place",
    [
        ("17", 17),
        (" 17 ", 17),
        ("measure 17", 17),
        ("#17", 17),
        ("Measure  9", 9),
        ("notice", NOTICE),
        (" Notice ", NOTICE),
        ("PREAMBLE", PREAMBLE),
        ("I", 1),
        ("ii", 6),
        ("III", 10),
        ("part iv", 14),
        ("Part V", 22),
    ],
)
def test_read_place_accepts_measures_parts_notice_and_preamble(policy: Policy, typed: str, place: object) -> None:
    assert read_place(policy, typed) == place


def test_a_part_numeral_is_its_first_measure(policy: Policy) -> None:
    for part in policy.parts:
        assert read_place(policy, part.numeral) == part.measures[0].number


@pytest.mark.parametrize("typed", ["abc", "VI", "0x11", "seventeen", "part", "measure", "17 18", "notices", "１７"])
def test_read_place_refuses_anything_else_saying_what_it_accepts(policy: Policy, typed: str) -> None:
    with pytest.raises(UnknownMeasure) as caught:
        read_place(policy, typed)
    message = str(caught.value)
    assert "\n" not in message and repr(typed) in message
    assert message.endswith("try " + accepted_places(policy))
    assert accepted_places(policy) == "a measure 1-30, a part I-V (its first measure), notice or preamble"


def test_read_place_out_of_range_and_empty(policy: Policy) -> None:
    with pytest.raises(UnknownMeasure, match="no measure 31: measures are numbered 1-30"):
        read_place(policy, "31")
    with pytest.raises(UnknownMeasure, match="^nothing typed; try a measure 1-30"):
        read_place(policy, "  ")
