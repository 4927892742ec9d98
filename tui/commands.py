"""Command palette providers: every measure by number, title or text; checklists, export, profiles."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.screens.base import app_of
from tui.widgets.literal import highlighted, literal

# At most this many measures found by their text, scored below any title match.
TEXT_HITS = 5
TEXT_SCORE = 0.5


class MeasuresProvider(Provider):
    """Lists the notice, the preamble and all 30 measures, found by number, title or text;
    choosing one opens it."""

    def _entries(self) -> list[tuple[str, Place]]:
        policy = app_of(self.screen).policy
        entries: list[tuple[str, Place]] = [("Notice", NOTICE), ("Preamble", PREAMBLE)]
        entries += [(f"Measure {m.label}", m.number) for m in policy.measures]
        return entries

    def _open(self, place: Place) -> None:
        app_of(self.screen).open_place(place)

    async def discover(self) -> Hits:
        for text, place in self._entries():
            yield DiscoveryHit(Content(text), partial(self._open, place), text=text, help="Open in the reader")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        stripped = query.strip().lower().removeprefix("measure").strip()
        titled: set[Place] = set()
        for text, place in self._entries():
            score = matcher.match(text)
            # "17" should find measure 17 first, not every title containing a 1 and a 7.
            if stripped.isdigit() and place == int(stripped):
                score = 1.0
            if score > 0:
                titled.add(place)
                yield Hit(score, highlighted(matcher, text), partial(self._open, place), text=text, help="Open in the reader")
        # The measures' text too, as `/` searches it: "patent" offers measure 24, whose title
        # says "intellectual property". Ranked below the title matches, best first.
        if len(stripped) >= 3 and not stripped.isdigit():
            entries = dict((place, text) for text, place in self._entries())
            hits = app_of(self.screen).search_index.search(query, TEXT_HITS)
            for rank, hit in enumerate(h for h in hits if h.place not in titled):
                text = entries.get(hit.place, hit.title)
                yield Hit(
                    TEXT_SCORE * (1 - rank / (2 * TEXT_HITS)),
                    Content(text),
                    partial(self._open, hit.place),
                    text=text,
                    help=" ".join(hit.snippet.split()),
                )


class WorkbenchProvider(Provider):
    """Checklists, export, profiles and the role lens from the palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        from tui.flows.export import export_checklist, export_report
        from tui.flows.profiles import choose_profile, choose_role_lens
        from tui.screens.checklist import ChecklistScreen

        app = app_of(self.screen)
        workbench = app.workbench
        commands: list[tuple[str, str, Callable[[], None]]] = [
            ("Checklists", "Every role with its progress", app.action_checklists),
            ("Open actions", "Every item to do or in progress, by due date or owner", app.action_open_actions),
            (
                "Export a report…",
                "One report across one or more roles (a university hospital: both)",
                partial(export_report, app, []),
            ),
            ("Switch profile…", "Choose, create or edit the institution profile", partial(choose_profile, app, lambda: None)),
            (
                "Role lens…",
                "Mark the provisions that concern one role in the reader",
                partial(choose_role_lens, app, lambda: None),
            ),
        ]

        def open_checklist(role: str) -> None:
            app.push_screen(ChecklistScreen(role))  # built when chosen, not for every keystroke

        for c in workbench.catalog.checklists:
            commands.append((f"Open checklist: {c.title}", c.role, partial(open_checklist, c.role)))
            commands.append(
                (f"Export checklist: {c.title}", f"{c.role} as Markdown, JSON or CSV", partial(export_checklist, app, c.role))
            )
        return commands

    async def discover(self) -> Hits:
        for text, help_text, action in self._commands():
            yield DiscoveryHit(literal(text), action, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, action in self._commands():
            score = matcher.match(text)
            if score > 0:
                # Built from Content, not markup: a checklist's title is shown as typed (issue 12, 6).
                yield Hit(score, highlighted(matcher, text), action, text=text, help=help_text)
