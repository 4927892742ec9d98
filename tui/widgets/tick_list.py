"""A SelectionList whose ticks read without colour: `[x]` ticked, `[ ]` not.

Textual draws both as a coloured `▐X▌`, ticked and unticked differing only by the colour of the
X: nothing to see in a monochrome terminal, or for an officer who does not tell the colours
apart (issue 21, 7). The checklist's own status boxes are written the same way (`[x]`, `[ ]`).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class TickList(SelectionList[str]):
    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        segments = list(line)
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line  # not the button drawn by this Textual version: leave it as it is
        plain = segments[3].style or Style()  # the prompt's own style, under the button's space
        meta = Style(meta={"option": self.scroll_offset.y + y})  # a click on the box still ticks
        ticked = selection.value in self._selected
        box = [
            Segment("[", plain + meta),
            Segment("x" if ticked else " ", plain + Style(bold=True) + meta),
            Segment("]", plain + meta),
        ]
        return Strip([*box, *segments[3:]])
