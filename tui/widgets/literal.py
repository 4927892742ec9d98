"""User text in the TUI: literal (never markup) and with its control characters made visible.

Textual passes ESC and the C1 and bidi controls through to the terminal (it drops only BEL), so
a note could set the terminal's title, clear the screen or write the clipboard. Every place
that builds what the screen shows from user text (notes, owners, titles, profile names, file
names, search snippets, palette hits) goes through `literal` (or `highlighted`), which applies
the core's one rule, tui.core.text.safe_text.visible: ESC shows as \\x1b, RLO as \\u202e.

Editable fields cannot show one thing and hold another, so a dialog fills them with the
visible form (`editable`) and, when the field comes back unchanged, keeps the original
(`as_saved`): opening and saving a note does not rewrite it.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.fuzzy import Matcher

from tui.core.text.fit import fit_cells
from tui.core.text.safe_text import visible


def literal(text: str) -> Content:
    """`text` as Content: no markup, control characters shown as escapes."""
    return Content(visible(text))


def column(text: str, width: int) -> Content:
    """User text as a table's column: literal, on one line, exactly `width` terminal cells (cut
    with "…", padded with spaces), so that the next column starts in the same cell on every row
    whatever the text holds: Chinese takes two cells a character (issue 21, 4)."""
    return Content(fit_cells(visible(text, one_line=True), width, cell_len))


def highlighted(matcher: Matcher, text: str) -> Content:
    """A command-palette hit: `text` literal, the letters that match the query highlighted.

    Textual's Matcher.highlight parses its candidate as markup: a checklist titled
    "[@click=app.quit]Quit[/]" became a clickable quit, and "[link=...]" a MarkupError that
    dropped the checklist from the palette.
    """
    shown = visible(text)
    content = Content(shown)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    if score:
        for offset in offsets:
            if not shown[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def editable(text: str) -> str:
    """What an Input or TextArea is filled with: the visible form of `text`."""
    return visible(text)


def as_saved(value: str, original: str) -> str:
    """The value a dialog returns: `original` if the field still shows it, else what was typed."""
    return original if value == visible(original) else value
