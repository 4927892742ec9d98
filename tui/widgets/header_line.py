"""The header line on every screen: the app, where you are, the institution and the role lens.

    bj30 · Measure 17 · Part IV                  Peking University · lens: university

Where you are is the screen's to say (`show_where`); the institution and the lens are the
app's: it sets `right` on every header line, when one is shown (the line asks with a `Shown`
message, bubbling up to the app) and whenever they change. The widget never imports the app.
Too narrow for both, the right side is cut at a word and then dropped; where you are stays.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tui.core.text.fit import ellipsize
from tui.core.text.safe_text import visible

APP = "bj30"
MIN_RIGHT = 12  # narrower than this, the institution and lens are dropped rather than cut to nothing


def header_text(where: str, right: str, width: int) -> Content:
    """The line for `width` cells: `APP · where` on the left, `right` flush right.

    Both may hold user text (a checklist's role, an institution): shown literally, control
    characters made visible (tui/core/text/safe_text.py), and on one line whatever they hold.
    """
    where, right = (" ".join(visible(text).split()) for text in (where, right))
    left = f"{APP} · {where}" if where else APP
    left = ellipsize(left, width - 2, cell_len)
    room = width - 2 - cell_len(left) - 3
    shown_right = ellipsize(right, room, cell_len) if right and room >= MIN_RIGHT else ""
    pad = width - 2 - cell_len(left) - cell_len(shown_right)
    name, rest = (APP, left[len(APP) :]) if left.startswith(APP) else ("", left)
    return Content.assemble(
        " ",
        Content(name).stylize("bold $accent"),
        Content(rest),
        " " * max(1, pad),
        Content(shown_right).stylize("$text-muted"),
        " ",
    )


class HeaderLine(Widget):
    DEFAULT_CSS = """
    HeaderLine {
        dock: top;
        height: 1;
        background: $panel;
    }
    """

    right: reactive[str] = reactive("", layout=False)  # the institution, the lens, who: the app's words

    class Shown(Message):
        """A header line is on screen: the app answers by setting its `right`."""

        def __init__(self, header: HeaderLine) -> None:
            super().__init__()
            self.header = header

    def __init__(self, where: str = "") -> None:
        super().__init__()
        self.where = where

    def on_mount(self) -> None:
        self.post_message(self.Shown(self))

    def show_where(self, where: str) -> None:
        if where != self.where:
            self.where = where
            self.refresh()

    def render(self) -> Content:
        return header_text(self.where, self.right, self.size.width)
