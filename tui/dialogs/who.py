"""Who acts in each clause of the open measure, from the provision register."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from tui.core.content.provisions import STATUS_WORD, Provision, scope_text
from tui.dialogs.base import Dialog

KIND_TEXT = {
    "duty": "must (duty)",
    "permission": "may (permission)",
    "limit": "limit",
    "support": "support",
    "government": "government action",
}


def clause_lines(provisions: list[Provision]) -> Content:
    """Each clause: who acts, what kind, for whom; then the words, who or when it applies, departments and figures."""
    blocks: list[Content] = []
    for p in provisions:
        head = Content.assemble(
            Content(p.actor).stylize("bold"),
            Content(f" · {KIND_TEXT[p.kind]}"),
            Content(f" · {STATUS_WORD[p.status]}").stylize("dim"),
        )
        lines = [head, Content(f"“{p.anchor}”").stylize("italic dim")]
        if p.scope:
            lines.append(Content.assemble(Content("who or when: ").stylize("bold"), Content(scope_text(p.scope))))
        if p.roles:
            lines.append(Content("for: " + ", ".join(p.roles)).stylize("dim"))
        if p.departments:
            lines.append(Content("departments: " + "; ".join(p.departments)).stylize("dim"))
        if p.figures:
            lines.append(Content("figures: " + "; ".join(p.figures)).stylize("dim"))
        blocks.append(Content("\n").join(lines))
    return Content("\n\n").join(blocks)


class WhoDialog(Dialog):
    DEFAULT_CSS = """
    #who-box {
        width: 90;
    }

    #who-box VerticalScroll {
        height: auto;
        max-height: 60vh;  /* the title and the hint stay in view on a short terminal */
    }
    """

    def __init__(self, title: str, provisions: list[Provision]) -> None:
        super().__init__()
        self.title_text = title
        self.provisions = provisions

    def compose(self) -> ComposeResult:
        with Vertical(id="who-box", classes="dialog"):
            yield Label(Content(f"Who acts in {self.title_text}"), classes="dialog-title")
            with VerticalScroll():
                yield Static(clause_lines(self.provisions), id="who-text")
            yield Label("escape closes", classes="dialog-hint")
