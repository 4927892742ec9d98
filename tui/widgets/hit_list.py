"""A list of search hits, grouped (Policy, Checklist items, Your notes): number and title, then
the snippet with matched words marked, and how the thesaurus led there when it did."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.search.units import SearchHit
from tui.widgets.literal import literal

MARK = "bold reverse"
GROUP_HEADINGS = {"policy": "Policy", "items": "Checklist items", "notes": "Your notes"}


def hit_prompt(hit: SearchHit) -> Content:
    if hit.group == "policy":
        head = f"{hit.measure:>2}. {hit.title}" if hit.measure else hit.title
    else:
        head = f"{hit.title} · measure {hit.measure}" if hit.measure else hit.title
    raw = " ".join(hit.snippet.split()) if hit.group == "notes" else hit.snippet
    snippet = literal(raw)
    # A note's snippet is flattened to one line, and shown control characters lengthen a text:
    # in either case the spans no longer fit.
    if hit.group != "notes" and snippet.plain == raw:
        for start, end in hit.snippet_spans:
            snippet = snippet.stylize(MARK, start, end)
    parts: list[Content | str] = [literal(head).stylize("bold")]
    if hit.partial:
        parts.append(Content(" (partial)").stylize("italic"))
    parts += ["\n", snippet]
    if hit.via:
        parts += ["\n", literal(f"via {hit.via}").stylize("dim italic")]
    if hit.missing:
        # As web search engines show it: the words of the query this hit does not hold.
        parts += ["\n", literal("missing: " + ", ".join(hit.missing)).stylize("italic")]
    return Content.assemble(*parts)


class HitList(OptionList):
    """Shows hits under a heading per group; posts HitList.Chosen when one is picked with Enter
    or a click."""

    class Chosen(Message):
        def __init__(self, hit: SearchHit) -> None:
            self.hit = hit
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        # markup=False: queries, titles, snippets and notes are literal text.
        super().__init__(id=id, markup=False)
        self.hits: list[SearchHit] = []

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits = hits
        options: list[Option | None] = []
        groups = list(dict.fromkeys(h.group for h in hits))
        for i, h in enumerate(hits):
            if i == 0 or hits[i - 1].group != h.group:
                if len(groups) > 1:
                    if options:
                        options.append(None)
                    heading = Content(GROUP_HEADINGS.get(h.group, h.group)).stylize("bold $accent")
                    options.append(Option(heading, id=f"group-{h.group}", disabled=True))
            elif i:
                options.append(None)  # a separator line between hits
            options.append(Option(hit_prompt(h), id=f"hit-{i}"))
        self.set_options(options)
        first = next((i for i, o in enumerate(o for o in options if o is not None) if not o.disabled), None)
        self.highlighted = first

    def _hit_at(self, index: int | None) -> SearchHit | None:
        if index is None or not self.hits:
            return None
        option_id = self.get_option_at_index(index).id or ""
        return self.hits[int(option_id[4:])] if option_id.startswith("hit-") else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self._hit_at(event.option_index)
        if hit is not None:
            self.post_message(self.Chosen(hit))

    def choose_highlighted(self) -> None:
        hit = self._hit_at(self.highlighted)
        if hit is not None:
            self.post_message(self.Chosen(hit))
