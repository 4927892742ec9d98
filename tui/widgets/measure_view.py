"""The reading pane: one place of the policy at a time, laid out for reading."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.core.content.policy import Policy, Span


@dataclass(frozen=True)
class Lens:
    """What the role lens adds to a measure: the clauses to mark (each with its style), and the
    lines to list below the text (the role's provisions here, the items citing the measure)."""

    marks: list[tuple[Span, str]]
    lines: list[Content]


class MeasureView(VerticalScroll, can_focus=True):
    """Shows one measure (or the notice or preamble); text is always literal, never markup.

    Styled in app.tcss. Few widgets on purpose: each one costs start-up time, so the part and
    title share one, and the translation notes and the role lens are mounted when first needed.
    """

    HELP_SECTION = "In the text"
    # The scroll keys VerticalScroll has, given ids and words so the help lists them. (`space`
    # pages down from anywhere in the reader: it is the reader's binding, not this panel's.)
    BINDINGS = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="measure.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="measure.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="measure.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="measure.page_up"),
        Binding("home", "scroll_home", "Top", tooltip="Top of the text", show=False, id="measure.top"),
        Binding("end", "scroll_end", "End", tooltip="End of the text", show=False, id="measure.end"),
    ]

    def __init__(self, policy: Policy, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.policy = policy
        self.place: Place | None = None
        self._highlights: list[Span] | None = None
        self._head = Static(classes="head", markup=False)
        self._body = Static(classes="body", markup=False)
        self._errata: Static | None = None
        self._lens: Static | None = None

    def compose(self):  # type: ignore[override]
        yield self._head
        yield self._body

    def _section(self, content: Content | None, name: str) -> Static | None:
        """Show `content` in the named section below the text, mounting it on first use."""
        section: Static | None = getattr(self, f"_{name}")
        if content is None:
            if section is not None:
                section.display = False
            return section
        if section is None:
            section = Static(classes=name, markup=False)
            setattr(self, f"_{name}", section)
            self.mount(section)
        section.update(content)
        section.display = True
        return section

    def show(
        self, place: Place, highlights: list[Span] | None = None, scroll_to: int | None = None, lens: Lens | None = None
    ) -> None:
        """Show `place`; `highlights` are character spans of its text to mark.

        The view scrolls to character `scroll_to` of the text, or else to the first highlight.
        """
        self.place = place
        self._highlights = highlights
        offset, plain = self._fill(place, highlights, lens)
        self.scroll_home(animate=False)
        if scroll_to is None and highlights:
            scroll_to = min(start for start, _ in highlights)
        if scroll_to is not None:
            self.call_after_refresh(self._scroll_to_char, offset + scroll_to, plain)

    def update_lens(self, lens: Lens | None) -> None:
        """Redraw the current place with a new lens, keeping its highlights and scroll position."""
        if self.place is not None:
            self._fill(self.place, self._highlights, lens)

    def _fill(self, place: Place, highlights: list[Span] | None, lens: Lens | None) -> tuple[int, str]:
        """Fill the widgets; return where the spans' text starts in the body, and the body's text."""
        policy = self.policy
        errata: tuple[str, ...] = ()
        if place == NOTICE:
            n = policy.notice
            where, title, text = policy.info.title, "Notice", n.text
            body = Content(n.full_text)
            offset = len(n.addressees) + 2  # spans are relative to the notice sentence
        elif place == PREAMBLE:
            where, title, text = policy.info.title, "Preamble", policy.preamble
            body, offset = Content(text), 0
        else:
            m = policy.measure(int(place))
            where = f"Part {policy.part_of(m).label}"
            title, text, errata = m.label, m.text, m.errata
            body, offset = Content(text), 0
        for (start, end), style in lens.marks if lens else []:
            body = body.stylize(style, offset + start, offset + end)
        for start, end in highlights or []:
            body = body.stylize("reverse", offset + start, offset + end)
        self._head.update(Content.assemble(Content(where).stylize("dim"), "\n\n", Content(title).stylize("bold $accent")))
        self._body.update(body)
        notes = Content("\n".join(f"Note on the translation: {e}" for e in errata)) if errata else None
        self._section(notes, "errata")
        listing = None
        if lens and lens.lines:
            listing = Content("\n").join(lens.lines)
        self._section(listing, "lens")
        return offset, body.plain

    def _scroll_to_char(self, index: int, plain: str) -> None:
        """Scroll so the line holding character `index` of the body sits near the top."""
        width = max(10, self._body.content_region.width)
        before = plain[:index]
        lines = 0
        for para in before.split("\n"):
            lines += max(1, len(textwrap.wrap(para, width)) if para else 1)
        target = self._body.virtual_region.y + lines - 1
        self.scroll_to(y=max(0, target - 3), animate=False)
