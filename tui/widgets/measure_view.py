"""The reading pane: one place of the policy at a time, laid out for reading."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.core.places import NOTICE, PREAMBLE, Place
from tui.core.policy import Policy

Span = tuple[int, int]
LENS_MARK = "underline $warning"


@dataclass(frozen=True)
class Lens:
    """What the role lens adds to a measure: the duty sentences to mark, the items to list."""

    role_title: str
    spans: list[Span]
    lines: list[Content]  # one per item citing the measure, with its status


class MeasureView(VerticalScroll, can_focus=True):
    """Shows one measure (or the notice or preamble); text is always literal, never markup.

    Styled in app.tcss (one stylesheet parsed once at start-up).
    """

    def __init__(self, policy: Policy, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.policy = policy
        self.place: Place | None = None
        self._highlights: list[Span] | None = None
        self._where = Static(classes="where", markup=False)
        self._title = Static(classes="title", markup=False)
        self._body = Static(classes="body", markup=False)
        self._errata = Static(classes="errata", markup=False)
        self._lens = Static(classes="lens", markup=False)

    def compose(self):  # type: ignore[override]
        yield self._where
        yield self._title
        yield self._body
        yield self._errata
        yield self._lens

    def show(self, place: Place, highlights: list[Span] | None = None, scroll_to: int | None = None,
             lens: Lens | None = None) -> None:
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
            body = Content("\n\n".join((n.addressees, n.text, n.issuer, n.date)))
            offset = len(n.addressees) + 2  # spans are relative to the notice sentence
        elif place == PREAMBLE:
            where, title, text = policy.info.title, "Preamble", policy.preamble
            body, offset = Content(text), 0
        else:
            m = policy.measure(int(place))
            where = f"Part {policy.part_of(m).label}"
            title, text, errata = m.label, m.text, m.errata
            body, offset = Content(text), 0
        for start, end in lens.spans if lens else []:
            body = body.stylize(LENS_MARK, offset + start, offset + end)
        for start, end in highlights or []:
            body = body.stylize("reverse", offset + start, offset + end)
        self._where.update(Content(where))
        self._title.update(Content(title))
        self._body.update(body)
        self._errata.update(Content("\n".join(f"Note on the translation: {e}" for e in errata)))
        self._errata.display = bool(errata)
        if lens and lens.lines:
            head = Content(f"{lens.role_title}: items citing this measure").stylize("bold")
            self._lens.update(Content("\n").join([head, *lens.lines]))
        self._lens.display = bool(lens and lens.lines)
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
