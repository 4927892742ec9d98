"""Open actions: every item to do or in progress across the profile's checklists, by due date or owner."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.errors import Bj30Error
from tui.core.progress.actions import SORTS, Action, owners
from tui.core.progress.state import ChecklistState
from tui.core.progress.status import STATUS_WORD
from tui.core.text.safe_text import visible
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.keys_line import KeysLine
from tui.widgets.literal import column, literal
from tui.widgets.vim_list import VimOptionList

POLL_SECONDS = 2.0
OWNER_WIDTH = 16
DUE_WIDTH = len("2026-12-31 overdue")
# Below this width the columns narrow so that a row's first line fits (60 columns): an overdue date
# is marked with "!", owners and roles are cut sooner (the detail of the item has them whole).
WIDE_ENOUGH_FOR_FULL_COLUMNS = 80
NARROW = {"due": len("2026-12-31!"), "owner": 10, "role": 12}
# From this width an action is one line; narrower, its statement goes on a second line.
WIDE_ENOUGH_FOR_ONE_LINE = 120
EVERYONE = "\x00everyone"


class ActionList(VimOptionList):
    click_opens = False  # a click selects, a double click or enter opens
    BINDINGS = [Binding("enter", "select", "Open", tooltip="Open the item in its checklist", id="actions.open")]


def action_row(a: Action, role_width: int, id_width: int, *, two_lines: bool = False, narrow: bool = False) -> Content:
    """One open item: due (overdue marked), owner, status, role, id, statement; on a narrow
    terminal the statement goes on a second line, where it has the room."""
    # "overdue" stands in the due column (DUE_WIDTH wide), so every row's columns line up.
    shown = (f"{a.due}!" if narrow else f"{a.due} overdue") if a.overdue else (a.due or "—")
    due = column(shown, NARROW["due"] if narrow else DUE_WIDTH).stylize("bold $error" if a.overdue else ("" if a.due else "dim"))
    return Content.assemble(
        due,
        "  ",
        column(a.owner or "—", NARROW["owner"] if narrow else OWNER_WIDTH).stylize("" if a.owner else "dim"),
        "  ",
        column(STATUS_WORD[a.status], 6).stylize("bold $warning" if a.status == "doing" else ""),
        "  ",
        column(a.role, role_width).stylize("dim"),
        "  ",
        column(a.item_id, id_width).stylize("bold"),
        "\n    " if two_lines else "  ",
        literal(" ".join(a.state.item.text.split())),
    )


class ActionsScreen(Bj30Screen[None]):
    """The profile's open actions; enter opens one in its checklist."""

    help_title = "Open actions"
    DEFAULT_CSS = """
    #actions-header, #actions-columns {
        padding: 0 1;
        height: auto;
    }

    #actions-columns {
        color: $text-muted;
        text-style: bold;
    }

    #actions {
        height: 1fr;
        border: none;
        scrollbar-size-vertical: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("s", "sort", "Sort", tooltip="Sort by due date or by owner", id="actions.sort"),
        Binding("o", "owner", "Owner", tooltip="Show one owner's actions, or everyone's", id="actions.owner"),
        Binding("escape", "back", "Back", tooltip="Back", id="actions.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "due"
        self.owner: str | None = None
        self.actions: list[Action] = []
        self._two_lines = False
        self._narrow = False
        self._read = False  # the actions have been read once
        self._polling = False

    def compose(self) -> ComposeResult:
        yield HeaderLine("Open actions")
        yield Static("", id="actions-header", markup=False)
        yield Static("", id="actions-columns", markup=False)
        yield ActionList(id="actions", markup=False)
        yield KeysLine()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Others' changes, looked for (and read) in the store thread."""
        if not self.is_current or self._polling or not self._read or self.bj30.store_jobs.busy:
            return
        self._polling = True
        workbench, owner, sort = self.bj30.workbench, self.owner, self.sort

        def job() -> list[Action] | None:
            return workbench.open_actions(owner=owner, sort=sort) if workbench.changed_elsewhere() else None

        def done(actions: list[Action] | None) -> None:
            self._polling = False
            if actions is not None:
                self._actions_read(actions)

        def failed(exc: Bj30Error) -> None:
            self._polling = False  # the workbench said why (the store went away)

        self.bj30.store_jobs.run(job, done, failed)

    def on_screen_resume(self) -> None:
        self.reload()  # on first showing, and on coming back from a checklist

    def reload(self) -> None:
        """The open actions, read in the store thread; shown when read."""
        workbench, owner, sort, first = self.bj30.workbench, self.owner, self.sort, not self._read
        self.loading = first

        def job() -> list[Action]:
            if first:
                workbench.changed_elsewhere()  # from now on, what others change is noticed
            return workbench.open_actions(owner=owner, sort=sort)

        def failed(exc: Bj30Error) -> None:
            self.loading = False
            self.bj30.notify(str(exc), severity="error", timeout=8)

        self.bj30.store_jobs.run(job, self._actions_read, failed)

    def _actions_read(self, actions: list[Action]) -> None:
        self.loading = False
        if not self.is_attached:
            return
        self.actions, self._read = actions, True
        self._show()

    def _show(self) -> None:
        listing = self.query_one(OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option is not None else None
        narrow = self.size.width < WIDE_ENOUGH_FOR_FULL_COLUMNS
        role_width = max((cell_len(visible(a.role, one_line=True)) for a in self.actions), default=4)
        if narrow:
            role_width = min(role_width, NARROW["role"])
        id_width = max((cell_len(visible(a.item_id, one_line=True)) for a in self.actions), default=4)
        late = sum(a.overdue for a in self.actions)
        who = self.owner or "everyone"
        self.query_one("#actions-header", Static).update(
            Content.assemble(
                Content("Open actions").stylize("bold"),
                f" · {len(self.actions)} open, ",
                Content(f"{late} overdue").stylize("bold $error" if late else ""),
                literal(f" · owner: {who} · by {'due date' if self.sort == 'due' else 'owner'}").stylize("dim"),
            )
        )
        self.query_one("#actions-columns", Static).update(
            Content("  ").join(
                column(title, width)
                for title, width in (
                    ("DUE", NARROW["due"] if narrow else DUE_WIDTH),
                    ("OWNER", NARROW["owner"] if narrow else OWNER_WIDTH),
                    ("STATUS", 6),
                    ("ROLE", role_width),
                    ("ITEM", id_width),
                )
            )
            + Content("" if self.size.width < WIDE_ENOUGH_FOR_ONE_LINE else "  WHAT")
        )
        self._two_lines = self.size.width < WIDE_ENOUGH_FOR_ONE_LINE
        self._narrow = narrow
        options = [
            Option(action_row(a, role_width, id_width, two_lines=self._two_lines, narrow=narrow), id=f"{a.role}/{a.item_id}")
            for a in self.actions
        ]
        if not options:
            options = [
                Option(
                    literal("Nothing open" + (f" for {self.owner}" if self.owner else "") + ": every applicable item is done."),
                    disabled=True,
                )
            ]
        listing.set_options(options)
        ids = [o.id for o in options]
        listing.highlighted = ids.index(keep) if keep in ids else (0 if self.actions else None)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < WIDE_ENOUGH_FOR_FULL_COLUMNS
        if self._read and ((event.size.width < WIDE_ENOUGH_FOR_ONE_LINE) != self._two_lines or narrow != self._narrow):
            self._show()  # the same actions, laid out for the width

    @on(OptionList.OptionSelected, "#actions")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from tui.screens.checklist import ChecklistScreen

        if event.option.id:
            role, item = event.option.id.split("/", 1)
            self.app.push_screen(ChecklistScreen(role, select=item))

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_owner(self) -> None:
        self.bj30.store_jobs.run(self.bj30.workbench.states, self._choose_owner)

    def _choose_owner(self, states: list[ChecklistState]) -> None:
        from tui.dialogs.choice import ChoiceDialog

        choices = [(EVERYONE, "Everyone")] + [(name, name) for name in owners(states)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.owner = None if value == EVERYONE else value
                self.reload()

        self.app.push_screen(ChoiceDialog("Show the open actions of…", choices, self.owner or EVERYONE), chosen)

    def action_back(self) -> None:
        self.dismiss(None)
