"""The reader: contents beside one measure at a time, with history and go-to."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from tui.core.citation import citation
from tui.core.history import History
from tui.core.places import Place, place_label, step
from tui.core.policy import Policy
from tui.widgets.contents import ContentsTree
from tui.widgets.measure_view import MeasureView, Span

# At this width and wider the contents panel shows at start; narrower, the text gets the room.
WIDE_ENOUGH_FOR_CONTENTS = 100


class ReaderScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "next", "Next", id="reader.next"),
        Binding("p", "previous", "Prev", id="reader.previous"),
        Binding("g", "goto", "Go to", id="reader.goto"),
        Binding("left_square_bracket,alt+left", "back", "Back", show=False, id="reader.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", show=False, id="reader.forward"),
        Binding("t", "toggle_contents", "Contents", id="reader.toggle_contents"),
        Binding("c", "copy_citation", "Copy citation", show=False, id="reader.copy_citation"),
    ]

    def __init__(self, policy: Policy, start: Place) -> None:
        super().__init__()
        self.policy = policy
        self.history: History[Place] = History()
        self._start = start

    def compose(self) -> ComposeResult:
        with Horizontal(id="reader"):
            yield MeasureView(self.policy, id="measure")
        yield Footer()

    def on_mount(self) -> None:
        self.open(self._start)
        if self.app.size.width >= WIDE_ENOUGH_FOR_CONTENTS:
            self.contents().focus()
        else:
            self.query_one(MeasureView).focus()

    def contents(self) -> ContentsTree:
        """The contents tree, built on first need: a narrow start never pays for it."""
        found = self.query(ContentsTree)
        if found:
            return found.first()
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
        self.query_one(MeasureView).show(place, highlights, scroll_to)
        for tree in self.query(ContentsTree):
            tree.show_place(place)
        self.sub_title = place_label(self.policy, place)
        self.app.remember_place(place)  # type: ignore[attr-defined]

    @on(ContentsTree.Opened)
    def _opened_from_contents(self, event: ContentsTree.Opened) -> None:
        self.open(event.place)
        if self.app.size.width < WIDE_ENOUGH_FOR_CONTENTS:
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

        self.app.push_screen(GotoScreen(self.policy), chosen)

    def action_toggle_contents(self) -> None:
        found = self.query(ContentsTree)
        if not found:
            self.contents().focus()
            return
        contents = found.first()
        contents.display = not contents.display
        (contents if contents.display else self.query_one(MeasureView)).focus()

    def action_copy_citation(self) -> None:
        if self.place is None:
            return
        text = citation(self.policy, self.place)
        self.app.copy_to_clipboard(text)
        self.notify(text, title="Citation copied", timeout=4, markup=False)
