"""The reading history behaves like a browser's."""

from __future__ import annotations

import pytest

from tui.core.navigation import History


def test_back_and_forward() -> None:
    h: History[int] = History()
    assert h.current is None and h.back() is None and h.forward() is None
    for n in (1, 2, 3):
        h.visit(n)
    assert h.current == 3 and h.can_go_back and not h.can_go_forward
    assert h.back() == 2
    assert h.back() == 1
    assert h.back() is None and h.current == 1  # stays at the start
    assert h.forward() == 2
    assert h.forward() == 3
    assert h.forward() is None and h.current == 3


def test_visiting_drops_the_forward_branch() -> None:
    h: History[int] = History()
    for n in (1, 2, 3):
        h.visit(n)
    h.back()
    h.back()
    h.visit(9)
    assert not h.can_go_forward
    assert h.back() == 1 and h.forward() == 9


def test_revisiting_the_current_place_adds_nothing() -> None:
    h: History[str] = History()
    h.visit("notice")
    h.visit("notice")
    assert len(h) == 1 and not h.can_go_back


def test_limit_drops_the_oldest() -> None:
    h: History[int] = History(limit=3)
    for n in range(10):
        h.visit(n)
    assert len(h) == 3
    assert [h.back(), h.back(), h.back()] == [8, 7, None]
    with pytest.raises(ValueError):
        History(limit=0)
