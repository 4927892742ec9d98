"""A place in the policy a reader can be at: a measure number, the notice or the preamble."""

from __future__ import annotations

from typing import Union

from tui.core.policy import Policy

NOTICE = "notice"
PREAMBLE = "preamble"

Place = Union[int, str]
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
