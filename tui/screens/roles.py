"""Every role's checklist with a progress bar; Enter opens one. Profiles are switched here too."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.errors import Bj30Error
from tui.core.progress.profile import Profile
from tui.core.progress.state import ChecklistState
from tui.screens.base import Bj30Screen
from tui.widgets.header_line import HeaderLine
from tui.widgets.keys_line import KeysLine
from tui.widgets.literal import literal
from tui.widgets.progress_text import bar_width, progress_line
from tui.widgets.vim_list import VimOptionList


def role_prompt(state: ChecklistState, bar: int = 20) -> Content:
    c = state.checklist
    origin = "" if c.is_builtin else f"   (your file: {c.source})"
    review = f"   · {len(state.needing_review)} to review" if state.needing_review else ""
    return Content.assemble(
        literal(c.title).stylize("bold"),
        literal(f"   {c.role}{origin}").stylize("dim"),
        "\n",
        progress_line(state.counts, bar),
        Content(review).stylize("$warning"),
    )


class RoleList(VimOptionList):
    click_opens = False  # as in a checklist: a click selects (P, r, x act on it), a double click or enter opens


class RolesScreen(Bj30Screen[None]):
    """The roles' checklists, each with its progress."""

    help_title = "Checklists"
    DEFAULT_CSS = """
    #checklists-header {
        padding: 0 1;
        height: auto;
        margin-bottom: 1;
    }

    #roles {
        height: 1fr;
        border: none;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="checklists.back"),
        # This is the checklists screen: `l` would bring it back, so it stays off the footer here.
        Binding("l", "app.checklists", "Checklists", show=False, id="checklists.checklists"),
        Binding("P", "profiles", "Profile", id="checklists.profiles"),
        Binding("r", "role_lens", "Role lens", id="checklists.role_lens"),
        Binding(
            "a",
            "app.open_actions",
            "Actions",
            tooltip="Open actions: every item to do or in progress, by due date",
            id="checklists.actions",
        ),
        Binding("x", "report", "Report", tooltip="Export one report across one or more roles", id="checklists.report"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._states: list[ChecklistState] | None = None
        self._bar = 0

    def compose(self) -> ComposeResult:
        yield HeaderLine("Checklists")
        yield Static("", id="checklists-header", markup=False)
        yield RoleList(id="roles", markup=False)
        yield KeysLine()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        # On first showing, and on coming back: progress may have changed in a checklist.
        self.refresh_roles()

    def on_resize(self) -> None:
        if self._states is not None and bar_width(self.app.size.width) != self._bar:
            self._show_roles(self._states)  # the bars' width follows the terminal's

    def refresh_roles(self) -> None:
        """Every checklist's progress, read in the store thread (opening a team store may take a while)."""
        workbench = self.bj30.workbench
        self.loading = self._states is None

        def failed(exc: Bj30Error) -> None:
            self.loading = False
            self.bj30.notify(str(exc), severity="error", timeout=8)

        self.bj30.store_jobs.run(lambda: (workbench.states(), workbench.check_profile()), self._roles_read, failed)

    def _roles_read(self, loaded: tuple[list[ChecklistState], Profile]) -> None:
        self.loading = False
        if not self.is_attached:
            return
        app = self.bj30
        states, profile = loaded
        who = profile.institution or "no institution yet: P sets it"
        lens = app.role_lens or "none"
        # "Checklists" itself is in the header line above.
        self.query_one("#checklists-header", Static).update(
            Content.assemble(literal(f"Profile {profile.name} ({who})"), literal(f" · lens: {lens}").stylize("dim"))
        )
        self._states = states
        self._show_roles(states)

    def _show_roles(self, states: list[ChecklistState]) -> None:
        app = self.bj30
        options = self.query_one(OptionList)
        keep = options.highlighted
        bar = self._bar = bar_width(self.app.size.width)
        options.set_options(Option(role_prompt(s, bar), id=s.checklist.role) for s in states)
        if states:
            options.highlighted = keep if keep is not None and keep < len(states) else 0
            last = app.last_role
            if keep is None and last:
                for i, s in enumerate(states):
                    if s.checklist.role == last:
                        options.highlighted = i

    @on(OptionList.OptionSelected, "#roles")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from tui.screens.checklist import ChecklistScreen

        if event.option.id:
            self.app.push_screen(ChecklistScreen(event.option.id))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_profiles(self) -> None:
        from tui.flows.profiles import choose_profile

        choose_profile(self.bj30, on_done=self.refresh_roles)

    def action_report(self) -> None:
        from tui.flows.export import export_report

        listing = self.query_one(OptionList)
        option = listing.highlighted_option
        export_report(self.bj30, [option.id] if option is not None and option.id else [])

    def action_role_lens(self) -> None:
        from tui.flows.profiles import choose_role_lens

        choose_role_lens(self.bj30, on_done=self.refresh_roles)
