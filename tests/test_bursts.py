"""Keys typed in one burst, right after start and after each screen change: none lost, none misplaced.

The keys go in as a terminal sends them when typed faster than the app handles them (tests/helpers.burst),
not one at a time as pilot.press does. Each of these lost or misplaced keys before keys were held in
order (tui/key_order.py): "Go to" opened empty, the search lost its query, tab and text put the text in
the field tab had left.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from tests.helpers import burst, plain, settle
from tui.dialogs.goto import GotoDialog
from tui.dialogs.note import NoteDialog
from tui.dialogs.profile import ProfileDialog
from tui.screens.checklist import ChecklistScreen
from tui.screens.reader import ReaderScreen
from tui.screens.search import SearchScreen
from tui.widgets.header_line import HeaderLine


def where(app) -> str:
    return app.screen.query_one(HeaderLine).where


async def test_go_to_typed_at_once_right_after_start(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "g24", "<enter>")  # no pause: the first screen may not even be up
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert where(app).startswith("Measure 24")


async def test_go_to_then_search_typed_at_once(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "g17", "<enter>", "/patent pool")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input", Input).value == "patent pool"
        burst(app, "<enter>")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.last_query == "patent pool"


async def test_go_to_keeps_every_key_of_a_burst(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        burst(app, "g2")
        await settle(pilot)
        assert isinstance(app.screen, GotoDialog)
        assert app.screen.query_one(Input).value == "2"
        burst(app, "<backspace>", "notice", "<enter>", "g", "III", "<enter>")
        await settle(pilot)
        assert where(app).startswith("Measure 10 · Part III")  # the part's first measure


async def test_new_profile_tab_then_text_lands_in_the_next_field(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "lP", "<end>", "<enter>", "pku", "<tab>", "Peking University", "<tab>", "Law School")
        await settle(pilot)
        assert isinstance(app.screen, ProfileDialog)
        values = {i.id: i.value for i in app.screen.query(Input)}
        assert values == {"profile-name": "pku", "profile-institution": "Peking University", "profile-department": "Law School"}
        burst(app, "<enter>")
        await settle(pilot)
        assert app.workbench.check_profile().institution == "Peking University"


async def test_note_typed_at_once_after_opening_a_checklist(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, "l", "<enter>", "jj", "e", "Ask the 财务处 first", "<tab>", "财务处 孙磊", "<tab>", "2026-12-31", "<enter>")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen), type(app.screen)
        s = app.screen.current
        assert s is not None and (s.progress.note, s.progress.owner, s.progress.due) == (
            "Ask the 财务处 first",
            "财务处 孙磊",
            "2026-12-31",
        )
        assert "owner 财务处 孙磊" in plain(app.screen.query_one("#item-detail-text"))


async def test_a_burst_into_the_note_dialog_shows_every_character(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "l", "<enter>", "e", "one two three")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == "one two three"


async def test_typing_at_a_human_pace_is_not_held(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "5", "enter")
        assert app.keys_waiting == 0 and where(app).startswith("Measure 5")


async def test_keys_typed_after_a_slow_save_go_where_the_dialog_closes_to(make_app) -> None:
    import threading

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "l", "<enter>")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        first = screen.current_id
        release = threading.Event()
        update = app.workbench.update

        def slow_update(*args, **kwargs):
            release.wait(30)  # a colleague's lock on the item, a slow link
            return update(*args, **kwargs)

        app.workbench.update = slow_update  # type: ignore[method-assign]
        burst(app, "e", "Minutes filed", "<tab>", "孙磊", "<enter>", "j")  # j: meant for the list
        for _ in range(20):
            await pilot.pause_only()
        assert isinstance(app.screen, NoteDialog) and app.screen.saving
        assert app.screen.query_one("#note-owner", Input).value == "孙磊", "the j went into the field"
        release.set()
        await settle(pilot)
        assert app.screen is screen and screen.current_id != first, "the j typed after enter was lost"
        assert screen.state.state_of(first).progress.note == "Minutes filed"
