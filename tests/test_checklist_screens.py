"""Pilot tests of the checklist screens, the role lens, profiles and export in the TUI."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from tests.helpers import plain
from tui.app import Bj30App
from tui.core.store.sqlite import Store
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.export_path import ExportPathDialog
from tui.dialogs.note import NoteDialog
from tui.dialogs.profile import ProfileDialog
from tui.dialogs.reason import ReasonDialog
from tui.screens.checklist import ChecklistScreen
from tui.screens.reader import ReaderScreen
from tui.screens.roles import RolesScreen
from tui.widgets.measure_view import MeasureView

SIZE = (100, 30)


def size_of(role: str) -> int:
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy

    return len(load_default_catalog(load_policy()).require(role).items)


def stored(tmp_path: Path, role: str, item: str):
    """What another connection reads: the change was committed."""
    store = Store.open(tmp_path / "progress.sqlite3").store
    try:
        return store.item("default", role, item)
    finally:
        store.close()


async def open_checklist(app: Bj30App, pilot, role: str) -> ChecklistScreen:
    await pilot.press("l")
    assert isinstance(app.screen, RolesScreen)
    roles = app.screen.query_one(OptionList)
    roles.highlighted = [o.id for o in roles.options].index(role)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen) and app.screen.role == role
    return app.screen


def select(screen: ChecklistScreen, item_id: str) -> None:
    listing = screen.query_one("#items", OptionList)
    listing.highlighted = [o.id for o in listing.options].index(item_id)


async def test_checklists_screen_lists_every_role_with_progress(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, RolesScreen)
        ids = [o.id for o in screen.query_one(OptionList).options]
        assert sorted(ids) == ["medical-institution", "research-institution", "soe", "tech-enterprise", "university"]
        first = screen.query_one(OptionList).options[ids.index("university")].prompt.plain
        assert f"0/{size_of('university')} done (0%)" in first
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_space_d_u_change_status_commit_and_update_progress_at_once(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-089")
        await pilot.press("space")
        assert stored(tmp_path, "university", "uni-089").status == "done"
        n = size_of("university")
        assert f"1/{n} done ({100 // n}%)" in plain(screen.query_one("#checklist-progress"))
        assert screen.current_id == "uni-089"  # the cursor stays on the item
        await pilot.press("space")
        assert stored(tmp_path, "university", "uni-089").status == "todo"
        await pilot.press("d")
        assert stored(tmp_path, "university", "uni-089").status == "doing"
        assert "1 doing" in plain(screen.query_one("#checklist-progress"))
        await pilot.press("u")
        assert stored(tmp_path, "university", "uni-089").status == "todo"
        await pilot.press("escape")
        roles = app.screen.query_one(OptionList)
        assert f"0/{n} done" in roles.options[[o.id for o in roles.options].index("university")].prompt.plain


async def test_na_asks_for_a_reason_and_refuses_an_empty_one(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "soe")
        select(screen, "soe-004")
        await pilot.press("a")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")
        assert isinstance(app.screen, ReasonDialog)
        assert "N/A needs a reason" in plain(app.screen.query_one(".dialog-error"))
        await pilot.press(*"Not a central SOE", "enter")
        await pilot.pause()
        item = stored(tmp_path, "soe", "soe-004")
        assert (item.status, item.note) == ("na", "Not a central SOE")
        assert "1 N/A" in plain(screen.query_one("#checklist-progress"))
        await pilot.press("a", "escape")
        assert stored(tmp_path, "soe", "soe-004").note == "Not a central SOE"


async def test_e_edits_note_owner_and_due_with_validation(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-017")
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one(TextArea).text = "Finance approves\nsecond line"
        dialog.query_one("#note-owner", Input).value = "Li Wei"
        dialog.query_one("#note-due", Input).value = "soon"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NoteDialog)
        assert "not a date" in plain(dialog.query_one(".dialog-error"))
        dialog.query_one("#note-due", Input).value = "2026-12-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        item = stored(tmp_path, "university", "uni-017")
        assert (item.note, item.owner, item.due) == ("Finance approves\nsecond line", "Li Wei", "2026-12-31")
        detail = plain(screen.query_one("#item-detail-text"))
        assert "owner Li Wei" in detail and "due 2026-12-31" in detail and "Finance approves" in detail


async def test_notes_are_shown_literally_and_never_act(tmp_path: Path, make_app) -> None:
    store = Store.open(tmp_path / "progress.sqlite3").store
    hostile = "[@click=app.quit]Quit now[/] [red]red[/red] [b]bold"
    store.update("default", "university", "uni-001", status="doing", note=hostile, fingerprint="f")
    store.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-001")
        await pilot.pause()
        assert f"Note: {hostile}" in plain(screen.query_one("#item-detail-text"))
        await pilot.click("#item-detail-text", offset=(8, 5))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ChecklistScreen)


async def test_filter_cycles_all_open_done_na(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "medical-institution")
        select(screen, "med-073")
        await pilot.press("space")

        def item_ids() -> list[str]:
            return [o.id for o in screen.query_one("#items", OptionList).options if not o.disabled]

        n = size_of("medical-institution")
        assert "med-073" in item_ids() and len(item_ids()) == n
        await pilot.press("f")
        assert screen.filter == "open" and "med-073" not in item_ids() and len(item_ids()) == n - 1
        await pilot.press("f")
        assert screen.filter == "done" and item_ids() == ["med-073"]
        await pilot.press("f")
        assert screen.filter == "N/A" and item_ids() == []
        assert "No items match" in plain(screen.query_one("#item-detail-text"))
        await pilot.press("f")
        assert screen.filter == "all"


async def test_enter_opens_the_measure_with_the_quote_marked_and_l_returns(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-021")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.place == 17
        body = app.screen.query_one(MeasureView)._body.visual
        marked = [body.plain[s.start : s.end] for s in body.spans if s.style == "reverse"]
        item = app.workbench.checklist("university").item("uni-021")
        assert marked and marked[0] == " ".join(item.quote.split()) and "60%" in marked[0]
        await pilot.press("l")
        assert isinstance(app.screen, ChecklistScreen) and app.screen.role == "university"
        await pilot.press("escape")
        assert isinstance(app.screen, RolesScreen)


async def test_role_lens_marks_duties_and_lists_items_with_status(tmp_path: Path, make_app) -> None:
    store = Store.open(tmp_path / "progress.sqlite3").store
    store.update("default", "university", "uni-089", status="done", fingerprint="f")
    store.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.open(17)
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.query_one(OptionList).highlighted = [v for v, _ in dialog.choices].index("university")
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(MeasureView)
        lens_text = plain(view._lens)
        assert "provisions of this measure concern you" in lens_text
        assert "Items citing this measure" in lens_text
        assert "[x] uni-089" in lens_text and "[ ] uni-021" in lens_text
        # Every provision of measure 17 that concerns a university is marked, not only the quoted ones.
        from tui.core.content.provisions import load_register

        mine = [p for p in load_register().in_measure(17) if "university" in p.roles and p.kind != "government"]
        marked = {(s.start, s.end) for s in view._body.visual.spans if "underline" in str(s.style) or "italic" in str(s.style)}
        assert {p.span for p in mine} <= marked
        assert all(p.id in lens_text for p in mine)
        # The words saying who a clause is for or when it applies (its scope) are marked bold.
        bold = {(s.start, s.end) for s in view._body.visual.spans if "bold" in str(s.style)}
        scoped = {span for p in mine for span in p.scope_spans}
        assert scoped and scoped <= bold
        assert "bold: who or when it applies" in lens_text
        assert json.loads((tmp_path / "ui-state.json").read_text())["lenses"] == {"default": "university"}  # per profile
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        again.screen.open(17)
        await pilot.pause()
        assert "uni-089" in plain(again.screen.query_one(MeasureView)._lens)


async def test_profiles_can_be_created_and_switched(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "P")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.query_one(OptionList).highlighted = len(dialog.choices) - 1  # New profile…
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, ProfileDialog)
        await pilot.press(*"pku", "enter")
        assert "Say which institution" in plain(form.query_one(".dialog-error"))
        form.query_one("#profile-institution", Input).value = "Peking University"
        form.query_one("#profile-institution", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RolesScreen)
        assert app.workbench.profile_name == "pku"
        assert "Profile pku (Peking University)" in plain(app.screen.query_one("#checklists-header"))


async def test_export_from_a_checklist_writes_and_confirms_overwrite(tmp_path: Path, make_app) -> None:
    app = make_app()
    target = tmp_path / "report.md"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "soe")
        select(screen, "soe-001")
        await pilot.press("space", "x")
        dialog = app.screen
        assert isinstance(dialog, ExportPathDialog)
        assert dialog.query_one(Input).value.endswith(".md") and "bj30-soe-default-" in dialog.query_one(Input).value
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text().count("- [x] ") == 1
        assert any(str(target) in n.message for n in app.notices)
        target.write_text("keep me")
        await pilot.press("x")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert target.read_text() == "keep me"
        await pilot.press("x")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter", "y")
        await pilot.pause()
        assert target.read_text().startswith("# Compliance with the 30 Measures")
        assert "Municipal technology-based state-owned enterprises (soe)" in target.read_text()


async def test_read_only_store_refuses_ticks_with_a_reason(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    app = Bj30App(state_path=tmp_path / "ui.json", store_path=blocker / "bj30" / "progress.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "soe")
        assert any("read-only session" in n.message for n in app.notices)
        assert "READ-ONLY" in plain(screen.query_one("#checklist-progress"))
        await pilot.press("space")
        assert any("not saved: read-only session" in n.message for n in app.notices)
        assert app.is_running


async def test_corrupt_store_and_broken_user_checklist_are_reported(tmp_path: Path, isolated_home: Path, make_app) -> None:
    (tmp_path / "progress.sqlite3").write_text("not a database" * 50)
    user = isolated_home / "config" / "bj30" / "checklists"
    user.mkdir(parents=True)
    (user / "broken.toml").write_text("role = [")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        messages = [n.message for n in app.notices]
        assert any("moved aside to" in m for m in messages)
        assert any("broken.toml: not valid TOML" in m for m in messages)
        assert len(app.screen.query_one(OptionList).options) == 5  # everything else loads


async def test_j_and_k_move_in_the_lists(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        roles = app.screen.query_one(OptionList)
        assert roles.highlighted == 0
        await pilot.press("j", "j", "k")
        assert roles.highlighted == 1
        screen = await open_checklist(app, pilot, "soe")
        first = screen.current_id
        await pilot.press("j")
        assert screen.current_id != first
        await pilot.press("k")
        assert screen.current_id == first


async def test_changes_from_another_bj30_show_up(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_checklist(app, pilot, "soe")
        select(screen, "soe-001")
        await pilot.press("space")  # our own change: no reload needed
        assert not app.workbench.changed_elsewhere()
        other = Store.open(tmp_path / "progress.sqlite3").store  # a second copy of bj30
        item = app.workbench.checklist("soe").item("soe-002")
        other.update("default", "soe", "soe-002", status="doing", note="from the other terminal", fingerprint=item.fingerprint)
        other.close()
        screen.poll()  # what the 2-second timer does
        await pilot.pause()
        assert "1 doing" in plain(screen.query_one("#checklist-progress"))
        assert "1/" in plain(screen.query_one("#checklist-progress"))


async def test_role_lens_from_the_checklists_screen_and_profile_edit(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "r")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.query_one(OptionList).highlighted = [v for v, _ in dialog.choices].index("soe")
        await pilot.press("enter")
        await pilot.pause()
        assert app.role_lens == "soe"
        assert "lens: soe" in plain(app.screen.query_one("#checklists-header"))
        await pilot.press("P")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.query_one(OptionList).highlighted = len(dialog.choices) - 2  # Edit the institution…
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, ProfileDialog) and form.query_one("#profile-name", Input).disabled
        form.query_one("#profile-institution", Input).value = "Tsinghua University"
        await pilot.press("enter")
        await pilot.pause()
        assert "Profile default (Tsinghua University)" in plain(app.screen.query_one("#checklists-header"))


async def test_export_dialog_refuses_folders_and_missing_folders(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_checklist(app, pilot, "soe")
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportPathDialog)
        for bad, message in (
            (str(tmp_path), "is a folder"),
            (str(tmp_path / "nope" / "r.md"), "no folder"),
            ("   ", "Give a file name"),
        ):
            dialog.query_one(Input).value = bad
            await pilot.press("enter")
            assert isinstance(app.screen, ExportPathDialog)
            assert message in plain(dialog.query_one(".dialog-error"))
        await pilot.press("escape")
        assert isinstance(app.screen, ChecklistScreen)


async def test_w_shows_who_acts_in_each_clause(make_app) -> None:
    from tui.core.content.provisions import load_register
    from tui.dialogs.who import WhoDialog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.open(9)
        await pilot.press("w")
        assert isinstance(app.screen, WhoDialog)
        text = plain(app.screen.query_one("#who-text"))
        for p in load_register().in_measure(9):
            assert p.anchor in text.replace("\n", " ") or p.anchor[:30] in text
        assert "may (permission)" in text or "support" in text
        # Who a clause is for, or when it applies, in the policy's words (issue 23).
        flat = " ".join(text.split())
        assert "who or when: “High-level foreign talents who have obtained permanent residency in China" in flat
        assert "“If foreign talents introduced are not eligible for enjoying social insurance benefits”" in flat
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        app.screen.open("preamble")  # the preamble has no clauses: a message, no dialog
        await pilot.press("w")
        assert isinstance(app.screen, ReaderScreen)
        assert any("no clauses in the register" in n.message for n in app.notices)
