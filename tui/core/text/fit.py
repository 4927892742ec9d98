"""Fitting text into terminal cells: widths measured in cells, not characters; cut at a word, then "…".

A Chinese character or an emoji takes two cells, a combining accent none: an owner "财务处 孙磊" is
6 characters but 11 cells, and padded by characters it pushed every column after it 5 cells to the
right (issue 21, 4). Everything that aligns or cuts text for a terminal measures with `cell_width`
(the wcwidth package: Unicode's East Asian widths, emoji and zero-width marks), or with the
measure the caller passes (the UI passes Rich's cell_len, the measure it draws with).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import wcwidth

ELLIPSIS = "…"
# Left at the end of a cut they would dangle: "Planning of Science," reads better as "Planning of Science…".
_DANGLING = " ,;:-–—(/"

Measure = Callable[[str], int]


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes on one line; control characters count as none (the
    text shown has them made visible first: tui/core/text/safe_text.py)."""
    width = wcwidth.wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth.wcswidth(g), 0) for g in graphemes(text))


def graphemes(text: str) -> Iterator[str]:
    """What a reader sees as one character: a letter with its accents, an emoji with its joiners."""
    split = getattr(wcwidth, "iter_graphemes", None)
    if split is not None:
        yield from split(text)
        return
    cluster = ""
    for ch in text:  # an older wcwidth: marks and joiners stay with the character before them
        if cluster and (wcwidth.wcwidth(ch) == 0 or cluster.endswith("\u200d")):
            cluster += ch
            continue
        if cluster:
            yield cluster
        cluster = ch
    if cluster:
        yield cluster


def cut_cells(text: str, width: int, cells: Measure = cell_width) -> str:
    """The longest start of `text` that fits in `width` cells, never splitting a character."""
    kept: list[str] = []
    used = 0
    for g in graphemes(text):
        used += cells(g)
        if used > width:
            break
        kept.append(g)
    return "".join(kept)


def pad_cells(text: str, width: int, cells: Measure = cell_width) -> str:
    """`text` followed by spaces up to `width` cells (as str.ljust, counting cells)."""
    return text + " " * max(0, width - cells(text))


def fit_cells(text: str, width: int, cells: Measure = cell_width) -> str:
    """`text` on one line in exactly `width` cells: cut with "…" when longer, padded when shorter.
    A table's column: every row's next column starts in the same cell."""
    text = " ".join(text.split())
    if cells(text) > width:
        text = cut_cells(text, width - cells(ELLIPSIS), cells) + ELLIPSIS
    return pad_cells(text, width, cells)


def ellipsize(text: str, width: int, cells: Measure = cell_width) -> str:
    """`text` when it fits in `width` cells; else its longest run of whole words that fits with "…" after.

    A first word longer than the room is cut inside the word: there is no better place.
    """
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    prefix = cut_cells(text, width - cells(ELLIPSIS), cells)
    # Whole words only: unless the cut falls on a space, drop the word it fell inside.
    at_word_end = prefix[-1:].isspace() or text[len(prefix)].isspace()
    if not at_word_end and " " in prefix.strip():
        prefix = prefix[: prefix.rstrip().rfind(" ")]
    return prefix.rstrip(_DANGLING) + ELLIPSIS
