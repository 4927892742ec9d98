"""One role's checklist: items grouped by part and measure, ticked, annotated, filtered.

The store is read and written in the app's store thread (tui/store_jobs.py), never on the event
loop: the checklist, its evidence and its history are read at once when it opens (and when others
change it), so a cursor move reads nothing; a change shows once the store has it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.errors import Bj30Error
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import ChecklistState, ItemState
from tui.core.progress.status import FILTERS
from tui.core.store.model import HistoryEntry, ItemProgress, RemoteChange, summarise
from tui.core.text.localtime import today
from tui.core.text.safe_text import visible
from tui.core.ui_state import ListPlace
from tui.core.workbench import Workbench
from tui.core.workbench.evidence import records
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.item_detail import ItemDetail
from tui.widgets.keys_line import KeysLine
from tui.widgets.literal import literal
from tui.widgets.progress_text import bar_width, item_line, progress_line
from tui.widgets.vim_list import VimOptionList

# How often an open checklist looks for others' changes: within a second of a commit (a
# team store announces it; a SQLite file's version is one cheap PRAGMA).
POLL_SECONDS = 0.5
# At most this many lines for others' changes at once; the rest are counted.
NOTICE_LINES = 3
FILTER_NAMES = tuple(FILTERS)
# A save still under way after this long says so in the progress line.
SAVING_SHOWN_AFTER_S = 0.15
# From this width the rows show each item's owner and due date in columns.
WIDE_ENOUGH_FOR_COLUMNS = 110


@dataclass(frozen=True)
class Loaded:
    """What the store thread read for the screen: the state, and each item's evidence and history."""

    state: ChecklistState
    evidence: dict[str, list[Evidence]]
    history: dict[str, list[HistoryEntry]]


def load(workbench: Workbench, role: str) -> Loaded:
    """In the store thread: everything the screen shows of a role (opening the store if need be)."""
    state = workbench.state(role)
    evidence, history = records(workbench, role)
    return Loaded(state, evidence, history)


class ItemList(VimOptionList):
    """The checklist's items; enter (in the footer as Open) or a double click opens the item's
    measure, a click selects it."""

    click_opens = False

    BINDINGS = [
        Binding("enter", "select", "Open", tooltip="Open the item's measure in the reader, quote marked", id="checklist.open")
    ]


