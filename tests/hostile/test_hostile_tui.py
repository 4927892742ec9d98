"""Issue 12 in the TUI: user text shown literally everywhere, the palette too (section 6); a full
disk, a store path that is a folder and a damaged ui-state do not end the app."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Input, OptionList, TextArea

from tests.helpers import plain
from tests.hostile.common import ESCAPES, control_chars, user_checklist, write_user_checklist
from tests.hostile.test_hostile_full_disk import FULL, FullOnCommit
from tui.core.store.model import DEFAULT_PROFILE
from tui.core.store.sqlite import Store
from tui.screens.checklist import ChecklistScreen

SIZE = (120, 40)
HOSTILE_TITLE = "Lab \\u001b]0;pwned\\u0007 \\u009b31m \\u202eevil"


def screen_text(app) -> str:
    """Every character the top screen would send to the terminal, its dialogs and toasts included."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def hostile_store(path: Path, role: str = "my-lab", item: str = "my-lab-1") -> None:
    store = Store.open(path).store
    store.update(DEFAULT_PROFILE, role, item, status="doing", note=ESCAPES, owner=ESCAPES, fingerprint="")
    store.update_profile(DEFAULT_PROFILE, ESCAPES, ESCAPES)
    store.close()


async def open_lab(app, pilot) -> ChecklistScreen:
    app.push_screen(ChecklistScreen("my-lab"))
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


async def test_the_checklist_screen_and_the_roles_show_user_text_literally(make_app, tmp_path: Path) -> None:
    write_user_checklist("lab.toml", user_checklist(title=HOSTILE_TITLE, text="T \\u001b[2J \\u2066x"))
    hostile_store(tmp_path / "progress.sqlite3")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lab(app, pilot)
        shown = screen_text(app)
        assert control_chars(shown) == [] and "\\x1b]0;pwned" in shown and "T \\x1b[2J" in shown
        assert "Note: hi \\x1b]0;pwned\\x07" in plain(app.screen.query_one("#item-detail-text"))
        await pilot.press("escape", "l")  # the roles screen
        await pilot.pause()
        shown = screen_text(app)
        assert control_chars(shown) == [] and "Lab \\x1b]0;pwned\\x07" in shown


