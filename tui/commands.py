"""Command palette providers: every measure by number and title, and the app's screens."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.places import NOTICE, PREAMBLE, Place


class MeasuresProvider(Provider):
    """Lists the notice, the preamble and all 30 measures; choosing one opens it."""

    def _entries(self) -> list[tuple[str, Place]]:
        policy = self.app.policy  # type: ignore[attr-defined]
        entries: list[tuple[str, Place]] = [("Notice", NOTICE), ("Preamble", PREAMBLE)]
        entries += [(f"Measure {m.label}", m.number) for m in policy.measures]
        return entries

    def _open(self, place: Place) -> None:
        self.app.open_place(place)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for text, place in self._entries():
            yield DiscoveryHit(Content(text), partial(self._open, place), text=text, help="Open in the reader")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        stripped = query.strip().lower().removeprefix("measure").strip()
        for text, place in self._entries():
            score = matcher.match(text)
            # "17" should find measure 17 first, not every title containing a 1 and a 7.
            if stripped.isdigit() and place == int(stripped):
                score = 1.0
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, place), text=text,
                          help="Open in the reader")
