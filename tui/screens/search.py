"""Live search across the policy, the checklist items and your notes: type, see hits at once,
grouped; Enter opens a policy hit in the reader, an item (or a note's item) in its checklist."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from tui.core.search.units import MAX_QUERY_CHARS, Found, SearchHit
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.hit_list import HitList
from tui.widgets.keys_line import KeysLine
from tui.widgets.literal import literal

# Wait this long after a keystroke before searching: typing never waits for a search,
# and a burst of keys runs one search, not one per key.
DEBOUNCE_S = 0.04
# At most this many hits per group (policy, items, notes).
RESULT_LIMIT = 20

# Runs a query over the groups, at most `limit` hits each: Workbench.answer, in the app.
Search = Callable[[str, int], Found]


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    hit: SearchHit | None  # None when the reader went back without choosing


class SearchScreen(Bj30Screen[SearchOutcome]):
    """Dismisses with the query and the chosen hit (None on Escape)."""

    help_title = "Search"
    offers_search = False  # already here: the app's `/` is not offered (see Bj30App.check_action)

    DEFAULT_CSS = """
    #search-input {
        margin: 0 1;
    }

    #search-status {
        color: $text-muted;
        padding: 0 2;
    }

    #search-status.not-said {
        color: $text;
        text-style: bold;
    }

    #search-hits {
        height: 1fr;
        border: none;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="search.close"),
        Binding("down", "move(1)", "Next hit", show=False, id="search.next_hit"),
        Binding("up", "move(-1)", "Previous hit", show=False, id="search.previous_hit"),
        Binding("enter", "choose", "Open", id="search.open", priority=True),
    ]

    def __init__(self, search: Search, query: str = "") -> None:
        super().__init__()
        self.search = search
        self.initial_query = query
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield HeaderLine("Search")
        yield Input(
            value=self.initial_query,
            placeholder="Search the 30 Measures, checklists and notes",
            id="search-input",
            max_length=MAX_QUERY_CHARS,
        )
        yield Static("", id="search-status", markup=False)
        yield HitList(id="search-hits")
        yield KeysLine()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._run(self.initial_query, debounce=False)

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._run(event.value)

    def _run(self, query: str, debounce: bool = True) -> None:
        # A coroutine function, not a coroutine: a burst of keys cancels each search before its
        # task has started, and a coroutine made for it would never be awaited ("coroutine
        # 'SearchScreen._search' was never awaited", issue 21). Textual calls it when the worker runs.
        async def work() -> None:
            await self._search(query, debounce)

        self.run_worker(work, exclusive=True, group="search")  # type: ignore[arg-type]  # Textual types it Coroutine[None, None, T]

    async def _search(self, query: str, debounce: bool) -> None:
        if debounce:
            await asyncio.sleep(DEBOUNCE_S)  # cancelled here if another key arrives
        result = self.bj30.attempt(lambda: self.search(query, RESULT_LIMIT))
        self.show_results(query, result or Found(query, []))

    def show_results(self, query: str, result: Found) -> None:
        hits = result.hits
        self.hits = hits
        self.query_one(HitList).show_hits(hits)
        status = self.query_one("#search-status", Static)
        # What the policy does not say comes first: "does it say anything about X?" has "no" as an answer.
        said: list[str] = []
        if result.never:
            said.append(f"The 30 Measures never mention: {', '.join(result.never)}.")
        if result.addressed is False and not result.answered:
            said.append("Nothing in the policy addresses this." + (" The nearest, partial:" if hits else ""))
        status.set_class(bool(said), "not-said")
        if not query.strip():
            status.update("Type words to find; e.g. indirect expenses, intellectual property, customs.")
        elif said:
            status.update(literal(" ".join(said)))
        elif not hits:
            status.update(literal(f"No match for {query.strip()[:60]!r}. Try fewer or other words."))
        else:
            status.update(f"{found(hits)} found · ↑↓ choose · enter opens")

    def action_move(self, delta: int) -> None:
        hits = self.query_one(HitList)
        if hits.option_count:
            hits.action_cursor_down() if delta > 0 else hits.action_cursor_up()

    def action_choose(self) -> None:
        self.query_one(HitList).choose_highlighted()

    @on(HitList.Chosen)
    def _chosen(self, event: HitList.Chosen) -> None:
        self.dismiss(SearchOutcome(self.query_text, event.hit))

    def action_close(self) -> None:
        self.dismiss(SearchOutcome(self.query_text, None))


def found(hits: list[SearchHit]) -> str:
    """'3 places, 2 items, 1 note': how many hits each group has."""
    names = {"policy": "place", "items": "item", "notes": "note"}
    counts = {g: sum(h.group == g for h in hits) for g in names}
    return ", ".join(f"{n} {names[g]}{'s' if n != 1 else ''}" for g, n in counts.items() if n)
