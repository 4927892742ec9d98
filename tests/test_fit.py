"""Long titles end in an ellipsis at a word boundary, never mid-word."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui.core.text.fit import ellipsize

TITLE = "Strengthen the Overall Planning of Science and Technology Innovation"


@pytest.mark.parametrize(
    "width, expected",
    [
        (200, TITLE),
        (len(TITLE), TITLE),
        (len(TITLE) - 1, "Strengthen the Overall Planning of Science and Technology…"),
        (33, "Strengthen the Overall Planning…"),  # "of" would not fit with the ellipsis
        (36, "Strengthen the Overall Planning of…"),
        (12, "Strengthen…"),
        (11, "Strengthen…"),
        (10, "Strengthe…"),  # one word longer than the room: cut inside it, nothing better
        (1, "…"),
        (0, ""),
    ],
)
def test_ellipsize_cuts_at_a_word_boundary(width: int, expected: str) -> None:
    assert ellipsize(TITLE, width) == expected
    assert len(ellipsize(TITLE, width)) <= width


def test_ellipsize_drops_dangling_punctuation_and_counts_wide_cells() -> None:
    assert ellipsize("Customs Clearance, Inspection and Quarantine", 21) == "Customs Clearance…"
    wide = "北京 科技 创新 三十条 措施"
    cut = ellipsize(wide, 12, cell_len)
    assert cell_len(cut) <= 12 and cut == "北京 科技…"


def test_every_contents_title_cut_ends_at_a_word(policy) -> None:
    for m in policy.measures:
        for width in range(8, len(m.title)):
            cut = ellipsize(m.title, width)
            assert cut.endswith("…") and len(cut) <= width
            words = cut[:-1].split()
            if len(words) > 1:  # a single overlong word may be cut inside; several words never are
                assert m.title.startswith(cut[:-1]) and m.title[len(cut[:-1])] in " ,", (m.title, width, cut)
