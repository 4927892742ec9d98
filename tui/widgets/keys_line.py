"""The footer: the screen's keys, fitted to the width so that `? Help` always shows.

One widget that draws a line of text, where Textual's Footer mounts a widget per key and
mounts them all again whenever the focus moves (three times before bj30's first frame is
complete). At 60 columns Textual's Footer also scrolls `? Help` out of sight; here, when the
keys do not fit on one line they go on a second (a footer lists what the screen can do: the
checklist's eleven keys do not fit in 80 columns); only when two lines do not hold them do the
last ones give way, and Help never does: it leads to all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

HELP_ID = "app.help"  # the id of the App's `?` binding
KEY_STYLE = "bold $footer-key-foreground"
GAP = "  "
MAX_LINES = 2


@dataclass(frozen=True)
class Key:
    key: str  # what simulate_key presses when the entry is clicked
    shown: str  # how the key is written: "?", "^p", "space"
    description: str
    enabled: bool
    action: str
    id: str | None = None


def fit_keys(keys: list[Key], width: int, palette: Key | None = None) -> tuple[list[Key], bool]:
    """The keys that fit in `width` cells, in order, Help kept whatever else goes; and whether the
    palette entry (right-aligned) fits too."""

    def length(chosen: list[Key]) -> int:
        return sum(len(k.shown) + 1 + len(k.description) for k in chosen) + len(GAP) * max(0, len(chosen) - 1) + 1

    chosen = list(keys)
    while chosen and length(chosen) > width:
        droppable = [i for i, k in enumerate(chosen) if k.id != HELP_ID]
        if not droppable:
            break
        del chosen[droppable[-1]]
    room_for_palette = (
        palette is not None and length(chosen) + len(GAP) + len(palette.shown) + 1 + len(palette.description) + 1 <= width
    )
    return chosen, room_for_palette


def _entry_length(k: Key) -> int:
    return len(k.shown) + 1 + len(k.description)


def lay_out(keys: list[Key], width: int, palette: Key | None = None) -> tuple[list[list[Key]], bool]:
    """The keys in lines of `width` cells (at most MAX_LINES), in order; when even those do not
    hold them all, the last give way (Help never). And whether the palette fits on the last line."""

    def pack(chosen: list[Key]) -> list[list[Key]]:
        lines: list[list[Key]] = [[]]
        used = 1
        for k in chosen:
            need = _entry_length(k) + (len(GAP) if lines[-1] else 0)
            if lines[-1] and used + need > width:
                lines.append([])
                used, need = 1, _entry_length(k)
            lines[-1].append(k)
            used += need
        return lines

    chosen = list(keys)
    lines = pack(chosen)
    while len(lines) > MAX_LINES:
        droppable = [i for i, k in enumerate(chosen) if k.id != HELP_ID]
        if not droppable:
            break
        del chosen[droppable[-1]]
        lines = pack(chosen)
    _, with_palette = fit_keys(lines[-1], width, palette)
    return lines, with_palette


class KeysLine(Widget):
    """The keys of the screen it is on (those whose binding has show=True); a click presses one."""

    DEFAULT_CSS = """
    KeysLine {
        dock: bottom;
        height: auto;
        color: $footer-description-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, int, str]] = []  # (line, start, end, key) of each entry drawn

    def on_mount(self) -> None:
        # Focus moves, screens come and go, check_action changes: redraw from the bindings then.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh(layout=True)  # one line or two: the keys decide

    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys to show, one per action (its first key), and the command palette's."""
        app = self.app
        seen: set[str] = set()
        keys: list[Key] = []
        palette: Key | None = None
        for key, (_, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = Key(key, app.get_key_display(binding), "palette", enabled, binding.action)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append(Key(key, app.get_key_display(binding), binding.description, enabled, binding.action, binding.id))
        return keys, palette

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        keys, palette = self.keys()
        return len(lay_out(keys, width, palette)[0])

    def render(self) -> Content:
        keys, palette = self.keys()
        width = self.size.width
        lines, with_palette = lay_out(keys, width, palette)
        rendered: list[Content] = []
        self._spans = []
        for y, chosen in enumerate(lines):
            parts: list[Content] = [Content(" ")]
            x = 1
            for i, k in enumerate(chosen):
                if i:
                    parts.append(Content(GAP))
                    x += len(GAP)
                entry = Content.assemble(Content(k.shown).stylize(KEY_STYLE), " ", k.description)
                if not k.enabled:
                    entry = entry.stylize("dim")
                parts.append(entry)
                self._spans.append((y, x, x + entry.cell_length, k.key))
                x += entry.cell_length
            if y == len(lines) - 1 and with_palette and palette is not None:
                entry = Content.assemble(Content(palette.shown).stylize(KEY_STYLE), " ", palette.description, " ")
                pad = width - x - entry.cell_length
                parts.append(Content(" " * pad))
                self._spans.append((y, x + pad, width, palette.key))
                parts.append(entry)
            rendered.append(Content.assemble(*parts))
        return Content("\n").join(rendered)

    def on_click(self, event: events.Click) -> None:
        for y, start, end, key in self._spans:
            if y == event.y and start <= event.x < end:
                self.app.simulate_key(key)
                return
