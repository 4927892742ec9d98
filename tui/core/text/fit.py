"""Fitting a line of text into a number of terminal cells: cut at a word boundary, then "…"."""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"
# Left at the end of a cut they would dangle: "Planning of Science," reads better as "Planning of Science…".
_DANGLING = " ,;:-–—(/"


def ellipsize(text: str, width: int, cells: Callable[[str], int] = len) -> str:
    """`text` when it fits in `width` cells; else its longest run of whole words that fits with "…" after.

    `cells` measures a string in terminal cells (the UI passes rich's cell_len for wide characters).
    A first word longer than the room is cut inside the word: there is no better place.
    """
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    room = width - cells(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for ch in text:
        used += cells(ch)
        if used > room:
            break
        kept.append(ch)
    prefix = "".join(kept)
    # Whole words only: unless the cut falls on a space, drop the word it fell inside.
    at_word_end = prefix[-1:].isspace() or text[len(prefix)].isspace()
    if not at_word_end and " " in prefix.strip():
        prefix = prefix[: prefix.rstrip().rfind(" ")]
    return prefix.rstrip(_DANGLING) + ELLIPSIS
