"""Command palette providers: every measure by number and title; checklists, export, profiles."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.places import NOTICE, PREAMBLE, Place
from tui.screens.base import app_of


class MeasuresProvider(Provider):
    """Lists the notice, the preamble and all 30 measures; choosing one opens it."""

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
        for text, place in self._entries():
            score = matcher.match(text)
            # "17" should find measure 17 first, not every title containing a 1 and a 7.
            if stripped.isdigit() and place == int(stripped):
                score = 1.0
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, place), text=text,
                          help="Open in the reader")


class WorkbenchProvider(Provider):
    """Checklists, export, profiles and the role lens from the palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        from tui.flows.export import export_checklist
        from tui.flows.profiles import choose_profile, choose_role_lens
        from tui.screens.checklist import ChecklistScreen

        app = app_of(self.screen)
        workbench = app.workbench
        commands: list[tuple[str, str, Callable[[], None]]] = [
            ("Checklists", "Every role with its progress", app.action_checklists),
            ("Switch profile…", "Choose, create or edit the institution profile",
             partial(choose_profile, app, lambda: None)),
            ("Role lens…", "Mark the provisions that concern one role in the reader",
             partial(choose_role_lens, app, lambda: None)),
        ]
        def open_checklist(role: str) -> None:
            app.push_screen(ChecklistScreen(role))  # built when chosen, not for every keystroke

        for c in workbench.catalog.checklists:
            commands.append((f"Open checklist: {c.title}", c.role, partial(open_checklist, c.role)))
            commands.append((f"Export checklist: {c.title}", f"{c.role} as Markdown, JSON or CSV",
                             partial(export_checklist, app, c.role)))
        return commands

    async def discover(self) -> Hits:
        for text, help_text, action in self._commands():
            yield DiscoveryHit(Content(text), action, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, action in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action, text=text, help=help_text)
