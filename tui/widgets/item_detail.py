"""The checklist's detail pane: what was recorded for the highlighted item, its statement and its history.

What the pane shows comes from the checklist's state and from what the screen read beforehand (the
item's evidence and history, read with the checklist in the store thread): moving the cursor reads
nothing from the store, so it never waits on the disk or the network (issue 20, 5; issue 21, 9).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.core.export.rows import item_facts
from tui.core.progress.changes import sentence
from tui.core.progress.evidence import Evidence
from tui.core.progress.state import ItemState
from tui.core.progress.status import STATUS_WORD, is_overdue
from tui.core.store.model import HistoryEntry
from tui.core.text.localtime import format_stamp, local_date, today
from tui.widgets.literal import literal


class ItemDetail(VerticalScroll):
    """The pane under the list; `show` fills it for one item, `say` with a line of its own."""

    DEFAULT_CSS = """
    ItemDetail {
        height: 40%;
        min-height: 9;
        border-top: hkey $panel;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="item-detail-text", markup=False)

    def show(self, s: ItemState, evidence: list[Evidence], history: list[HistoryEntry]) -> None:
        self.query_one("#item-detail-text", Static).update(Content("\n").join(detail_lines(s, evidence, history)))
        self.scroll_home(animate=False)

    def say(self, text: str) -> None:
        self.query_one("#item-detail-text", Static).update(Content(text))


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
