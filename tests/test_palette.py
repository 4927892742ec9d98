"""The command palette's built-in entries: only those that make sense in bj30, and they work."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import Bj30App
from tui.dialogs.help import HelpDialog


async def test_the_system_commands_are_theme_keys_screenshot_quit(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)):
        assert [c.title for c in app.get_system_commands(app.screen)] == ["Theme", "Keys", "Screenshot", "Quit"]


async def run_from_palette(app: Bj30App, pilot, words: str) -> None:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p", *words)
    for _ in range(60):  # the palette searches in the background: wait for the entry, not a fixed time
        await pilot.pause(0.05)
        palette = app.screen
        if isinstance(palette, CommandPalette) and palette.query_one(CommandList).option_count:
            first = palette.query_one(CommandList).get_option_at_index(0).prompt
            if words.lower() in str(getattr(first, "plain", first)).lower():
                break
    await pilot.press("enter")
    await pilot.pause(0.3)


async def test_keys_opens_bj30s_help(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_from_palette(app, pilot, "Keys")
        assert isinstance(app.screen, HelpDialog)


async def test_screenshot_saves_in_the_current_folder_and_says_where(
    tmp_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_from_palette(app, pilot, "Screenshot")
        saved = list(here.glob("*.svg"))
        assert len(saved) == 1 and "<svg" in saved[0].read_text(encoding="utf-8")
        assert any(n.message == f"Screenshot saved to {saved[0]}" for n in app.notices)


async def test_screenshot_falls_back_to_the_data_folder_when_here_is_read_only(
    tmp_path: Path, make_app, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    import tui.core.locations

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tui.core.locations, "_writable", lambda folder: False)
    app = make_app()
    async with app.run_test(size=(80, 24)):
        path = app.save_screenshot_here()
        assert path is not None and path.parent == isolated_home / "data" / "bj30" / "screenshots"
        assert path.is_file() and not list(tmp_path.glob("*.svg"))


async def test_a_screenshot_that_cannot_be_written_is_one_clear_error(
    tmp_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.core.locations

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setattr(tui.core.locations, "screenshot_dir", lambda: blocked / "screenshots")
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.save_screenshot_here() is None
        assert app.is_running
        error = app.notices[-1]
        assert error.severity == "error" and error.message.startswith("Screenshot not saved: cannot write in ")


async def test_in_a_browser_the_screenshot_is_handed_to_the_browser(
    tmp_path: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    delivered: list[tuple[str, bytes, str]] = []

    def deliver_binary(binary, *, save_filename: str, mime_type: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
        delivered.append((save_filename, binary.read(), mime_type))
        return "key"

    async with app.run_test(size=(80, 24)):
        monkeypatch.setattr(Bj30App, "is_web", property(lambda self: True))
        monkeypatch.setattr(app, "deliver_binary", deliver_binary)
        app.take_screenshot()
        # A download (as the palette says), not a page the browser opens in a new tab.
        [(name, svg, mime)] = delivered
        assert name.startswith("bj30-screenshot-") and name.endswith(".svg") and mime == "image/svg+xml"
        assert svg.startswith(b"<svg") and not list(tmp_path.glob("*.svg"))
        assert app.notices[-1].message == f"Your browser downloads it as {name}"
        screenshot = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"][0]
        assert "browser downloads it" in screenshot.help
