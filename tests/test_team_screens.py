"""Pilot tests of working at once, on both backends: another officer's change shows up within a
second with who made it, a conflicting note save keeps the typed text, and (team store) the
server going away mid-session and coming back."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input, TextArea

from tests import pg
from tests.helpers import plain
from tests.stores import Backend
from tests.test_checklist_screens import SIZE, open_checklist, select
from tui.app import Bj30App
from tui.dialogs.note import NoteDialog


def app_on(backend: Backend, tmp_path: Path) -> Bj30App:
    return Bj30App(state_path=tmp_path / "ui-state.json", store=backend.text)


def fingerprint(app: Bj30App, role: str, item: str) -> str:
    found = app.workbench.checklist(role).item(item)
    assert found is not None
    return found.fingerprint


async def test_another_officers_change_shows_within_a_second_with_who(backend: Backend, tmp_path: Path) -> None:
    app = app_on(backend, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-001")
        await pilot.press("space")  # our own change: no notice about it
        other = backend.open()
        other.update("default", "university", "uni-006", status="done", fingerprint=fingerprint(app, "university", "uni-006"))
        changed = time.monotonic()
        while "2/" not in plain(screen.query_one("#checklist-progress")) and time.monotonic() - changed < 1.0:
            await pilot.pause(0.05)
        assert time.monotonic() - changed < 1.0, "another officer's change took a second or more to show"
        who = getattr(other, "user", "")
        said = f"uni-006 marked done by {who}" if who else "uni-006 marked done in another bj30"
        assert [n.message for n in app.notices if "uni-0" in n.message] == [said]


async def test_a_conflicting_note_save_is_refused_and_keeps_the_typed_text(backend: Backend, tmp_path: Path) -> None:
    app = app_on(backend, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-017")
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one(TextArea).text = "My careful paragraph\nwith two lines"
        other = backend.open()  # a colleague saves a note on the same item meanwhile
        other.update(
            "default", "university", "uni-017", note="Finance's version", fingerprint=fingerprint(app, "university", "uni-017")
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # not closed, not saved
        error = plain(dialog.query_one(".dialog-error"))
        who = getattr(other, "user", "")
        assert f"note changed {'by ' + who if who else 'in another bj30'} " in error and " s ago: reload" in error
        assert dialog.query_one(TextArea).text == "My careful paragraph\nwith two lines"
        assert "Stored now: Finance's version" in plain(dialog.query_one("#note-theirs"))
        assert other.item("default", "university", "uni-017").note == "Finance's version"
        # Theirs seen: ctrl+s again saves ours over it, on record in the history.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert other.item("default", "university", "uni-017").note == "My careful paragraph\nwith two lines"
        notes = [h.new for h in other.history("default", "university") if h.field == "note"]
        assert notes == ["Finance's version", "My careful paragraph\nwith two lines"]


async def test_ctrl_r_after_a_conflict_loads_theirs(backend: Backend, tmp_path: Path) -> None:
    app = app_on(backend, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-017")
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one("#note-owner", Input).value = "Me"
        other = backend.open()
        other.update(
            "default",
            "university",
            "uni-017",
            owner="Li Wei",
            note="theirs",
            fingerprint=fingerprint(app, "university", "uni-017"),
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "owner changed" in plain(dialog.query_one(".dialog-error"))
        await pilot.press("ctrl+r")
        assert dialog.query_one("#note-owner", Input).value == "Li Wei"
        assert dialog.query_one(TextArea).text == "theirs"
        await pilot.press("escape")
        assert other.item("default", "university", "uni-017").owner == "Li Wei"


async def test_team_store_going_away_and_back_in_the_app(tmp_path: Path) -> None:
    with pg.fresh_schema() as url:
        proxy = pg.Proxy(url)
        proxy.start()
        try:
            app = Bj30App(state_path=tmp_path / "ui-state.json", store=proxy.url(url))
            async with app.run_test(size=SIZE) as pilot:
                screen = await open_checklist(app, pilot, "soe")
                store = app.workbench.store
                store.RETRY_SECONDS = 0.1  # type: ignore[attr-defined]
                proxy.stop()
                select(screen, "soe-001")  # the detail pane reads the item's history: the loss is found
                await pilot.press("space")
                await pilot.pause()
                errors = [n.message for n in app.notices if n.severity == "error"]
                assert any("the connection to the team store" in m and "broke" in m for m in errors), errors
                assert errors[-1].startswith("not saved: "), errors  # the tick: refused, saying why
                assert "READ-ONLY" in plain(screen.query_one("#checklist-progress"))
                assert "0/" in plain(screen.query_one("#checklist-progress"))  # never shown as done
                deadline = time.monotonic() + 1.0  # the next poll says it as a warning too
                while not any(n.message.startswith("read-only session:") for n in app.notices):
                    assert time.monotonic() < deadline, "the read-only session was not said within a second"
                    await pilot.pause(0.05)
                proxy.start()
                deadline = time.monotonic() + 10
                while app.workbench.read_only and time.monotonic() < deadline:
                    await pilot.pause(0.1)
                await pilot.pause(0.6)
                assert any("answers again: changes are saved again" in n.message for n in app.notices)
                # Said once each way, however often the reason's wording changed meanwhile.
                assert len([n for n in app.notices if n.message.startswith("read-only session:")]) == 1
                assert len([n for n in app.notices if "answers again" in n.message]) == 1
                assert "READ-ONLY" not in plain(screen.query_one("#checklist-progress"))
                await pilot.press("space")
                await pilot.pause()
                assert "1/" in plain(screen.query_one("#checklist-progress"))
        finally:
            proxy.stop()
