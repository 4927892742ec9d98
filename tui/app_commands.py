"""The palette's system commands and the screenshot, for the bj30 app (kept out of tui/app.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ReturnType
from textual.screen import Screen

from tui.core import locations

if TYPE_CHECKING:
    from textual.app import SystemCommand


class SystemCommandsApp(App[ReturnType]):
    """Textual's built-in palette entries that make sense in bj30, worded for it; screenshots."""

    def action_help(self) -> None:  # bj30's help dialog: tui/app.py
        raise NotImplementedError

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's built-in palette entries that make sense in bj30, worded for it.

        Kept: Theme (remembered across runs), Quit. Keys opens bj30's own help (every key of
        the screen) instead of Textual's widget help panel. Screenshot saves where it can and
        says where (Textual's saves to ~/Downloads, which fails where there is none). Dropped:
        Maximize/Minimize: `t` already gives the text the whole width, and a maximized list
        would change what escape does on the checklist screens.
        """
        from textual.app import SystemCommand

        yield SystemCommand("Theme", "Change the colours (remembered next time)", self.action_change_theme)
        yield SystemCommand("Keys", "Every key of this screen (? or f1)", self.action_help)
        where = "your browser downloads it" if self.is_web else "in the current folder"
        yield SystemCommand(
            "Screenshot", f"Save a picture of the screen (SVG): {where}", lambda: self.set_timer(0.1, self.take_screenshot)
        )  # after the palette closes
        yield SystemCommand("Quit", "Quit bj30 (q)", self.action_quit)

    def take_screenshot(self) -> None:
        if self.is_web:
            # In a browser (bj30 serve) the file goes to the browser as a download (Textual's own
            # deliver_screenshot would have the browser open it in a new tab instead).
            import datetime as dt

            from tui.flows.export import deliver

            name = f"bj30-screenshot-{dt.datetime.now():%Y-%m-%d-%H%M%S}.svg"
            deliver(self, name, self.export_screenshot().encode("utf-8"), "image/svg+xml", what="Screenshot")  # type: ignore[arg-type]
        else:
            self.save_screenshot_here()

    def save_screenshot_here(self) -> Path | None:
        """Save an SVG of the screen in locations.screenshot_dir() and say where; None if it failed."""
        folder = locations.screenshot_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = Path(self.save_screenshot(path=str(folder)))
        except OSError as exc:
            self.notify(f"Screenshot not saved: cannot write in {folder} ({exc.strerror or exc})", severity="error", timeout=8)
            return None
        self.notify(f"Screenshot saved to {path}", title="Screenshot", timeout=8)
        return path