class ChecklistScreen(Bj30Screen[None]):
    DEFAULT_CSS = """
    #checklist-title, #checklist-progress {
        padding: 0 1;
        height: auto;
    }

    /* One line per item; the detail pane below shows the whole statement. */
    #items {
        height: 1fr;
        border: none;
        scrollbar-size-vertical: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("space", "toggle_done", "Done", tooltip="Toggle done", id="checklist.toggle_done"),
        Binding("d", "set('doing')", "Doing", tooltip="Mark doing", id="checklist.doing"),
        Binding("u", "set('todo')", "To do", tooltip="Back to to do", id="checklist.todo"),
        Binding("a", "not_applicable", "N/A", tooltip="Not applicable (asks why)", id="checklist.na"),
        Binding("e", "edit_note", "Note", tooltip="Edit note, owner and due date", id="checklist.note"),
        Binding(
            "v", "add_evidence", "Evidence", tooltip="Attach evidence: a file, a URL or a reference", id="checklist.evidence"
        ),
        Binding(
            "V",
            "remove_evidence",
            "Remove ev.",
            tooltip="Remove one of the item's evidence (kept in the history)",
            id="checklist.remove_evidence",
        ),
        Binding("f", "cycle_filter", "Filter", tooltip="Filter: all, open, done, N/A", id="checklist.filter"),
        Binding("x", "export", "Export", tooltip="Export as .md, .json, .csv or .xlsx", id="checklist.export"),
        Binding("escape", "back", "Back", tooltip="Back to the checklists", id="checklist.back"),
        # They work here too; the footer keeps to what this screen does (the help lists them).
        Binding("slash", "app.search", "Search", show=False, id="checklist.search"),
        Binding("l", "app.checklists", "Checklists", show=False, id="checklist.checklists"),
    ]

    help_title = "Checklist"
    # Which items show; changing it refills the list (watch_filter).
    filter: reactive[str] = reactive("all", init=False)

    def __init__(self, role: str, select: str | None = None) -> None:
        super().__init__()
        self.role = role
        self.state: ChecklistState | None = None
        self.evidence: dict[str, list[Evidence]] = {}
        self.history: dict[str, list[HistoryEntry]] = {}
        self._select = select  # an item to show first (opened from a search hit)
        self._restore_scroll: float | None = None  # where the list was when the officer last left it
        self._columns = False
        self._id_width = 0
        self.saving: dict[str, str] = {}  # item id -> what is being saved, until the store has it
        self._polling = False

    def compose(self) -> ComposeResult:
        yield HeaderLine(f"Checklist {self.role}")
        yield Static("", id="checklist-title", markup=False)
        yield Static("", id="checklist-progress", markup=False)
        yield ItemList(id="items", markup=False)
        yield ItemDetail(id="item-detail")
        yield KeysLine()

    def on_mount(self) -> None:
        app = self.bj30
        app.last_role = self.role  # the list is filled by on_screen_resume, which follows
        place = app.checklist_places.get(self.role)
        if place is not None:  # back where the officer was: the item, the filter, the scroll (issue 21, 6)
            self._select = self._select or place.item_id
            self.filter = place.filter if place.filter in FILTERS else "all"
            self._restore_scroll = place.scroll_y
        self.query_one(ItemDetail).say("Reading the checklist…")
        self.query_one("#items", OptionList).focus()
        self.watch(self.query_one("#items", OptionList), "scroll_y", self._remember_place, init=False)
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Others' changes (another officer, another bj30, `bj30 mark`), looked for in the store thread."""
        if not self.is_current or self._polling or self.state is None or self.bj30.store_jobs.busy:
            return
        self._polling = True
        workbench, role = self.bj30.workbench, self.role

        def job() -> tuple[list[RemoteChange] | None, Loaded | None]:
            changes = workbench.changes_elsewhere()
            return changes, (load(workbench, role) if changes is not None else None)

        def done(result: tuple[list[RemoteChange] | None, Loaded | None]) -> None:
            self._polling = False
            changes, loaded = result
            if loaded is None or changes is None or not self.is_attached:
                return
            self._loaded(loaded, self.current_id)
            for line in summarise([c for c in changes if c.role == self.role], NOTICE_LINES):
                self.bj30.notify(line, timeout=6)

        def failed(exc: Bj30Error) -> None:
            self._polling = False  # said already by the workbench (the store went away): keep what is shown
            if self.is_attached and self.state is not None:
                self._header()

        self.bj30.store_jobs.run(job, done, failed)

    def on_screen_resume(self) -> None:
        self._columns = self.size.width >= WIDE_ENOUGH_FOR_COLUMNS
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        if self.state is None:
            return
        self._header()  # the bar's width follows the terminal's
        columns = event.size.width >= WIDE_ENOUGH_FOR_COLUMNS
        if columns != self._columns:
            self._columns = columns
            self._fill(self.current_id)

    # Building the view ----------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the checklist again, in the store thread; shown when read."""
        workbench, role = self.bj30.workbench, self.role
        first = self.loading = self.state is None

        def job() -> Loaded:
            loaded = load(workbench, role)
            if first:
                workbench.changes_elsewhere()  # from now on, what others change is noticed
            return loaded

        def failed(exc: Bj30Error) -> None:
            self.loading = False
            self.bj30.notify(str(exc), severity="error", timeout=8)
            if self.is_attached and self.state is None:
                self.query_one(ItemDetail).say(f"The checklist cannot be read: {visible(str(exc))}")

        self.bj30.store_jobs.run(job, lambda loaded: self._loaded(loaded, keep), failed)

    def _loaded(self, loaded: Loaded, keep: str | None) -> None:
        self.loading = False
        if not self.is_attached:
            return  # closed meanwhile
        self.state, self.evidence, self.history = loaded.state, loaded.evidence, loaded.history
        self._id_width = max((cell_len(visible(i.item.id, one_line=True)) for i in self.state.items), default=0)
        keep, self._select = keep or self._select or self.current_id, None
        self._fill(keep)
        self._header()
        if self._restore_scroll is not None:
            listing, y = self.query_one("#items", OptionList), self._restore_scroll
            self._restore_scroll = None

            def restore() -> None:
                listing.scroll_to(y=y, animate=False, immediate=True)
                listing.scroll_to_highlight()  # the item stays in view whatever the height now

            self.call_after_refresh(restore)

    def show_item(self, item_id: str) -> None:
        """Highlight an item, showing every item if the filter hides it."""
        shown = self.state.state_of(item_id) if self.state is not None else None
        if shown is None:
            self._select = item_id  # once the checklist has been read
            return
        if shown.status not in FILTERS[self.filter]:
            self.filter = "all"
        self._fill(item_id)
        self._header()

    def watch_filter(self) -> None:
        if self.state is not None:
            self._fill(self.current_id)
            self._header()
            self._remember_place()

    def _header(self) -> None:
        assert self.state is not None
        c = self.state.checklist
        extra = []
        if self.saving:
            extra.append("saving " + ", ".join(self.saving) + "…")
        if self.state.needing_review:
            extra.append(f"{len(self.state.needing_review)} to review")
        if self.state.orphans:
            extra.append(f"{len(self.state.orphans)} kept from retired items")
        if self.bj30.workbench.read_only:
            extra.append("READ-ONLY")
        counts = self.state.counts
        self.query_one(HeaderLine).show_where(f"Checklist {c.role} · {counts.done}/{counts.applicable} done ({counts.percent}%)")
        self.query_one("#checklist-title", Static).update(literal(c.title).stylize("bold"))
        self.query_one("#checklist-progress", Static).update(
            Content.assemble(
                progress_line(self.state.counts, bar_width(self.app.size.width, 16)),
                Content(f" · filter: {self.filter}").stylize("dim"),
                literal("".join(f" · {e}" for e in extra)).stylize("$warning"),
            )
        )

    def _fill(self, keep: str | None) -> None:
        assert self.state is not None
        policy = self.bj30.policy
        wanted = FILTERS[self.filter]
        options: list[Option] = []
        for number, states in self.state.by_measure().items():
            shown = [s for s in states if s.status in wanted]
            if not shown:
                continue
            m = policy.measure(number)
            head = Content.assemble(
                Content(f"Part {m.part} · ").stylize("dim"), Content(f"{m.number}. {m.title}").stylize("bold $accent")
            )
            options.append(Option(head, id=f"measure-{m.number}", disabled=True))
            options += [Option(self._row(s), id=s.item.id) for s in shown]
        listing = self.query_one("#items", OptionList)
        listing.set_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            listing.highlighted = ids.index(keep)
        else:
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            listing.highlighted = first
        self._detail()

    def _row(self, s: ItemState) -> Content:
        """An item's row: with owner and due-date columns when the screen is wide enough."""
        return item_line(s, columns=self._columns, id_width=self._id_width, today=today())

    @property
    def current_id(self) -> str | None:
        listing = self.query_one("#items", OptionList)
        option = listing.highlighted_option
        return option.id if option is not None and not option.disabled else None

    @property
    def current(self) -> ItemState | None:
        item_id = self.current_id
        return self.state.state_of(item_id) if self.state and item_id else None

    def _detail(self) -> None:
        """The detail pane for the highlighted item: from what was read with the checklist."""
        s = self.current
        pane = self.query_one(ItemDetail)
        if s is not None:
            pane.show(s, self.evidence.get(s.item.id, []), self.history.get(s.item.id, []))
        elif self.state is not None and self.query_one("#items", OptionList).highlighted is None:
            pane.say(f"No items match the filter '{self.filter}'. Press f to change it.")
        else:
            pane.say("")

    def _remember_place(self) -> None:
        if self.state is not None and self.is_attached:
            listing = self.query_one("#items", OptionList)
            self.bj30.checklist_places[self.role] = ListPlace(self.current_id, self.filter, listing.scroll_y)

    @on(OptionList.OptionHighlighted, "#items")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail()
        self._remember_place()

    def save(self, s: ItemState, what: str, **changes: str) -> None:
        """Commit a change to an item in the store thread; the row shows it once the store has it."""
        workbench, role, item = self.bj30.workbench, self.role, s.item
        self.saving[item.id] = what

        def still_saving() -> None:
            if item.id in self.saving and self.is_attached and self.state is not None:
                self._header()  # "saving uni-033…": only a save that takes a while says so (a frame less)

        self.set_timer(SAVING_SHOWN_AFTER_S, still_saving)

        def job() -> tuple[ItemProgress, list[HistoryEntry]]:
            return workbench.update(role, item, **changes), workbench.history(role, item.id)  # type: ignore[arg-type]

        def done(result: tuple[ItemProgress, list[HistoryEntry]]) -> None:
            self.saving.pop(item.id, None)
            progress, self.history[item.id] = result
            if self.is_attached and self.state is not None:
                self.changed(progress)

        def failed(exc: Bj30Error) -> None:
            self.saving.pop(item.id, None)
            self.bj30.notify(str(exc), severity="error", timeout=8)
            if self.is_attached and self.state is not None:
                self._header()  # it may have just become read-only (the team store went away): say it now

        self.bj30.store_jobs.run(job, done, failed)

    def changed(self, progress: ItemProgress, history: list[HistoryEntry] | None = None) -> None:
        """Show one item's new progress: its row (or its going, when the filter now hides it), the
        header and the detail, at a cost that does not grow with the checklist (a tick in a
        10,000-item checklist costs what it does in a small one)."""
        assert self.state is not None
        if history is not None:
            self.history[progress.item_id] = history
        shown = self.state.update(progress)
        listing = self.query_one("#items", ItemList)
        if shown is None:
            self._fill(progress.item_id)
        elif shown.status in FILTERS[self.filter]:
            listing.replace_prompt(shown.item.id, self._row(shown))
            self._detail()
        else:
            index = listing.get_option_index(shown.item.id)
            gone = [shown.item.id]
            before = listing.get_option_at_index(index - 1) if index else None
            after = listing.get_option_at_index(index + 1) if index + 1 < listing.option_count else None
            if before is not None and before.disabled and (after is None or after.disabled):
                gone.append(before.id or "")  # its measure's heading, which heads nothing now
            listing.remove_options(gone)
            self._detail()
        self._header()
        self.bj30.refresh_headers()  # whose name the change was recorded under (it may have been set meanwhile)

    def records_changed(self, item_id: str, evidence: list[Evidence], history: list[HistoryEntry]) -> None:  # v, V
        self.evidence[item_id], self.history[item_id] = evidence, history
        self._detail()

    def action_toggle_done(self) -> None:
        s = self.current
        if s is not None:
            status = "todo" if s.status == "done" else "done"
            self.save(s, status, status=status)

    def action_set(self, status: str) -> None:
        if self.current is not None:
            self.save(self.current, status, status=status)

    def action_not_applicable(self) -> None:
        from tui.flows.item_edits import not_applicable

        if self.current is not None:
            not_applicable(self, self.current)

    def action_edit_note(self) -> None:
        from tui.flows.item_edits import edit_note

        if self.current is not None:
            edit_note(self, self.current)

    def action_add_evidence(self) -> None:
        from tui.flows.item_edits import add_evidence

        if self.current is not None:
            add_evidence(self, self.current)

    def action_remove_evidence(self) -> None:
        from tui.flows.item_edits import remove_evidence

        if self.current is not None:
            remove_evidence(self, self.current)

    def action_cycle_filter(self) -> None:
        self.filter = FILTER_NAMES[(FILTER_NAMES.index(self.filter) + 1) % len(FILTER_NAMES)]

    @on(OptionList.OptionSelected, "#items")
    def _open_measure(self, event: OptionList.OptionSelected) -> None:
        s = self.current
        if s is None:
            return
        self._remember_place()
        measure = s.item.measure
        span = self.bj30.workbench.quote_span(s.item, measure)
        self.bj30.open_place(measure, [span] if span else None)

    def action_export(self) -> None:
        from tui.flows.export import export_checklist

        export_checklist(self.bj30, self.role)

    def action_back(self) -> None:
        self.bj30.last_role = None
        self.dismiss(None)
