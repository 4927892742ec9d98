"""The table of contents: notice, preamble, then each part as a heading over its numbered measures.

A Line API widget (one Strip per visible row, drawn on demand) rather than a Tree: the contents
are on the first screen of every wide start, and a Tree builds a node object and renders its
guides for every row, on every layout pass. Titles too long for the column end in an ellipsis
at a word boundary (tui/core/text/fit.py), re-cut whenever the width changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.core.content.policy import Policy
from tui.core.text.fit import ellipsize


@dataclass(frozen=True, slots=True)
class Row:
    place: Place  # what Enter opens; a part heading opens its first measure
    prefix: str  # never cut: the indent and the number
    title: str  # cut to the width, at a word boundary
    heading: bool = False


def contents_rows(policy: Policy) -> list[Row]:
    rows = [Row(NOTICE, "", "Notice"), Row(PREAMBLE, "", "Preamble")]
    for part in policy.parts:
        rows.append(Row(part.measures[0].number, f"{part.numeral}. ", part.title, heading=True))
        rows += [Row(m.number, f"  {m.number:>2}. ", m.title) for m in part.measures]
    return rows


class ContentsList(ScrollView, can_focus=True):
    """The policy's contents. Enter or a click posts ContentsList.Opened; the cursor follows show_place."""

    HELP_SECTION = "In the contents"
    COMPONENT_CLASSES = {"contents--heading", "contents--cursor"}

    DEFAULT_CSS = """
    ContentsList {
        overflow-x: hidden;
        & > .contents--heading { text-style: bold; }
        & > .contents--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .contents--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    BINDINGS = [
        Binding("down,j", "cursor(1)", "Down", tooltip="Move down the contents", show=False, id="contents.down"),
        Binding("up,k", "cursor(-1)", "Up", tooltip="Move up the contents", show=False, id="contents.up"),
        Binding("pagedown", "page(1)", "Page down", tooltip="Move a page down the contents", show=False, id="contents.page_down"),
        Binding("pageup", "page(-1)", "Page up", tooltip="Move a page up the contents", show=False, id="contents.page_up"),
        Binding("home", "jump(0)", "First", tooltip="First entry of the contents", show=False, id="contents.first"),
        Binding("end", "jump(-1)", "Last", tooltip="Last entry of the contents", show=False, id="contents.last"),
        Binding(
            "enter",
            "open",
            "Open",
            tooltip="Open the highlighted entry (a part opens its first measure)",
            show=False,
            id="contents.open",
        ),
    ]

    class Opened(Message):
        """The reader asked to open a place."""

        def __init__(self, place: Place) -> None:
            self.place = place
            super().__init__()

    def __init__(self, policy: Policy, place: Place | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = contents_rows(policy)
        self.cursor = 0
        self.set_reactive(ScrollView.virtual_size, Size(0, len(self.rows)))
        if place is not None:
            self.show_place(place)

    # What is highlighted ------------------------------------------------------------

    @property
    def cursor_row(self) -> Row:
        return self.rows[self.cursor]

    def show_place(self, place: Place) -> None:
        """Move the cursor to `place` (its measure row, not its part's heading) without posting Opened."""
        for index, row in enumerate(self.rows):
            if row.place == place and not row.heading:
                self._move(index)
                return

    def _move(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._follow_cursor()
        self.refresh()

    def _follow_cursor(self) -> None:
        """Scroll just enough to keep the cursor in view (once the widget has a size)."""
        height = self.scrollable_content_region.height
        if not height:
            return  # not laid out yet: on_resize comes back here
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self._follow_cursor()

    # Keys and the mouse -------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        self._move(self.cursor + delta * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, index: int) -> None:
        self._move(index % len(self.rows))

    def action_open(self) -> None:
        self.post_message(self.Opened(self.cursor_row.place))

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("row")
        if isinstance(index, int):
            self._move(index)
            self.action_open()

    def on_focus(self) -> None:
        self.refresh()  # the cursor's colours differ with focus

    def on_blur(self) -> None:
        self.refresh()

    # Drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if row.heading:
            style += self.get_component_rich_style("contents--heading", partial=True)
        if index == self.cursor:
            style += self.get_component_rich_style("contents--cursor", partial=True)
        title = ellipsize(row.title, width - cell_len(row.prefix), cell_len)
        text = row.prefix + title
        pad = max(0, width - cell_len(text))
        segments = [Segment(text, style), Segment(" " * pad, style)]
        return Strip(segments, width).crop(0, width).apply_meta({"row": index})
