"""Pilot tests of live search: typing, choosing, opening with highlights, going back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.helpers import plain
from tui.app import Bj30App
from tui.dialogs.help import HelpDialog
from tui.screens.reader import ReaderScreen
from tui.screens.search import SearchScreen
from tui.widgets.hit_list import HitList
from tui.widgets.measure_view import MeasureView


async def settle(app: Bj30App, pilot) -> None:
    await pilot.pause()  # let Input.Changed start the search worker
    await app.workers.wait_for_complete()
    await pilot.pause()


def highlighted_words(app: Bj30App) -> set[str]:
    body = app.screen.query_one(MeasureView)._body.visual
    return {body.plain[s.start:s.end].lower() for s in body.spans}


async def test_slash_types_and_enter_opens_the_hit_highlighted(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"intelectual proprty")
        await settle(app, pilot)
        hits = app.screen.query_one(HitList).hits
        assert hits[0].place == 24
        assert "found" in plain(app.screen.query_one("#search-status"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.place == 24
        assert {"intellectual", "property"} <= highlighted_words(app)


async def test_arrows_choose_among_hits(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"talent")
        await settle(app, pilot)
        hits = app.screen.query_one(HitList).hits
        assert len(hits) >= 2
        await pilot.press("down", "down", "up")
        assert app.screen.query_one(HitList).highlighted == 1  # separators are not options
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.place == hits[1].place


async def test_escape_goes_back_and_the_query_is_kept(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.open(5)
        await pilot.press("slash", *"talent")
        await settle(app, pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen) and app.screen.place == 5
        await pilot.press("slash")
        await settle(app, pilot)
        assert app.screen.query_one(Input).value == "talent"
        assert app.screen.query_one(HitList).hits


async def test_empty_no_match_and_hostile_queries(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(app, pilot)
        assert "Type words" in plain(app.screen.query_one("#search-status"))
        await pilot.press(*"[@click=app.quit]")
        await settle(app, pilot)
        assert app.is_running
        await pilot.press("enter")  # the query may match ("application"), but never acts
        await pilot.pause()
        assert app.is_running
        if not isinstance(app.screen, SearchScreen):
            await pilot.press("slash")
        field = app.screen.query_one(Input)
        field.value = "[qqqqzzzz]"
        await settle(app, pilot)
        assert "No match for '[qqqqzzzz]'" in plain(app.screen.query_one("#search-status"))
        field.value = "customs " * 1250  # a 10,000-character paste
        await settle(app, pilot)
        assert app.screen.query_one(HitList).hits[0].place == 27


async def test_slash_is_ignored_over_dialogs(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark", "slash")
        assert isinstance(app.screen, HelpDialog)
