"""The reader: contents beside one measure at a time, with history and go-to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from tui.core.citation import citation
from tui.core.errors import Bj30Error
from tui.core.history import History
from tui.core.places import Place, place_label, step
from tui.core.policy import Policy
from tui.screens.access import bj30
from tui.widgets.measure_view import Lens, MeasureView, Span
from tui.widgets.progress_text import status_box

if TYPE_CHECKING:
    from tui.widgets.contents import ContentsTree

# At this width and wider the contents panel shows at start; narrower, the text gets the room.
WIDE_ENOUGH_FOR_CONTENTS = 100


class ReaderScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "next", "Next", id="reader.next"),
        Binding("p", "previous", "Prev", id="reader.previous"),
        Binding("g", "goto", "Go to", tooltip="Go to measure", id="reader.goto"),
        Binding("left_square_bracket,alt+left", "back", "Back", show=False, id="reader.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", show=False, id="reader.forward"),
        Binding("t", "toggle_contents", "TOC", tooltip="Show or hide the contents", id="reader.toggle_contents"),
        Binding("c", "copy_citation", "Copy citation", show=False, id="reader.copy_citation"),
        Binding("r", "role_lens", "Role lens", show=False, id="reader.role_lens"),
        Binding("f", "find", "Find in measure", show=False, id="reader.find"),
    ]

    def __init__(self, policy: Policy, start: Place) -> None:
        super().__init__()
        self.policy = policy
        self.history: History[Place] = History()
        self.last_find = ""
        self._start = start

    def compose(self) -> ComposeResult:
        with Horizontal(id="reader"):
            yield MeasureView(self.policy, id="measure")
        yield Footer()

    def on_mount(self) -> None:
        self.open(self._start)
        if bj30(self).size.width >= WIDE_ENOUGH_FOR_CONTENTS:
            self.contents().focus()
        else:
            self.query_one(MeasureView).focus()

    def contents(self) -> ContentsTree:
        """The contents tree, built on first need: a narrow start never pays for it (nor its import)."""
        from tui.widgets.contents import ContentsTree

        found = self.query("#contents")
        if found:
            return found.first(ContentsTree)
        tree = ContentsTree(self.policy, id="contents")
        self.query_one("#reader").mount(tree, before=0)
        if self.place is not None:
            self.call_after_refresh(tree.show_place, self.place)
        return tree

    # Navigation -------------------------------------------------------------------

    @property
    def place(self) -> Place | None:
        return self.history.current

    def open(self, place: Place, highlights: list[Span] | None = None, *, scroll_to: int | None = None,
             record: bool = True) -> None:
        """Show `place` with `highlights` marked; `record` adds it to the history (back/forward do not)."""
        if record:
            self.history.visit(place)
        self.query_one(MeasureView).show(place, highlights, scroll_to, self._lens(place))
        if self.query("#contents"):  # only once built: a narrow start never builds it
            self.contents().show_place(place)
        self.sub_title = place_label(self.policy, place)
        bj30(self).remember_place(place)

    def _lens(self, place: Place) -> Lens | None:
        """The role lens for a measure: its duty sentences for the chosen role, and the items citing it."""
        role = bj30(self).ui_state.role
        if not role or not isinstance(place, int):
            return None
        workbench = bj30(self).workbench
        try:
            states = workbench.items_citing(role, place)
            title = workbench.checklist(role).title
        except Bj30Error as exc:
            bj30(self).report(exc)
            return None
        bj30(self).report()
        spans = [span for s in states if (span := workbench.quote_span(s.item, place))]
        lines = [Content.assemble(status_box(s.status), " ", Content(s.item.id).stylize("bold"), "  ",
                                  Content(s.item.text)) for s in states]
        return Lens(title, spans, lines)

    def on_screen_resume(self) -> None:
        # Back from a checklist or a dialog: statuses and the lens may have changed.
        if self.place is not None and self.is_mounted:
            self.query_one(MeasureView).update_lens(self._lens(self.place))

    def action_find(self) -> None:
        from tui.core.places import body_text
        from tui.screens.dialogs import FindDialog

        if self.place is None:
            return
        place = self.place
        index = bj30(self).search_index
        text = body_text(self.policy, place)
        view = self.query_one(MeasureView)
        lens = self._lens(place)  # once: progress does not change while typing a query

        def mark(query: str) -> int:
            spans = index.find_in_text(text, query) if query.strip() else []
            view.show(place, spans or None, lens=lens)
            return len(spans)

        def closed(query: str | None) -> None:
            self.last_find = query or ""

        bj30(self).push_screen(FindDialog(mark, self.last_find), closed)

    def action_role_lens(self) -> None:
        from tui.screens.profiles import choose_role_lens

        choose_role_lens(bj30(self), on_done=lambda: self.open(self.place, record=False) if self.place else None)

    def on_contents_tree_opened(self, event: ContentsTree.Opened) -> None:
        self.open(event.place)
        if bj30(self).size.width < WIDE_ENOUGH_FOR_CONTENTS:
            # On a narrow terminal the contents were only a way there: give the text the room.
            self.contents().display = False
            self.query_one(MeasureView).focus()

    def _step(self, delta: int) -> None:
        if self.place is None:
            return
        target = step(self.policy, self.place, delta)
        if target is None:
            self.notify("This is the last part of the policy." if delta > 0 else "This is the start of the policy.",
                        severity="information", timeout=2)
            return
        self.open(target)

    def action_next(self) -> None:
        self._step(+1)

    def action_previous(self) -> None:
        self._step(-1)

    def action_back(self) -> None:
        place = self.history.back()
        if place is None:
            self.notify("No earlier page in the history.", timeout=2)
        else:
            self.open(place, record=False)

    def action_forward(self) -> None:
        place = self.history.forward()
        if place is None:
            self.notify("No later page in the history.", timeout=2)
        else:
            self.open(place, record=False)

    def action_goto(self) -> None:
        from tui.screens.goto import GotoScreen

        def chosen(number: int | None) -> None:
            if number is not None:
                self.open(number)

        bj30(self).push_screen(GotoScreen(self.policy), chosen)

    def action_toggle_contents(self) -> None:
        if not self.query("#contents"):
            self.contents().focus()
            return
        contents = self.contents()
        contents.display = not contents.display
        (contents if contents.display else self.query_one(MeasureView)).focus()

    def action_copy_citation(self) -> None:
        if self.place is None:
            return
        text = citation(self.policy, self.place)
        bj30(self).copy_to_clipboard(text)
        self.notify(text, title="Citation copied", timeout=4, markup=False)
