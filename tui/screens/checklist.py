"""One role's checklist: items grouped by part and measure, ticked, annotated, filtered."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.errors import Bj30Error
from tui.core.export.rows import item_facts
from tui.core.progress.changes import sentence
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import ChecklistState, ItemState
from tui.core.progress.status import FILTERS, STATUS_WORD, is_overdue
from tui.core.store.model import Conflict, HistoryEntry, ItemProgress, summarise
from tui.core.text.localtime import format_stamp, local_date, today
from tui.dialogs.note import NoteDialog, NoteEdit
from tui.dialogs.reason import ReasonDialog
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
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
# From this width the rows show each item's owner and due date in columns.
WIDE_ENOUGH_FOR_COLUMNS = 110


class ItemList(VimOptionList):
    """The checklist's items; enter (in the footer as Open) opens the item's measure."""

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

    #item-detail {
        height: 40%;
        min-height: 9;
        border-top: hkey $panel;
        padding: 0 1;
        scrollbar-size-vertical: 1;
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
        self._select = select  # an item to show first (opened from a search hit)
        self._columns = False
        self._id_width = 0

    def compose(self) -> ComposeResult:
        yield HeaderLine(f"Checklist {self.role}")
        yield Static("", id="checklist-title", markup=False)
        yield Static("", id="checklist-progress", markup=False)
        yield ItemList(id="items", markup=False)
        with VerticalScroll(id="item-detail"):
            yield Static("", id="item-detail-text", markup=False)
        yield KeysLine()

    def on_mount(self) -> None:
        self.bj30.last_role = self.role  # the list is filled by on_screen_resume, which follows
        self.query_one("#items", OptionList).focus()
        # Another officer, another bj30 in another terminal, or `bj30 mark` may tick items
        # too: show them, and say who.
        self.bj30.workbench.changes_elsewhere()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        if not self.is_current:
            return
        changes = self.bj30.workbench.changes_elsewhere()
        if changes is None:
            return
        self.reload(quiet=True)
        for line in summarise([c for c in changes if c.role == self.role], NOTICE_LINES):
            self.bj30.notify(line, timeout=6)

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

    def reload(self, keep: str | None = None, quiet: bool = False) -> None:
        """Read the checklist's state again; `quiet`: a failure was said already (the store
        went away: the workbench warned), so keep what is shown and mark it read-only."""
        workbench = self.bj30.workbench
        if quiet:
            try:
                state = workbench.state(self.role)
            except Bj30Error:
                if self.state is not None:
                    self._header()
                return
        else:
            loaded = self.bj30.attempt(lambda: workbench.state(self.role))
            if loaded is None:
                return
            state = loaded
        self.state = state
        self._id_width = max((len(i.item.id) for i in state.items), default=0)  # once, not per row
        keep, self._select = keep or self._select or self.current_id, None
        self._fill(keep)
        self._header()

    def show_item(self, item_id: str) -> None:
        """Highlight an item, showing every item if the filter hides it."""
        shown = self.state.state_of(item_id) if self.state is not None else None
        if shown is None:
            return
        if shown.status not in FILTERS[self.filter]:
            self.filter = "all"
        self._fill(item_id)
        self._header()

    def watch_filter(self) -> None:
        if self.state is not None:
            self._fill(self.current_id)
            self._header()

    def _header(self) -> None:
        assert self.state is not None
        c = self.state.checklist
        workbench = self.bj30.workbench
        extra = []
        if self.state.needing_review:
            extra.append(f"{len(self.state.needing_review)} to review")
        if self.state.orphans:
            extra.append(f"{len(self.state.orphans)} kept from retired items")
        if workbench.read_only:
            extra.append("READ-ONLY")
        counts = self.state.counts
        self.query_one(HeaderLine).show_where(f"Checklist {c.role} · {counts.done}/{counts.applicable} done ({counts.percent}%)")
        self.query_one("#checklist-title", Static).update(literal(c.title).stylize("bold"))
        self.query_one("#checklist-progress", Static).update(
            Content.assemble(
                progress_line(self.state.counts, bar_width(self.app.size.width, 16)),
                Content(f" · filter: {self.filter}").stylize("dim"),
                Content("".join(f" · {e}" for e in extra)).stylize("$warning"),
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
        if not any(not o.disabled for o in options):
            self.query_one("#item-detail-text", Static).update(
                Content(f"No items match the filter '{self.filter}'. Press f to change it.")
            )
        else:
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
        s = self.current
        target = self.query_one("#item-detail-text", Static)
        if s is None:
            target.update("")
            return
        workbench = self.bj30.workbench
        found = self.bj30.attempt(
            lambda: (workbench.item_evidence(self.role, s.item.id), workbench.history(self.role, s.item.id))
        )
        evidence, history = found if found is not None else ([], [])
        target.update(Content("\n").join(detail_lines(s, evidence, history)))
        self.query_one("#item-detail", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "#items")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail()

    # Changes --------------------------------------------------------------------------

    def _apply(self, *, status: str | None = None, note: str | None = None) -> bool:
        s = self.current
        if s is None:
            return False
        new = self.bj30.attempt(lambda: self.bj30.workbench.update(self.role, s.item, status=status, note=note))
        if new is None:
            if self.bj30.workbench.read_only:
                self._header()  # it may have just become so (the team store went away): say it now
            return False
        self._changed(new)
        return True

    def _changed(self, progress: ItemProgress) -> None:
        """Show one item's new progress: its row (or its going, when the filter now hides it), the
        header and the detail, at a cost that does not grow with the checklist (a tick in a
        10,000-item checklist costs what it does in a small one)."""
        assert self.state is not None
        shown = self.state.update(progress)
        listing = self.query_one("#items", VimOptionList)
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
            if listing.highlighted is None:
                self.query_one("#item-detail-text", Static).update(
                    Content(f"No items match the filter '{self.filter}'. Press f to change it.")
                )
            else:
                self._detail()
        self._header()

    def action_toggle_done(self) -> None:
        s = self.current
        if s is not None:
            self._apply(status="todo" if s.status == "done" else "done")

    def action_set(self, status: str) -> None:
        self._apply(status=status)

    def action_not_applicable(self) -> None:
        s = self.current
        if s is None:
            return

        def reason_given(reason: str | None) -> None:
            if reason is not None:
                self._apply(status="na", note=reason)

        self.app.push_screen(ReasonDialog(s.item.id, s.progress.note), reason_given)

    def action_edit_note(self) -> None:
        s = self.current
        if s is None:
            return
        p = s.progress
        item = s.item

        saved: list[ItemProgress] = []

        def save(edit: NoteEdit, base: NoteEdit) -> None:
            # Refused (Conflict) if another officer changed a field since `base` was read: the
            # dialog stays open with the typed text and shows theirs.
            try:
                saved.append(
                    self.bj30.workbench.update(
                        self.role,
                        item,
                        note=edit.note,
                        owner=edit.owner,
                        due=edit.due,
                        expect={"note": base.note, "owner": base.owner, "due": base.due},
                    )
                )
            except Conflict:
                self.reload(keep=item.id, quiet=True)
                raise

        def edited(edit: NoteEdit | None) -> None:
            if edit is not None and saved and self.state is not None:
                self._changed(saved[-1])

        self.app.push_screen(NoteDialog(item.id, p.note, p.owner, p.due, save=save), edited)

    def action_add_evidence(self) -> None:
        from tui.dialogs.evidence import EvidenceDialog

        s = self.current
        if s is None:
            return
        workbench = self.bj30.workbench

        def attach(target: str, note: str, kind: str | None) -> Evidence:
            e, _ = workbench.add_evidence(self.role, s.item, target, note=note, kind=kind)
            return e

        def attached(e: Evidence | None) -> None:
            if e is not None:
                self.bj30.notify(f"{s.item.id}: attached {e.label}")
                self._detail()

        self.app.push_screen(EvidenceDialog(s.item.id, attach, s.item.evidence), attached)

    def action_remove_evidence(self) -> None:
        from tui.dialogs.choice import ChoiceDialog
        from tui.dialogs.confirm import ConfirmDialog

        s = self.current
        if s is None:
            return
        workbench = self.bj30.workbench
        attached = self.bj30.attempt(lambda: workbench.item_evidence(self.role, s.item.id))
        if attached is None:
            return
        if not attached:
            self.bj30.notify(f"{s.item.id} has no evidence to remove; v attaches some.")
            return

        def remove(number: int) -> None:
            if self.bj30.attempt(lambda: workbench.remove_evidence(self.role, s.item, number)) is not None:
                self.bj30.notify(f"{s.item.id}: removed evidence {number} (the history keeps it)")
                self._detail()

        def chosen(value: str | None) -> None:
            if value is not None:
                number = int(value)
                self.app.push_screen(
                    ConfirmDialog(f"Remove evidence {number} of {s.item.id}: {attached[number - 1].label}?"),
                    lambda yes: remove(number) if yes else None,
                )

        self.app.push_screen(
            ChoiceDialog(
                f"Remove which evidence of {s.item.id}?", [(str(n), f"{n}. {e.label}") for n, e in enumerate(attached, start=1)]
            ),
            chosen,
        )

    def action_cycle_filter(self) -> None:
        self.filter = FILTER_NAMES[(FILTER_NAMES.index(self.filter) + 1) % len(FILTER_NAMES)]

    @on(OptionList.OptionSelected, "#items")
    def _open_measure(self, event: OptionList.OptionSelected) -> None:
        s = self.current
        if s is None:
            return
        measure = s.item.measure
        span = self.bj30.workbench.quote_span(s.item, measure)
        self.bj30.open_place(measure, [span] if span else None)

    def action_export(self) -> None:
        from tui.flows.export import export_checklist

        export_checklist(self.bj30, self.role)

    def action_back(self) -> None:
        self.bj30.last_role = None
        self.dismiss(None)


def detail_lines(
    s: ItemState, evidence: list[Evidence] | None = None, history: list[HistoryEntry] | None = None
) -> list[Content]:
    """The detail pane: what the officer recorded (status, owner, due, note) first, then the
    statement (the row shows its start) and its grounds (quote, guidance, facts): an N/A reason
    or a note's last line is never below the fold, at 80x24 either."""
    it, p = s.item, s.progress
    cited = ", ".join(str(n) for n in it.measures)
    lines: list[Content] = [
        Content.assemble(
            Content(it.id).stylize("bold"),
            Content(f" · measure {cited}" + (f" · {it.category}" if it.category else "")).stylize("dim"),
        ),
    ]
    state = [Content(f"Status: {STATUS_WORD[p.status]}").stylize("bold")]
    if p.completed and p.status == "done":
        state.append(Content(f"completed {local_date(p.completed)}"))
    state.append(literal(f"owner {p.owner}") if p.owner else Content("no owner").stylize("dim"))
    if p.due:
        late = p.status in ("todo", "doing") and is_overdue(p.due, today())
        state.append(Content(f"due {p.due}" + (" (overdue)" if late else "")).stylize("bold $error" if late else ""))
    else:
        state.append(Content("no due date").stylize("dim"))
    lines.append(Content(" · ").join(state))
    if p.note:
        label = "Reason (N/A): " if p.status == "na" else "Note: "
        lines.append(Content.assemble(Content(label).stylize("bold"), literal(p.note)))
    for n, e in enumerate(evidence or [], start=1):
        facts = f" ({e.facts()})" if e.kind == "file" else ""
        lines.append(
            Content.assemble(
                Content("Evidence " if n == 1 else "         ").stylize("bold"),
                literal(f"{n}. {e.label}{facts}" + (f" · {e.note}" if e.note else "")),
            )
        )
    if s.needs_review:
        lines.append(
            Content(
                "Review: the quote or the measure's text changed since this item was marked; "
                "check the mark still holds, then mark it again."
            ).stylize("$warning")
        )
    lines.append(literal(it.text))
    lines.append(literal(f"“{it.quote}”").stylize("italic dim"))
    if it.guidance:
        lines.append(literal("Guidance: " + it.guidance).stylize("dim"))
    lines += [literal(f"{label}: {value}").stylize("dim") for label, value in item_facts(it)]
    if history:
        lines.append(Content("History").stylize("bold"))
        lines += [
            literal(f"  {format_stamp(h.at, with_offset=False)}  {sentence(h.field, h.old, h.new, h.item_id, h.by)}")
            for h in reversed(history)
        ]  # newest first
    return lines
