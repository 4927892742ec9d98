"""Pilot tests of live search: typing, choosing, opening with highlights, going back."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    return {body.plain[s.start : s.end].lower() for s in body.spans}


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
        listing = app.screen.query_one(HitList)
        await pilot.press("down", "down", "up")
        # Separators are not options, and the group headings cannot be chosen.
        assert listing.get_option_at_index(listing.highlighted).id == "hit-1"
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
        assert plain(app.screen.query_one("#search-status")) == (
            "The 30 Measures never mention: qqqqzzzz. Nothing in the policy addresses this."
        )
        field.value = "customs " * 1250  # a 10,000-character paste
        await settle(app, pilot)
        assert app.screen.query_one(HitList).hits[0].place == 27


async def test_slash_is_ignored_over_dialogs(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark", "slash")
        assert isinstance(app.screen, HelpDialog)


def option_texts(listing: HitList) -> list[str]:
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_results_are_grouped_and_enter_on_an_item_opens_its_checklist(tmp_path: Path, make_app) -> None:
    from textual.widgets import OptionList

    from tui.screens.checklist import ChecklistScreen
    from tui.screens.roles import RolesScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"stock options")
        await settle(app, pilot)
        listing = app.screen.query_one(HitList)
        groups = [h.group for h in listing.hits]
        assert groups == sorted(groups, key=["policy", "items", "notes"].index) and {"policy", "items"} <= set(groups)
        texts = option_texts(listing)
        assert texts.index("Policy") < texts.index("Checklist items")
        assert "via 'stock options' -> employee ownership" in texts[1]  # measure 22, through the thesaurus
        assert plain(app.screen.query_one("#search-status")).startswith("1 place, 1 item found")
        # Down to the first checklist item, past the heading.
        first_item = next(i for i, h in enumerate(listing.hits) if h.group == "items")
        while listing.get_option_at_index(listing.highlighted).id != f"hit-{first_item}":
            await pilot.press("down")
        hit = listing.hits[first_item]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen) and app.screen.role == hit.role
        assert app.screen.query_one("#items", OptionList).highlighted_option.id == hit.item
        await pilot.press("escape")
        assert isinstance(app.screen, RolesScreen)


async def test_a_note_is_found_and_opens_its_item(tmp_path: Path, make_app) -> None:
    from textual.widgets import OptionList

    from tui.screens.checklist import ChecklistScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        wb = app.workbench
        item = wb.checklist("university").items[5]
        wb.update("university", item, status="done", note="Agreed with [bold]HR[/bold]: zebrafish lab rules")
        checklist = ChecklistScreen("university")
        await app.push_screen(checklist)  # searching from this checklist, whose filter hides the item
        await pilot.pause()
        checklist.filter = "open"
        await pilot.pause()
        await pilot.press("slash", *"zebrafish")
        await settle(app, pilot)
        listing = app.screen.query_one(HitList)
        assert [(h.group, h.item) for h in listing.hits] == [("notes", item.id)]
        assert "Agreed with [bold]HR[/bold]" in option_texts(listing)[0]  # literal, never markup
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is checklist and checklist.filter == "all"
        assert checklist.query_one("#items", OptionList).highlighted_option.id == item.id


async def test_palette_finds_measures_by_their_text(tmp_path: Path, make_app) -> None:
    from tui.commands import MeasuresProvider

    app = make_app()
    async with app.run_test(size=(100, 30)):
        provider = MeasuresProvider(app.screen)
        hits = [hit async for hit in provider.search("patent")]
        assert any(h.text.startswith("Measure 24.") for h in hits)
        titled = [hit async for hit in provider.search("customs")]
        best = max(titled, key=lambda h: h.score)
        assert best.text.startswith("Measure 27.")
        assert len([h for h in titled if h.text.startswith("Measure 27.")]) == 1  # once, by its title


async def test_a_burst_of_keys_leaves_no_search_unawaited(tmp_path: Path, make_app, recwarn: pytest.WarningsRecorder) -> None:
    """Each key cancels the search of the key before; one cancelled before it started was a
    coroutine never awaited (RuntimeWarning "coroutine 'SearchScreen._search' was never awaited")."""
    import gc

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one(Input)
        # Keys as a terminal delivers a burst: each change queued before any search could start.
        query = "how much overhead can a grant charge"
        for n in range(1, len(query) + 1):
            box.value = query[:n]
        await settle(app, pilot)
        assert app.screen.query_one(HitList).hits
    gc.collect()
    assert [str(w.message) for w in recwarn if "never awaited" in str(w.message)] == []


async def test_palette_ranks_measures_by_their_text_as_search_does(tmp_path: Path, make_app) -> None:
    """`overhead` matched five titles letter by letter above the two measures on indirect
    expenses (issue 25); the search's order comes first now."""
    from tui.commands import MeasuresProvider

    app = make_app()
    async with app.run_test(size=(100, 30)):
        provider = MeasuresProvider(app.screen)
        hits = sorted([hit async for hit in provider.search("overhead")], key=lambda h: -h.score)
        assert [h.text.split(".")[0] for h in hits[:2]] == ["Measure 17", "Measure 16"]
        hits = sorted([hit async for hit in provider.search("17")], key=lambda h: -h.score)
        assert hits[0].text.startswith("Measure 17.")


async def test_an_item_id_opens_the_item_from_the_palette_and_from_search(tmp_path: Path, make_app) -> None:
    from tui.commands import MeasuresProvider
    from tui.screens.checklist import ChecklistScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        provider = MeasuresProvider(app.screen)
        hits = sorted([hit async for hit in provider.search("UNI-089")], key=lambda h: -h.score)
        assert hits[0].text == "uni-089 · Universities and institutions of higher learning"
        hits[0].command()
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen) and app.screen.role == "university"
        assert app.screen.query_one("#items").highlighted_option.id == "uni-089"
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("slash", *"uni-089")
        await settle(app, pilot)
        listing = app.screen.query_one(HitList)
        assert (listing.hits[0].group, listing.hits[0].item) == ("items", "uni-089")
        assert "found" in plain(app.screen.query_one("#search-status"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen) and app.screen.query_one("#items").highlighted_option.id == "uni-089"


async def test_the_screen_says_what_the_policy_does_not_say(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"student tuition fees")
        await settle(app, pilot)
        status = plain(app.screen.query_one("#search-status"))
        assert (
            status == "The 30 Measures never mention: tuition, fees. Nothing in the policy addresses this. The nearest, partial:"
        )
        listing = app.screen.query_one(HitList)
        first = listing.get_option_at_index(listing.highlighted).prompt
        assert "(partial)" in first.plain and first.plain.endswith("missing: tuition, fees")
        box = app.screen.query_one(Input)
        box.value = "reward researchers"
        await settle(app, pilot)
        assert "found" in plain(app.screen.query_one("#search-status"))
        assert {h.place for h in listing.hits[:2]} == {12, 13}
        assert not any(h.partial for h in listing.hits[:2])
