"""The reader: contents beside one measure at a time, with history and go-to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding

from tui.core.content.citation import citation
from tui.core.content.places import Place, body_text, place_label, step, where_label
from tui.core.content.policy import Policy, Span
from tui.core.navigation import History
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.keys_line import KeysLine
from tui.widgets.measure_view import Lens, MeasureView

if TYPE_CHECKING:
    from tui.widgets.contents import ContentsList

# At this width and wider the contents show beside the text; narrower, the text gets the room.
# The layout follows the terminal as it is resized; `t` overrides it until the width next
# crosses this line.
WIDE_ENOUGH_FOR_CONTENTS = 100


class ReaderScreen(Bj30Screen[None]):
    help_title = "Reader"

    BINDINGS = [
        Binding("n", "next", "Next", id="reader.next"),
        Binding("p", "previous", "Prev", id="reader.previous"),
        Binding("g", "goto", "Go to", tooltip="Go to a measure, a part, the notice or the preamble", id="reader.goto"),
        # ctrl+←/→ too: in a browser xterm.js sends alt+← as ctrl+← (bj30 serve).
        Binding("left_square_bracket,alt+left,ctrl+left", "back", "Back", show=False, id="reader.back"),
        Binding("right_square_bracket,alt+right,ctrl+right", "forward", "Forward", show=False, id="reader.forward"),
        # The reader's, not the text panel's: space pages the text from the contents too.
        Binding("space", "page_down", "Page down", tooltip="Page down the text", show=False, id="reader.page_down"),
        Binding("t", "toggle_contents", "TOC", tooltip="Show or hide the contents", id="reader.toggle_contents"),
        Binding("c", "copy_citation", "Copy citation", show=False, id="reader.copy_citation"),
        Binding("r", "role_lens", "Role lens", show=False, id="reader.role_lens"),
        Binding("f", "find", "Find in measure", show=False, id="reader.find"),
        Binding("w", "who_acts", "Who acts", tooltip="Who acts in each clause of this measure", show=False, id="reader.who_acts"),
    ]

    def __init__(self, policy: Policy, start: Place) -> None:
        super().__init__()
        self.policy = policy
        self.history: History[Place] = History()
        self.last_find = ""
        self._start = start
        self._shown = False  # on_screen_resume comes once at the start too, after on_mount
        self._was_wide: bool | None = None
        # The user's `t`: shown (True) or hidden (False) whatever the width, until the width next
        # crosses WIDE_ENOUGH_FOR_CONTENTS; None lets the width decide.
        self._contents_choice: bool | None = None

    def _wide(self) -> bool:
        return self.app.size.width >= WIDE_ENOUGH_FOR_CONTENTS

    def compose(self) -> ComposeResult:
        self._was_wide = self._wide()
        # The screen lays its children out side by side (app.tcss): no container of its own
        # to style and lay out; the header and the keys are docked above and below.
        yield HeaderLine(where_label(self.policy, self._start))
        if self._was_wide:
            # Composed with the screen, cursor already on the start place: one layout pass
            # draws the first frame, contents included.
            from tui.widgets.contents import ContentsList

            yield ContentsList(self.policy, self._start, id="contents")
        yield MeasureView(self.policy, id="measure")
        yield KeysLine()

    def on_mount(self) -> None:
        self.open(self._start)
        if self._contents_shown():
            self.contents().focus()
        else:
            self.query_one(MeasureView).focus()

    def contents(self) -> ContentsList:
        """The contents, built on first need: a narrow start never pays for them (nor their import)."""
        from tui.widgets.contents import ContentsList

        found = self.query("#contents")
        if found:
            return found.first(ContentsList)
        contents = ContentsList(self.policy, self.place, id="contents")
        self.mount(contents, before=self.query_one(MeasureView))
        return contents

    def _contents_shown(self) -> bool:
        found = self.query("#contents")
        return bool(found) and found.first().display

    def _show_contents(self, show: bool) -> None:
        if show == self._contents_shown():
            return
        if show:
            self.contents().display = True
            return
        contents = self.contents()
        if contents.has_focus:
            self.query_one(MeasureView).focus()
        contents.display = False

    def _fit_to_width(self) -> None:
        """Show or hide the contents for the terminal's width, unless `t` said otherwise."""
        wide = self._wide()
        if wide != self._was_wide:
            self._contents_choice = None  # crossing the line: the layout follows the terminal again
        self._was_wide = wide
        self._show_contents(wide if self._contents_choice is None else self._contents_choice)

    def on_resize(self) -> None:
        self._fit_to_width()

    # Navigation -------------------------------------------------------------------

    @property
    def place(self) -> Place | None:
        return self.history.current

    def open(
        self, place: Place, highlights: list[Span] | None = None, *, scroll_to: int | None = None, record: bool = True
    ) -> None:
        """Show `place` with `highlights` marked; `record` adds it to the history (back/forward do not)."""
        if record:
            self.history.visit(place)
        self.query_one(MeasureView).show(place, highlights, scroll_to, self._lens(place))
        if self.query("#contents"):  # only once built: a narrow start never builds it
            self.contents().show_place(place)
        self.sub_title = place_label(self.policy, place)
        self.query_one(HeaderLine).show_where(where_label(self.policy, place))
        self.bj30.remember_place(place)

    def _lens(self, place: Place) -> Lens | None:
        """The role lens for a measure: the role's provisions in it, and the items citing it."""
        role = self.bj30.role_lens
        if not role or not isinstance(place, int) or self.bj30.signing_in:
            return None  # (signing in: the store opens as the tab's user, once signed in)
        from tui.core.content.coverage import provisions_of
        from tui.core.content.provisions import load_register
        from tui.widgets.lens import build_lens

        workbench = self.bj30.workbench

        def find() -> Lens:
            checklist = workbench.checklist(role)
            covers = provisions_of(checklist, load_register(), place)
            return build_lens(checklist.title, covers, workbench.items_citing(role, place))

        return self.bj30.attempt(find)

    def on_screen_resume(self) -> None:
        # Back from a checklist or a dialog: statuses and the lens may have changed. (A resize
        # while another screen was on top reaches on_resize as the reader is laid out again.)
        if self._shown and self.place is not None:
            self.query_one(MeasureView).update_lens(self._lens(self.place))
        self._shown = True

    def action_find(self) -> None:
        from tui.dialogs.find import FindDialog

        if self.place is None:
            return
        place = self.place
        index = self.bj30.search_index
        text = body_text(self.policy, place)
        view = self.query_one(MeasureView)
        lens = self._lens(place)  # once: progress does not change while typing a query

        def mark(query: str) -> int:
            spans = index.find_in_text(text, query) if query.strip() else []
            view.show(place, spans or None, lens=lens)
            return len(spans)

        def closed(query: str | None) -> None:
            self.last_find = query or ""

        self.app.push_screen(FindDialog(mark, self.last_find), closed)

    def action_who_acts(self) -> None:
        from tui.core.content.provisions import load_register
        from tui.dialogs.who import WhoDialog

        if not isinstance(self.place, int):
            self.notify("The notice and the preamble have no clauses in the register; open a measure.", timeout=3)
            return
        measure = self.policy.measure(self.place)
        provisions = self.bj30.attempt(lambda: load_register().in_measure(measure.number))
        if provisions is not None:
            self.app.push_screen(WhoDialog(f"measure {measure.number}", provisions))

    def action_role_lens(self) -> None:
        from tui.flows.profiles import choose_role_lens

        choose_role_lens(self.bj30, on_done=lambda: self.open(self.place, record=False) if self.place else None)

    def on_contents_list_opened(self, event: ContentsList.Opened) -> None:
        self.open(event.place)
        if not self._wide():
            # On a narrow terminal the contents were only a way there: give the text the room.
            self._contents_choice = None
            self._show_contents(False)
            self.query_one(MeasureView).focus()

    def _step(self, delta: int) -> None:
        if self.place is None:
            return
        target = step(self.policy, self.place, delta)
        if target is None:
            self.notify(
                "This is the last part of the policy." if delta > 0 else "This is the start of the policy.",
                severity="information",
                timeout=2,
            )
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
        from tui.dialogs.goto import GotoDialog

        def chosen(place: Place | None) -> None:
            if place is not None:
                self.open(place)

        self.app.push_screen(GotoDialog(self.policy), chosen)

    def action_toggle_contents(self) -> None:
        show = not self._contents_shown()
        self._contents_choice = show
        self._show_contents(show)
        (self.contents() if show else self.query_one(MeasureView)).focus()

    def action_page_down(self) -> None:
        self.query_one(MeasureView).action_page_down()

    def action_copy_citation(self) -> None:
        if self.place is None:
            return
        text = citation(self.policy, self.place)
        self.bj30.copy_to_clipboard(text)
        self.notify(text, title="Citation copied", timeout=4, markup=False)
