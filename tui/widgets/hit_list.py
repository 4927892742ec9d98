"""A list of search hits: number and title, then the snippet with matched words marked."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.search import SearchHit

MARK = "bold reverse"


def hit_prompt(hit: SearchHit) -> Content:
    head = f"{hit.measure:>2}. {hit.title}" if hit.measure else hit.title
    snippet = Content(hit.snippet)
    for start, end in hit.snippet_spans:
        snippet = snippet.stylize(MARK, start, end)
    return Content.assemble(Content(head).stylize("bold"), "\n", snippet)


class HitList(OptionList):
    """Shows hits; posts HitList.Chosen when one is picked with Enter or a click."""

    class Chosen(Message):
        def __init__(self, hit: SearchHit) -> None:
            self.hit = hit
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        # markup=False: queries, titles and snippets are literal text.
        super().__init__(id=id, markup=False)
        self.hits: list[SearchHit] = []

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits = hits
        options: list[Option | None] = []
        for i, h in enumerate(hits):
            if i:
                options.append(None)  # a separator line between hits
            options.append(Option(hit_prompt(h)))
        self.set_options(options)
        if hits:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.hits[event.option_index]))

    def choose_highlighted(self) -> None:
        if self.highlighted is not None and self.hits:
            self.post_message(self.Chosen(self.hits[self.highlighted]))
