"""Command palette providers: every measure by number, title or text; checklists, export, profiles."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.content.places import NOTICE, PREAMBLE, Place
from tui.screens.base import app_of
from tui.widgets.literal import highlighted, literal

# At most this many measures found by their text, ranked as `/` ranks them, above any title
# matched only letter by letter ("overhead" matches "Improve the Convenience for Researchers to
# Go Abroad" one letter at a time, while measures 17 and 16 hold indirect expenses: issue 25).
TEXT_HITS = 6


def whole_word_score(query: str) -> float:
    """What Textual's fuzzy matcher gives a candidate holding `query` as it stands, at the start
    of a word: (letters + 1 first letter) x 2 (one group) x 1.5 (a substring). Its scores grow
    with the query's length; the search's hits are placed on the same scale, just below it."""
    return 3.0 * (len(query.strip()) + 1)


class MeasuresProvider(Provider):
    """Lists the notice, the preamble and all 30 measures, found by number, by their text (as
    `/` searches it) or by title letters; and checklist items by id. Choosing one opens it."""

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
        app = app_of(self.screen)
        matcher = self.matcher(query)
        stripped = query.strip().lower().removeprefix("measure").strip()
        # An item id ("uni-089") opens the item in its checklist.
        for _, doc in app.workbench.item_ids_in(query):
            role = doc.split("/", 1)[0]
            checklist = app.workbench.catalog.get(role)
            item = checklist.item(doc.split("/", 1)[1]) if checklist else None
            if checklist is None or item is None:
                continue
            text = f"{item.id} · {checklist.title}"
            yield Hit(
                2 * whole_word_score(query),
                highlighted(matcher, text),
                partial(app.open_item, role, item.id),
                text=text,
                help=literal(" ".join(item.text.split())).plain,
            )
        found: dict[Place, tuple[float, str]] = {}
        top = whole_word_score(query)
        if len(stripped) >= 3 and not stripped.isdigit():
            # The measures' text, ranked as `/` ranks it: "patent" offers measure 24, whose title
            # says "intellectual property"; "overhead" offers 17 and 16 first.
            hits = app.search_index.search(query, TEXT_HITS)
            for rank, hit in enumerate(hits):
                found.setdefault(hit.place, (top * (0.95 - 0.05 * rank), " ".join(hit.snippet.split())))
        for text, place in self._entries():
            score = matcher.match(text)
            # "17" should find measure 17 first, not every title containing a 1 and a 7.
            if stripped.isdigit() and place == int(stripped):
                score = 2 * top
            elif place in found:
                score = max(score, found[place][0])
            if score > 0:
                help_text = found[place][1] if place in found else "Open in the reader"
                yield Hit(score, highlighted(matcher, text), partial(self._open, place), text=text, help=help_text)


class WorkbenchProvider(Provider):
    """Checklists, export, profiles and the role lens from the palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        from tui.flows.export import export_checklist, export_report
        from tui.flows.first_run import set_name
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
            ("Your name…", "Whose name the history records with each change", partial(set_name, app)),
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
                (
                    f"Export checklist: {c.title}",
                    f"{c.role} as Markdown, JSON, CSV or Excel (.xlsx)",
                    partial(export_checklist, app, c.role),
                )
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