async def test_notifications_show_user_text_literally(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.notify(f"a warning quoting {ESCAPES}", title=ESCAPES, severity="warning")
        await pilot.pause()
        toast = list(app._notifications)[-1]  # what the toast draws
        assert control_chars(toast.message + toast.title) == [] and "quoting hi \\x1b]0;pwned" in toast.message
        assert control_chars(app.notices[-1].message) == []


async def test_dialogs_show_user_text_literally_and_keep_it_when_saved_unchanged(make_app, tmp_path: Path) -> None:
    write_user_checklist("lab.toml", user_checklist())
    hostile_store(tmp_path / "progress.sqlite3")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lab(app, pilot)
        await pilot.press("e")  # the note dialog: note, owner and due date in editable fields
        await pilot.pause()
        assert isinstance(app.screen.query_one(TextArea), TextArea)
        assert control_chars(screen_text(app)) == []
        await pilot.press("ctrl+s")  # saved as it was: the note is not rewritten as escapes
        await pilot.pause()
        kept = Store.open(tmp_path / "progress.sqlite3").store.item(DEFAULT_PROFILE, "my-lab", "my-lab-1")
        assert (kept.note, kept.owner) == (ESCAPES, " ".join(ESCAPES.split()))
        await pilot.press("a")  # the N/A reason, prefilled with the note
        await pilot.pause()
        assert control_chars(screen_text(app)) == []
        await pilot.press("escape", "escape", "l", "P")  # the profile choice: institutions listed
        await pilot.pause()
        assert control_chars(screen_text(app)) == [] and "\\x1b]0;pwned" in screen_text(app)
        options = app.screen.query_one(OptionList)
        options.highlighted = [i for i, o in enumerate(options.options) if "Edit" in str(o.prompt)][0]
        await pilot.press("enter")  # the profile form, prefilled with the institution
        await pilot.pause()
        assert control_chars(screen_text(app)) == []
        assert "\\x1b" in app.screen.query_one("#profile-institution", Input).value
        await pilot.press("enter")  # saved unchanged: still the original text
        await pilot.pause()
        profile = Store.open(tmp_path / "progress.sqlite3").store.profile(DEFAULT_PROFILE)
        assert profile.institution == " ".join(ESCAPES.split())


async def test_search_hits_show_notes_literally(make_app, tmp_path: Path) -> None:
    write_user_checklist("lab.toml", user_checklist())
    hostile_store(tmp_path / "progress.sqlite3")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.press(*"pwned")
        await pilot.pause(0.5)
        from tui.widgets.hit_list import HitList

        prompts = [str(o.prompt) for o in app.screen.query_one(HitList).options]
        assert any("hi \\x1b]0;pwned" in p for p in prompts)  # the note's hit
        assert control_chars("\n".join(prompts)) == [] and control_chars(screen_text(app)) == []


# Section 6: the command palette ----------------------------------------------------------------


async def test_palette_hits_show_checklist_titles_literally(make_app) -> None:
    from tui.commands import WorkbenchProvider

    titles = {
        "clk": "Clk [@click=app.quit]QUITNOW[/] [reverse]REV[/]",
        "lnk": "Clk [link=file:///etc/passwd]passwd[/link]",
        "esc": "Clk \\u001b]0;pwned\\u0007",
    }
    for role, title in titles.items():
        write_user_checklist(f"{role}.toml", user_checklist(role=role, title=title))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = WorkbenchProvider(app.screen)
        hits = [hit async for hit in provider.search("Clk")]
        prompts = {str(hit.help): hit.prompt for hit in hits}
        found = [p.plain for p in prompts.values()]
        assert "Open checklist: Clk [@click=app.quit]QUITNOW[/] [reverse]REV[/]" in found
        assert "Open checklist: Clk [link=file:///etc/passwd]passwd[/link]" in found  # not lost to a MarkupError
        assert "Open checklist: Clk \\x1b]0;pwned\\x07" in found
        for prompt in prompts.values():
            for span in prompt.spans:  # the only styling is the match highlight: no link, no click, no reverse
                assert "link" not in str(span.style) and "@click" not in str(span.style)
                assert prompt.plain[span.start : span.end].strip() in ("", "C", "l", "k", "Clk")
        discovered = [hit.prompt.plain async for hit in provider.discover()]
        assert "Open checklist: Clk [@click=app.quit]QUITNOW[/] [reverse]REV[/]" in discovered


# Faults in the TUI ---------------------------------------------------------------------------


async def test_a_full_disk_leaves_the_app_running_and_the_item_as_it_was(make_app, tmp_path: Path) -> None:
    write_user_checklist("lab.toml", user_checklist())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lab(app, pilot)
        store = app.workbench.store
        store._conn = FullOnCommit(store._conn)  # type: ignore[assignment]
        await pilot.press("space")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert app.notices[-1].message == FULL
        assert screen.state is not None and screen.state.state_of("my-lab-1").status == "todo"
        assert "Status: to do" in plain(screen.query_one("#item-detail-text"))
        store._conn.full = False  # type: ignore[attr-defined]
        await pilot.press("space")
        await pilot.pause()
        assert screen.state.state_of("my-lab-1").status == "done"


async def test_a_store_path_that_is_a_folder_gives_a_read_only_app(make_app, tmp_path: Path) -> None:
    (tmp_path / "progress.sqlite3").mkdir()
    write_user_checklist("lab.toml", user_checklist())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lab(app, pilot)
        assert any("is a folder, not the progress store file" in n.message for n in app.notices)
        assert "READ-ONLY" in plain(app.screen.query_one("#checklist-progress"))
        await pilot.press("space")
        await pilot.pause()
        assert app.is_running and "not saved: read-only session" in app.notices[-1].message


async def test_a_damaged_ui_state_is_moved_aside_and_the_app_starts(tmp_path: Path) -> None:
    from tui.app import Bj30App

    state = tmp_path / "ui-state.json"
    state.write_bytes(b'{"theme": "\xff\xfe' + b"[" * 50_000)
    app = Bj30App(state_path=state, store_path=tmp_path / "progress.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running
        assert any("moved aside to" in n.message for n in app.notices)
    assert [p.name.split(".damaged-")[0] for p in tmp_path.iterdir() if "damaged" in p.name] == ["ui-state.json"]


def test_the_store_keeps_the_hostile_text_exactly(tmp_path: Path) -> None:
    hostile_store(tmp_path / "progress.sqlite3")
    conn = sqlite3.connect(tmp_path / "progress.sqlite3")
    assert conn.execute("SELECT note FROM progress").fetchone()[0] == ESCAPES  # shown escaped, stored as typed
    conn.close()


async def test_a_newer_store_says_its_progress_cannot_be_shown(make_app, tmp_path: Path) -> None:
    from tui.core.store.sqlite_schema import SCHEMA_VERSION
    from tui.screens.roles import RolesScreen

    path = tmp_path / "progress.sqlite3"
    Store.open(path).store.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, RolesScreen)
        assert any("this bj30 cannot show its progress" in n.message for n in app.notices)
        assert " 0/" not in screen_text(app) and "0 done" not in screen_text(app)
