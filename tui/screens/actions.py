"""Open actions: every item to do or in progress across the profile's checklists, by due date or owner."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.progress.actions import SORTS, Action, owners
from tui.core.progress.status import STATUS_WORD
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.keys_line import KeysLine
from tui.widgets.literal import literal
from tui.widgets.vim_list import VimOptionList

POLL_SECONDS = 2.0
OWNER_WIDTH = 16
DUE_WIDTH = len("2026-12-31 overdue")
# From this width an action is one line; narrower, its statement goes on a second line.
WIDE_ENOUGH_FOR_ONE_LINE = 120
EVERYONE = "\x00everyone"


class ActionList(VimOptionList):
    BINDINGS = [Binding("enter", "select", "Open", tooltip="Open the item in its checklist", id="actions.open")]


def _fit(text: str, width: int) -> str:
    text = " ".join(text.split())
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def action_row(a: Action, role_width: int, id_width: int, *, two_lines: bool = False) -> Content:
    """One open item: due (overdue marked), owner, status, role, id, statement; on a narrow
    terminal the statement goes on a second line, where it has the room."""
    # "overdue" stands in the due column (DUE_WIDTH wide), so every row's columns line up.
    shown = f"{a.due} overdue" if a.overdue else (a.due or "—")
    due = Content(_fit(shown, DUE_WIDTH)).stylize("bold $error" if a.overdue else ("" if a.due else "dim"))
    return Content.assemble(
        due,
        "  ",
        literal(_fit(a.owner or "—", OWNER_WIDTH)).stylize("" if a.owner else "dim"),
        "  ",
        Content(_fit(STATUS_WORD[a.status], 6)).stylize("bold $warning" if a.status == "doing" else ""),
        "  ",
        literal(_fit(a.role, role_width)).stylize("dim"),
        "  ",
        literal(_fit(a.item_id, id_width)).stylize("bold"),
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

    def compose(self) -> ComposeResult:
        yield HeaderLine("Open actions")
        yield Static("", id="actions-header", markup=False)
        yield Static("", id="actions-columns", markup=False)
        yield ActionList(id="actions", markup=False)
        yield KeysLine()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.bj30.workbench.changed_elsewhere()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        if self.is_current and self.bj30.workbench.changed_elsewhere():
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()  # on first showing, and on coming back from a checklist

    def reload(self) -> None:
        workbench = self.bj30.workbench
        actions = self.bj30.attempt(lambda: workbench.open_actions(owner=self.owner, sort=self.sort))
        if actions is None:
            return
        self.actions = actions
        listing = self.query_one(OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option is not None else None
        role_width = max((len(a.role) for a in self.actions), default=4)
        id_width = max((len(a.item_id) for a in self.actions), default=4)
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
            Content(
                f"{'DUE':<{DUE_WIDTH}}  {'OWNER':<{OWNER_WIDTH}}  {'STATUS':<6}  {'ROLE':<{role_width}}  {'ITEM':<{id_width}}"
                + ("" if self.size.width < WIDE_ENOUGH_FOR_ONE_LINE else "  WHAT")
            )
        )
        self._two_lines = self.size.width < WIDE_ENOUGH_FOR_ONE_LINE
        options = [
            Option(action_row(a, role_width, id_width, two_lines=self._two_lines), id=f"{a.role}/{a.item_id}")
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
        if (event.size.width < WIDE_ENOUGH_FOR_ONE_LINE) != self._two_lines:
            self.reload()

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
        from tui.dialogs.choice import ChoiceDialog

        states = self.bj30.attempt(self.bj30.workbench.states)
        if states is None:
            return
        choices = [(EVERYONE, "Everyone")] + [(name, name) for name in owners(states)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.owner = None if value == EVERYONE else value
                self.reload()

        self.app.push_screen(ChoiceDialog("Show the open actions of…", choices, self.owner or EVERYONE), chosen)

    def action_back(self) -> None:
        self.dismiss(None)
