"""bj30 at 60x20 (and on the way there): footers keep `? Help`, dialogs fit, screens stay usable."""

from __future__ import annotations

from pathlib import Path

from tui.app import Bj30App
from tui.dialogs.help import HelpDialog
from tui.widgets.keys_line import Key, KeysLine, fit_keys

SMALL = (60, 20)


def footer(app: Bj30App) -> str:
    return app.screen.query_one(KeysLine).render().plain


def test_fit_keys_keeps_help_and_drops_from_the_end() -> None:
    keys = [Key(k, k, d, True, d) for k, d in (("n", "Next"), ("p", "Prev"), ("g", "Go to"))]
    keys.append(Key("?", "?", "Help", True, "help", id="app.help"))
    keys.append(Key("l", "l", "Checklists", True, "checklists"))
    palette = Key("ctrl+p", "^p", "palette", True, "command_palette")
    assert fit_keys(keys, 200, palette) == (keys, True)
    chosen, with_palette = fit_keys(keys, 30, palette)
    assert [k.key for k in chosen] == ["n", "p", "?"] and not with_palette
    chosen, _ = fit_keys(keys, 5, palette)
    assert [k.key for k in chosen] == ["?"]  # never dropped, even when nothing else fits


async def test_every_screen_keeps_help_in_its_footer_at_60_columns(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        assert "? Help" in footer(app) and "n Next" in footer(app)
        await pilot.press("slash")
        # `?` types into the search box here: f1 is the help key, and `/` is not offered again.
        assert "f1 Help" in footer(app) and "/ Search" not in footer(app)
        await pilot.press("escape", "l")
        assert "? Help" in footer(app) and "esc Back" in footer(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "? Help" in footer(app) and "space Done" in footer(app)
        for line in footer(app).splitlines():  # on two lines when one does not hold the keys
            assert len(line) <= SMALL[0]


async def test_a_click_on_a_footer_key_presses_it(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        lines = footer(app).splitlines()
        y = next(i for i, line in enumerate(lines) if "? Help" in line)
        await pilot.click(KeysLine, offset=(lines[y].index("? Help") + 2, y))
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
