"""The mouse (issue 21, 5): a click on a row selects it; a double click (or enter) opens it.

One click on a checklist's row used to leave the checklist for the measure, so a mouse user could
not select an item to tick it or write a note.
"""

from __future__ import annotations

from tests.helpers import plain
from tui.screens.actions import ActionsScreen
from tui.screens.checklist import ChecklistScreen
from tui.screens.reader import ReaderScreen
from tui.screens.roles import RolesScreen


async def open_university(app, pilot) -> ChecklistScreen:
    app.push_screen(RolesScreen())
    app.push_screen(ChecklistScreen("university"))
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


async def test_a_click_on_a_checklist_row_selects_it_and_stays(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_university(app, pilot)
        listing = screen.query_one("#items")
        row = 3  # line 0 is the first measure's heading
        target = listing.get_option_at_index(row)
        await pilot.click("#items", offset=(8, row))
        await pilot.pause()
        assert app.screen is screen, "a click must not leave the checklist"
        assert screen.current_id == target.id
        assert plain(screen.query_one("#item-detail-text")).startswith(target.id)
        await pilot.press("space")  # the clicked item is the one ticked
        assert app.workbench.state("university").state_of(target.id).status == "done"


async def test_a_double_click_on_a_checklist_row_opens_its_measure(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_university(app, pilot)
        target = screen.query_one("#items").get_option_at_index(1)
        await pilot.double_click("#items", offset=(8, 1))
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        measure = app.workbench.checklist("university").item(target.id).measure
        assert app.screen.place == measure


async def test_a_click_on_a_heading_selects_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_university(app, pilot)
        before = screen.current_id
        await pilot.click("#items", offset=(8, 0))  # the measure's heading
        await pilot.pause()
        assert app.screen is screen and screen.current_id == before


async def test_roles_and_actions_click_selects_double_click_opens(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RolesScreen())
        await pilot.pause()
        roles = app.screen.query_one("#roles")
        await pilot.click("#roles", offset=(4, 2))  # each role takes two lines: the second role
        await pilot.pause()
        assert isinstance(app.screen, RolesScreen) and roles.highlighted == 1
        await pilot.double_click("#roles", offset=(4, 2))
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen) and app.screen.role == roles.get_option_at_index(1).id
        app.push_screen(ActionsScreen())
        await pilot.pause()
        actions = app.screen.query_one("#actions")
        await pilot.click("#actions", offset=(4, 2))  # two lines per action below 120 columns
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen) and actions.highlighted == 1
        await pilot.double_click("#actions", offset=(4, 2))
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
