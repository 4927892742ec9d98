"""Help, generated from the bindings that are active where it was opened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from tui.dialogs.base import Dialog

# Keys that Textual handles in widgets and the app but that users still need to know.
GENERAL_KEYS: list[tuple[str, str]] = [
    ("ctrl+p", "Command palette: measures, screens, themes"),
    ("tab / shift+tab", "Move focus between panels"),
    ("up / down, j / k", "Move in lists and contents"),
    ("enter", "Open the highlighted item"),
    ("escape", "Close a dialog or go back"),
]


def describe_bindings(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for each distinct active action of `screen`, keys joined."""
    app = screen.app
    rows: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        # Our own bindings all carry an id; Textual's scrolling and focus keys are
        # summarised once in GENERAL_KEYS instead of listed per widget.
        if not binding.id or not binding.description or binding.system:
            continue
        label = (binding.tooltip or binding.description)
        group = (binding.action.removeprefix("app."), label)
        rows.setdefault(group, [])
        shown = app.get_key_display(binding) if binding.key == key else key
        if shown not in rows[group]:
            rows[group].append(shown)
    return [(" / ".join(keys), label) for (_, label), keys in rows.items()]


class HelpDialog(Dialog):
    DEFAULT_CSS = """
    #help-box {
        width: 76;
    }

    #help-box VerticalScroll {
        height: auto;
        max-height: 30;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.rows + GENERAL_KEYS), default=8) + 2
        lines = [f"{keys:<{width}}{desc}" for keys, desc in self.rows]
        lines += ["", "Everywhere", ""] + [f"{k:<{width}}{d}" for k, d in GENERAL_KEYS]
        with Vertical(id="help-box", classes="dialog"):
            yield Label(Content(f"Keys: {self.title_text}"), classes="dialog-title")
            with VerticalScroll():
                yield Static(Content("\n".join(lines)), id="help-table")
            yield Label("escape closes", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
