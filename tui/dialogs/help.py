"""Help, generated from the bindings of the screen where it was opened: every key it has.

The screen's and the app's keys come first (those that work from where the focus is), then a
section for each panel with keys of its own (the contents, the text), whether or not that
panel has the focus: the help is the same wherever the focus is.
"""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from tui.dialogs.base import Dialog

# Keys that Textual handles in widgets and the app but that users still need to know.
GENERAL_KEYS: list[tuple[str, str]] = [
    ("ctrl+p", "Command palette: measures, checklists, profiles, themes"),
    ("tab / shift+tab", "Move focus between panels"),
    ("↑ ↓, j k", "Move in lists"),
    ("enter", "Open the highlighted item"),
    ("escape", "Close a dialog or go back"),
]

Rows = list[tuple[str, str]]


def _rows(app_node: DOMNode, pairs: list[tuple[str, Binding]]) -> Rows:
    """(keys, description) for each distinct action, keys joined; only our own bindings (with an id)."""
    app = app_node.app
    rows: dict[tuple[str, str], list[str]] = {}
    for key, binding in pairs:
        # Our own bindings all carry an id; Textual's scrolling and focus keys are
        # summarised once in GENERAL_KEYS instead of listed per widget.
        if not binding.id or not binding.description or binding.system:
            continue
        label = binding.tooltip or binding.description
        group = (binding.action.removeprefix("app."), label)
        rows.setdefault(group, [])
        shown = app.get_key_display(binding) if binding.key == key else key
        if shown not in rows[group]:
            rows[group].append(shown)
    return [(" / ".join(keys), label) for (_, label), keys in rows.items()]


def describe_bindings(screen: Screen) -> list[tuple[str, Rows]]:
    """Sections of (keys, description): first the screen's and the app's keys that work where the
    focus is, then one section per panel class that has a HELP_SECTION title, focused or not."""
    app = screen.app
    main = [
        (key, active.binding) for key, active in screen.active_bindings.items() if active.node is screen or active.node is app
    ]
    sections: list[tuple[str, Rows]] = [("", _rows(screen, main))]
    seen: set[type] = set()
    for widget in screen.query("*"):
        title = getattr(widget, "HELP_SECTION", "")
        if not title or type(widget) in seen:
            continue
        seen.add(type(widget))
        rows = _rows(screen, [(key, binding) for key, binding in widget._bindings])
        if rows:
            sections.append((title, rows))
    return sections


KEYS_COLUMN_MAX = 16  # longer keys push their description to the next line


def key_table_lines(sections: list[tuple[str, Rows]], width: int) -> list[Content]:
    """The help as lines for `width` cells: a column of keys, descriptions wrapped beside them."""
    all_rows = [row for _, rows in sections for row in rows]
    column = min(max((len(k) for k, _ in all_rows), default=8), KEYS_COLUMN_MAX) + 2
    room = max(12, width - column)
    lines: list[Content] = []
    for title, rows in sections:
        if title:
            lines += [Content(""), Content(title).stylize("bold")]
        for keys, desc in rows:
            wrapped = textwrap.wrap(desc, room) or [""]
            if len(keys) + 2 > column:
                lines.append(Content(keys).stylize("bold $accent"))
                first = ""
            else:
                first = keys
            lines.append(Content.assemble(Content(f"{first:<{column}}").stylize("bold $accent"), wrapped[0]))
            lines += [Content(" " * column + more) for more in wrapped[1:]]
    return lines


class KeyTable(Widget):
    """The keys and what they do, re-wrapped to whatever width the dialog has."""

    DEFAULT_CSS = "KeyTable { height: auto; }"

    def __init__(self, sections: list[tuple[str, Rows]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections = sections

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(key_table_lines(self.sections, width))

    def render(self) -> Content:
        return Content("\n").join(key_table_lines(self.sections, self.size.width))

    @property
    def text(self) -> str:
        """All of it on lines wide enough not to wrap (for tests and screen readers of the code)."""
        return "\n".join(line.plain for line in key_table_lines(self.sections, 1000))


class HelpDialog(Dialog):
    DEFAULT_CSS = """
    #help-box {
        width: 80;
    }

    #help-box VerticalScroll {
        height: auto;
        max-height: 60vh;  /* the title and the hint stay in view on a short terminal */
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, sections: list[tuple[str, Rows]]) -> None:
        super().__init__()
        self.title_text = title
        self.sections = [*sections, ("Everywhere", GENERAL_KEYS)]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Label(Content(f"Keys: {self.title_text}"), classes="dialog-title")
            with VerticalScroll():
                yield KeyTable(self.sections, id="help-table")
            yield Label("escape closes", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
