"""Store work off the event loop (issue 20, 5) and the place kept in a checklist (issue 21, 6).

A cursor move reads nothing from the store; a slow save says it is saving while the officer goes
on; a refused note keeps the text typed; coming back to a checklist finds the item, the filter and
the scroll where they were.
"""

from __future__ import annotations

import threading

from textual.widgets import Input, OptionList, TextArea

from tests.helpers import burst, plain, settle
from tui.core.store.model import StoreError
from tui.dialogs.note import NoteDialog
from tui.screens.checklist import ChecklistScreen
from tui.screens.reader import ReaderScreen
from tui.screens.roles import RolesScreen


async def open_checklist(app, pilot, role: str = "university") -> ChecklistScreen:
    app.push_screen(RolesScreen())
    app.push_screen(ChecklistScreen(role))
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen) and app.screen.state is not None
    return app.screen


def select(screen: ChecklistScreen, item_id: str) -> None:
    listing = screen.query_one("#items", OptionList)
    listing.highlighted = listing.get_option_index(item_id)


async def test_a_cursor_move_reads_nothing_from_the_store(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(app, pilot)
        store = getattr(app.workbench.store, "unwrapped", app.workbench.store)
        reads: list[str] = []
        for name in ("evidence", "history", "progress", "profile", "changes_elsewhere"):
            original = getattr(store, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                if threading.current_thread() is threading.main_thread():
                    reads.append(_name)  # on the event loop: what a cursor move must never do
                return _original(*args, **kwargs)

            setattr(store, name, counted)
        for _ in range(6):
            await pilot.press("down")
        await pilot.press("up")
        assert reads == []
        assert plain(screen.query_one("#item-detail-text")).startswith(screen.current_id)


async def test_a_slow_save_says_saving_and_the_cursor_still_moves(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(app, pilot)
        workbench = app.workbench
        release = threading.Event()
        update = workbench.update

        def slow_update(*args, **kwargs):
            release.wait(30)  # a colleague's lock on the item, a slow link
            return update(*args, **kwargs)

        workbench.update = slow_update  # type: ignore[method-assign]
        first = screen.current_id
        burst(app, "<space>", "j")  # no waiting for the store: pilot.press would
        for _ in range(50):
            await pilot.pause_only()  # pilot.pause would wait for the store, which is held
            if screen.current_id != first:
                break
        assert screen.current_id != first, "the cursor waited for the save"
        for _ in range(100):  # a save that takes a while says so (after SAVING_SHOWN_AFTER_S)
            if "saving" in plain(screen.query_one("#checklist-progress")):
                break
            await pilot.pause_only(0.05)
        assert f"saving {first}" in plain(screen.query_one("#checklist-progress"))
        assert screen.state.state_of(first).status == "todo"  # not shown as done before the store has it
        release.set()
        await app.store_jobs.wait()
        await settle(pilot)
        assert screen.state.state_of(first).status == "done"
        assert "saving" not in plain(screen.query_one("#checklist-progress"))


async def test_a_refused_note_keeps_the_text_typed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checklist(app, pilot)
        workbench = app.workbench

        def refuse(*args, **kwargs):
            raise StoreError("not saved: the disk is full")

        workbench.update = refuse  # type: ignore[method-assign]
        await pilot.press("e")
        burst(app, "Minutes of 2026-14 at the 财务处", "<tab>", "财务处 孙磊", "<tab>", "2026-12-31")
        await settle(pilot)
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog), "a refused save must not close the dialog"
        assert dialog.query_one(TextArea).text == "Minutes of 2026-14 at the 财务处"
        assert dialog.query_one("#note-owner", Input).value == "财务处 孙磊"
        assert "the disk is full" in plain(dialog.query_one(".dialog-error")) and "Your text is kept" in plain(
            dialog.query_one(".dialog-error")
        )


async def test_coming_back_finds_the_item_the_filter_and_the_scroll(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(app, pilot)
        await pilot.press("f")  # open items only
        select(screen, "uni-035")
        await pilot.pause()
        for _ in range(12):
            await pilot.press("down")  # well down the list: it has scrolled
        kept, scroll = screen.current_id, screen.query_one("#items").scroll_y
        assert scroll > 0
        await pilot.press("enter")  # the measure, in the reader
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("l")
        await pilot.pause()
        back = app.screen
        assert isinstance(back, ChecklistScreen) and back is not screen
        assert back.current_id == kept, "the place was lost: back on the first item"
        assert back.filter == "open"
        assert back.query_one("#items").scroll_y == scroll


async def test_the_role_lens_is_kept_per_profile(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.workbench.create_profile("pku-hospital", "Peking University Third Hospital")
        app.set_role_lens("university")
        app.workbench.remember_profile("pku-hospital")
        assert app.role_lens is None, "a university's lens followed the officer to the hospital"
        app.set_role_lens("medical-institution")
        app.workbench.remember_profile("default")
        assert app.role_lens == "university"
        await pilot.pause()
