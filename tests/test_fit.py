"""Long titles end in an ellipsis at a word boundary, never mid-word."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.core.text.fit import cell_width, cut_cells, ellipsize, fit_cells
from tui.core.text.textout import wrap

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


# Widths in terminal cells (issue 21, 4): Chinese and emoji take two cells, combining marks none.
@pytest.mark.parametrize(
    "text, cells",
    [
        ("Wang Li", 7),
        ("财务处 孙磊", 11),
        ("e\u0301cole", 5),  # é as e + a combining acute accent
        ("👍", 2),
        ("👨\u200d👩\u200d👧", 2),  # a family: one emoji of three joined
        ("", 0),
    ],
)
def test_cell_width_counts_terminal_cells(text: str, cells: int) -> None:
    assert cell_width(text) == cells == cell_len(text)  # the core's measure and Rich's agree


@pytest.mark.parametrize(
    "text", ["财务处 孙磊", "Wang Li", "e\u0301cole e\u0301cole e\u0301cole", "👍👍👍👍👍👍👍👍", "北京大学第一医院财务处 孙磊"]
)
@pytest.mark.parametrize("width", [1, 5, 8, 12, 20])
def test_fit_cells_takes_exactly_the_width(text: str, width: int) -> None:
    fitted = fit_cells(text, width)
    assert cell_width(fitted) == width
    assert fitted.rstrip().rstrip("…") in text  # a start of the text, never half a character
    if cell_width(text) <= width:
        assert fitted.rstrip() == text


def test_cut_cells_never_splits_a_wide_character_or_a_cluster() -> None:
    assert cut_cells("财务处", 5) == "财务"
    assert cut_cells("e\u0301e\u0301", 1) == "e\u0301"
    assert cut_cells("👨\u200d👩\u200d👧x", 2) == "👨\u200d👩\u200d👧"


def test_ellipsize_measures_chinese_in_cells() -> None:
    title = "北京市 关于 进一步 加强 科技 创新"
    cut = ellipsize(title, 12)
    assert cell_width(cut) <= 12 and cut.endswith("…")
    assert cut == "北京市 关于…"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40), st.integers(min_value=1, max_value=40))
def test_fit_cells_any_text(text: str, width: int) -> None:
    assert cell_width(fit_cells(text, width)) == width


def test_cli_wrap_measures_cells() -> None:
    note = "财务处 孙磊 负责与两家国企共建联合实验室的会议纪要整理和归档工作"
    for line in wrap(note, 20).splitlines():
        assert cell_width(line) <= 20
