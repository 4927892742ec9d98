"""Progress drawn as text: a bar and counts that fit anywhere a line of Content does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

if TYPE_CHECKING:
    from tui.core.progress import Counts

STATUS_BOX = {"todo": "[ ]", "doing": "[~]", "done": "[x]", "na": "[-]"}
STATUS_WORD = {"todo": "to do", "doing": "doing", "done": "done", "na": "N/A"}
STATUS_STYLE = {"todo": "", "doing": "bold $warning", "done": "bold $success", "na": "dim"}


def bar(counts: Counts, width: int = 20) -> Content:
    filled = (width * counts.done) // counts.applicable if counts.applicable else width
    return Content.assemble(("█" * filled, "$success"), ("░" * (width - filled), "dim"))


def progress_line(counts: Counts, width: int = 20) -> Content:
    return Content.assemble(bar(counts, width), " ", Content(counts.summary))


def status_box(status: str) -> Content:
    return Content.styled(STATUS_BOX[status], STATUS_STYLE[status])
