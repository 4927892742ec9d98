"""Pick one of a few choices (a profile, a role lens)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.dialogs.base import Dialog
from tui.widgets.literal import literal
from tui.widgets.vim_list import VimOptionList


class ChoiceDialog(Dialog):
    """Pick one of (value, label) choices. Dismisses with the value, or None."""

    DEFAULT_CSS = """
    #choices {
        height: auto;
        max-height: 60vh;  /* the title and the hint stay in view on a short terminal */
    }
    """

    def __init__(
        self, title: str, choices: list[tuple[str, str]], current: str | None = None, hint: str = "enter chooses · escape cancels"
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield VimOptionList(
                *(Option(literal(label), id=f"choice-{i}") for i, (_, label) in enumerate(self.choices)),
                id="choices",
                markup=False,
            )
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for i, (value, _) in enumerate(self.choices):
            if value == self.current:
                options.highlighted = i
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][0])
