"""The app as a tab of `bj30 serve` runs it (Pilot): who the header says makes the changes, whose
name the history records, exports as downloads, back and forward on the keys xterm.js sends, and
signing in to a team store. The real browser runs in tests/test_browser.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList

from tests.helpers import plain
from tui.app import Bj30App
from tui.core.store.sqlite import Store
from tui.dialogs.export_path import ExportPathDialog
from tui.dialogs.report import ReportDialog
from tui.screens.checklist import ChecklistScreen
from tui.screens.reader import ReaderScreen
from tui.screens.roles import RolesScreen
from tui.served import LOGIN_ENV, SERVED_ENV, USER_ENV, Served, served
from tui.widgets.export_where import ExportWhere

SIZE = (120, 40)


def served_app(tmp_path: Path, served_as: Served | None, store: str | None = None) -> Bj30App:
    return Bj30App(
        state_path=tmp_path / "ui-state.json",
        store_path=None if store else tmp_path / "progress.sqlite3",
        store=store,
        served_as=served_as,
    )


async def open_checklist(app: Bj30App, pilot: Any, role: str) -> ChecklistScreen:
    await pilot.press("l")
    assert isinstance(app.screen, RolesScreen)
    roles = app.screen.query_one(OptionList)
    roles.highlighted = [o.id for o in roles.options].index(role)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


def test_what_the_server_says_is_read_from_the_environment() -> None:
    assert served({}) is None  # a terminal
    assert served({USER_ENV: "Wang Li"}) is None  # only a served app believes it
    assert served({SERVED_ENV: "1"}) == Served()
    assert served({SERVED_ENV: "1", USER_ENV: "Wang Li"}) == Served(user="Wang Li")
    assert served({SERVED_ENV: "1", LOGIN_ENV: "1"}) == Served(login=True)
    assert Served(user="x").identified and Served(login=True).identified and not Served().identified


@pytest.mark.parametrize(
    "served_as, words",
    [
        (None, "you: officer (login name)"),  # a terminal with no name set: the login name, said as such
        (Served(), "changes recorded as officer"),  # served to anyone: as the server's user (LOGNAME)
        (Served(user="Wang Li"), "you: Wang Li"),  # named by the proxy
    ],
)
async def test_the_header_says_whose_name_changes_go_under(tmp_path: Path, served_as: Served | None, words: str) -> None:
    app = served_app(tmp_path, served_as)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.recorder_words() == words
        assert app.header_right().endswith(words)
        screen = await open_checklist(app, pilot, "soe")  # the store is open now: the same words
        await pilot.press("space")
        await pilot.pause()
        assert app.recorder_words() == words and app.header_right().endswith(words)
        assert screen.is_current
    store = Store.open(tmp_path / "progress.sqlite3").store
    [entry] = [h for h in store.history("default", "soe") if h.field == "status"]
    store.close()
    assert entry.by == (served_as.user if served_as and served_as.user else "officer")


async def test_in_a_browser_an_export_is_a_download_or_written_on_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Bj30App, "is_web", property(lambda self: True))
    app = served_app(tmp_path, Served())
    delivered: list[tuple[str, bytes, str]] = []

    def deliver_binary(binary: Any, *, save_filename: str, mime_type: str, **kwargs: Any) -> str:
        delivered.append((save_filename, binary.read(), mime_type))
        return "key"

    monkeypatch.setattr(app, "deliver_binary", deliver_binary)
    async with app.run_test(size=SIZE) as pilot:
        await open_checklist(app, pilot, "soe")
        await pilot.press("space", "x")
        dialog = app.screen
        assert isinstance(dialog, ExportPathDialog)
        box = dialog.query_one(Input)
        assert box.value.startswith("bj30-soe-default-") and "/" not in box.value  # only a name: the browser keeps it
        assert dialog.query_one(ExportWhere).download
        assert plain(dialog.query_one("#export-hint")).startswith("enter downloads")
        box.value = "soe report.csv"
        await pilot.press("enter")
        await pilot.pause()
        [(name, data, mime)] = delivered
        assert name == "soe report.csv" and mime == "text/csv; charset=utf-8"
        assert data.startswith(b"\xef\xbb\xbf") and b"soe-001" in data
        assert not list(tmp_path.glob("*.csv"))
        assert app.notices[-1].message.endswith("Your browser downloads it as soe report.csv")

        # Chosen: written on the serving machine; the box shows where.
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportPathDialog)
        dialog.query_one(ExportWhere).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        box = dialog.query_one(Input)
        assert not dialog.query_one(ExportWhere).download and Path(box.value).parent == tmp_path
        assert plain(dialog.query_one("#export-hint")).startswith("enter writes")
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        [written] = list(tmp_path.glob("bj30-soe-default-*.md"))
        assert written.read_text(encoding="utf-8").count("- [x] **soe-") == 1 and len(delivered) == 1


async def test_in_a_browser_a_report_is_a_download_named_for_its_roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.flows.export import export_report

    monkeypatch.setattr(Bj30App, "is_web", property(lambda self: True))
    app = served_app(tmp_path, Served())
    delivered: list[str] = []
    monkeypatch.setattr(app, "deliver_binary", lambda binary, *, save_filename, **kw: delivered.append(save_filename) or "k")
    async with app.run_test(size=SIZE) as pilot:
        export_report(app, ["university"])
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReportDialog)
        box = dialog.query_one(Input)
        first = box.value
        assert first.startswith("bj30-university-default-")
        await pilot.press("down", "space")  # tick a second role: the name follows, still only a name
        await pilot.pause()
        assert box.value != first and "/" not in box.value
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
    assert delivered == [box.value]


async def test_ctrl_arrows_go_back_and_forward_in_the_reader(tmp_path: Path) -> None:
    """In a browser xterm.js sends alt+← as ctrl+←: both go back (and → forward)."""
    app = served_app(tmp_path, None)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("g", "1", "7", "enter")
        await pilot.press("n")
        await pilot.pause()
        assert reader.place == 18
        await pilot.press("ctrl+left")
        await pilot.pause()
        assert reader.place == 17
        await pilot.press("ctrl+right")
        await pilot.pause()
        assert reader.place == 18
        await pilot.press("alt+left")
        await pilot.pause()
        assert reader.place == 17


async def test_signing_in_to_a_team_store(tmp_path: Path) -> None:
    """`bj30 serve --login`: nothing opens the store before the tab's user has signed in; a login the
    database refuses is said; then the database records that user."""
    from psycopg import sql

    from tests import pg
    from tui.core.store.location import open_store, parse_location
    from tui.screens.sign_in import SignInScreen

    with pg.fresh_schema() as url, pg.roles("officer") as (officer,):
        owner = open_store(parse_location(url)).store
        owner.grant(officer, "officer")  # type: ignore[attr-defined]
        owner.close()
        app = served_app(tmp_path, Served(login=True), store=url)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen) and app.signing_in
            await pilot.press("l", "slash", "ctrl+p", "question_mark")  # typed into the box, nothing opens
            await pilot.pause()
            assert isinstance(app.screen, SignInScreen) and app._workbench is None
            user = app.screen.query_one("#sign-in-user", Input)
            password = app.screen.query_one("#sign-in-password", Input)
            assert user.value == "l/?"  # (ctrl+p is not a character an input takes)
            user.value = ""
            await pilot.press(*"nobody_here", "tab", *"secret", "enter")
            for _ in range(200):
                await pilot.pause(0.05)
                if "Not signed in" in plain(app.screen.query_one("#sign-in-error")):
                    break
            error = plain(app.screen.query_one("#sign-in-error"))
            assert error.startswith("Not signed in: ") and 'role "nobody_here" does not exist' in error
            assert "secret" not in error and password.value == ""  # never kept in the box
            user.value = officer
            password.focus()
            await pilot.press(*"secret", "enter")
            for _ in range(200):
                await pilot.pause(0.05)
                if not app.signing_in:
                    break
            assert isinstance(app.screen, ReaderScreen) and app.recorder_words() == f"you: {officer}"
            await open_checklist(app, pilot, "soe")
            await pilot.press("space")
            await pilot.pause()
        with pg.admin() as conn:
            rows = conn.execute(
                sql.SQL("SELECT by FROM {}.history WHERE field = 'status'").format(sql.Identifier(pg.schema_of(url)))
            ).fetchall()
        assert rows == [(officer,)]
