"""An OptionList that also moves with j and k, as the contents tree does; a click can select without opening."""

from __future__ import annotations

from typing import ClassVar, cast

from textual import events
from textual.binding import Binding
from textual.css.styles import RulesMap
from textual.visual import VisualType
from textual.widgets import OptionList


class VimOptionList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
    ]

    # True: a click opens the option, as Textual's OptionList does (a dialog's choice). False: a
    # click highlights it, a double click (or enter) opens it: a checklist's item is clicked to be
    # ticked or noted, and opening it left the checklist for the reader (issue 21, 5).
    click_opens: ClassVar[bool] = True

    async def _on_click(self, event: events.Click) -> None:
        if self.click_opens:
            return  # OptionList's own handler follows
        event.prevent_default()  # ... and here it does not
        clicked = event.style.meta.get("option")
        if not isinstance(clicked, int) or not 0 <= clicked < self.option_count or self.get_option_at_index(clicked).disabled:
            return
        self.highlighted = clicked
        if event.chain >= 2:
            self.action_select()

    def replace_prompt(self, option_id: str, prompt: VisualType) -> None:
        """Replace one option's prompt at a cost that does not grow with the list.

        OptionList.replace_option_prompt clears its line map and measures every option again
        (half a second for 10,000 items: a tick in a big checklist). When the new prompt is as
        tall as the old one (always, for the one-line items of a checklist), only the rendered
        lines are dropped (a cache of at most 2,048 entries) and the line map stays valid.
        """
        index = self.get_option_index(option_id)
        option = self.get_option_at_index(index)
        height = self._line_cache.heights.get(index)
        option._set_prompt(prompt)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        padding = self.get_component_styles("option-list--option").padding
        new_height = self._get_visual(option).get_height(cast(RulesMap, self.styles), width - padding.width)
        if height is None or new_height != height:
            self._clear_caches()  # a different height: everything below moves
            return
        self._option_render_cache.clear()
        self.refresh()

    def remove_options(self, option_ids: list[str]) -> None:
        """Remove options without measuring all the others again.

        OptionList.remove_option clears its line map, and the next frame measures every option
        (0.4 s for 10,000 items: a tick that the filter hides). When every option is one line
        high, as the line map says, the map is rebuilt by arithmetic instead: integer work only.
        The highlight stays on its row, where the next enabled option moves up.
        """
        cache = self._line_cache
        if not cache.lines or len(cache.lines) != len(self._options) or len(cache.heights) != len(self._options):
            for option_id in option_ids:
                self.remove_option(option_id)
            return
        doomed = sorted({self.get_option_index(option_id) for option_id in option_ids}, reverse=True)
        row = self.highlighted
        if row is not None:
            row -= sum(1 for index in doomed if index < row)
        for index in doomed:
            option = self._options.pop(index)
            del self._option_to_index[option]
            if option.id is not None:
                del self._id_to_option[option.id]
        for index in range(doomed[-1], len(self._options)):  # those below move up
            self._option_to_index[self._options[index]] = index
        count = len(self._options)
        del cache.lines[count:]  # one line each: line i is option i, so the map only gets shorter
        for index in range(count, count + len(doomed)):
            cache.heights.pop(index, None)
            cache.index_to_line.pop(index, None)
        self._mouse_hovering_over = None
        self._option_render_cache.clear()
        self._update_lines()  # the new virtual size
        self.refresh()
        enabled = [i for i in range(row or 0, count) if not self._options[i].disabled][:1] or [
            i for i in range(min(row or 0, count) - 1, -1, -1) if not self._options[i].disabled
        ][:1]
        self.highlighted = enabled[0] if enabled else None
