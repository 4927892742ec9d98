"""Progress drawn as text: a bar and counts that fit anywhere a line of Content does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tui.core.status import STATUS_BOX
from tui.widgets.literal import literal

if TYPE_CHECKING:
    from tui.core.progress import Counts, ItemState  # noqa: F401

STATUS_STYLE = {"todo": "", "doing": "bold $warning", "done": "bold $success", "na": "dim"}


def bar(counts: Counts, width: int = 20) -> Content:
    filled = (width * counts.done) // counts.applicable if counts.applicable else width
    return Content.assemble(("█" * filled, "$success"), ("░" * (width - filled), "dim"))


def bar_width(columns: int, wide: int = 20) -> int:
    """A progress bar's width for a terminal `columns` wide: narrower below 80 columns, so that
    the bar and its counts still share one line at 60."""
    return wide if columns >= 80 else 6


def progress_line(counts: Counts, width: int = 20) -> Content:
    return Content.assemble(bar(counts, width), " ", Content(counts.summary))


def status_box(status: str) -> Content:
    return Content.styled(STATUS_BOX[status], STATUS_STYLE[status])


def item_line(s: ItemState) -> Content:
    """One item as a line: status box, id, review flag, statement (dim when N/A). Checklist and lens."""
    flag = Content(" review").stylize("bold $warning") if s.needs_review else Content("")
    return Content.assemble(status_box(s.status), " ", Content(s.item.id).stylize("bold"), flag, "  ",
                            literal(s.item.text).stylize("dim" if s.status == "na" else ""))
