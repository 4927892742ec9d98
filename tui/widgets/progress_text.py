"""Progress drawn as text: a bar and counts that fit anywhere a line of Content does."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.content import Content

from tui.core.progress.status import STATUS_BOX, is_overdue
from tui.widgets.literal import column, literal

if TYPE_CHECKING:
    from tui.core.progress.state import Counts, ItemState  # noqa: F401

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


OWNER_COLUMN = 16
DUE_COLUMN = 10


def item_line(s: ItemState, *, columns: bool = False, id_width: int = 0, today: dt.date | None = None) -> Content:
    """One item as a line: status box, id, review flag, statement (dim when N/A). Checklist and lens.

    With `columns` (a wide terminal), the owner and the due date stand in columns between the id
    and the statement; an overdue date of an open item shows in the error colour.
    """
    flag = Content(" review").stylize("bold $warning") if s.needs_review else Content("")
    parts: list[Content | str] = [status_box(s.status), " ", column(s.item.id, id_width).stylize("bold")]
    if columns:
        p = s.progress
        late = today is not None and s.status in ("todo", "doing") and is_overdue(p.due, today)
        parts += [
            "  ",
            column(p.owner, OWNER_COLUMN).stylize("$text-muted"),
            " ",
            column(p.due, DUE_COLUMN).stylize("bold $error" if late else "$text-muted"),
        ]
    parts += [flag, "  ", literal(s.item.text).stylize("dim" if s.status == "na" else "")]
    return Content.assemble(*parts)
