"""Who the officer is (issue 21, 8): asked on the first run, shown in the header, set from the app, and a
name set with `bj30 config set name` while the app is open used from the next change on."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.helpers import burst, plain, run_cli, settle
from tui.app import Bj30App
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.first_run import FirstRunDialog, NameDialog
from tui.screens.checklist import ChecklistScreen
from tui.screens.roles import RolesScreen
from tui.widgets.header_line import HeaderLine


def first_run_app(tmp_path: Path) -> Bj30App:
    return Bj30App(state_path=tmp_path / "ui-state.json", store_path=tmp_path / "progress.sqlite3", ask_first_run=True)


def header(app: Bj30App) -> str:
    return app.screen.query_one(HeaderLine).render().plain


async def test_the_first_run_asks_the_institution_and_the_name_once(tmp_path: Path) -> None:
    app = first_run_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunDialog)
        burst(app, "北京大学第一医院", "<tab>", "Chen Jing")
        await settle(pilot)
        shown = {i.id: i.value for i in app.screen.query(Input)}
        assert shown == {"first-institution": "北京大学第一医院", "first-name": "Chen Jing"}
        burst(app, "<enter>")
        await settle(pilot)
        assert not isinstance(app.screen, FirstRunDialog)
        assert app.workbench.check_profile().institution == "北京大学第一医院"
        assert app.workbench.config.get("name") == "Chen Jing"
        assert "北京大学第一医院" in header(app) and "you: Chen Jing" in header(app)
    again = first_run_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, FirstRunDialog)


async def test_the_first_run_can_be_skipped_and_is_not_asked_again(tmp_path: Path) -> None:
    app = first_run_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunDialog)
        await pilot.press("escape")
        assert not isinstance(app.screen, FirstRunDialog)
        assert "you: officer (login name)" in app.recorder_words()
    again = first_run_app(tmp_path)
    async with again.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, FirstRunDialog)


async def test_a_name_set_with_bj30_config_is_used_from_the_next_change(make_app, capsys) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(RolesScreen())
        app.push_screen(ChecklistScreen("university"))
        await pilot.pause()
        screen = app.screen
        await pilot.press("space")
        assert run_cli(capsys, "config", "set", "name", "Chen Jing")[0] == 0  # another terminal, the app open
        await pilot.press("j", "space")
        history = app.workbench.history("university")
        assert [h.by for h in history[-2:]] == ["officer", "Chen Jing"]
        assert "you: Chen Jing" in header(app)
        assert "Chen Jing marked" in plain(screen.query_one("#item-detail-text"))


async def test_your_name_from_the_profile_choice(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", "P")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert any("Your name (the history records officer (login name))" in label for _, label in dialog.choices)
        await pilot.press("end", "up", "up", "enter")
        assert isinstance(app.screen, NameDialog)
        burst(app, "孙磊", "<enter>")
        await settle(pilot)
        assert app.workbench.config.get("name") == "孙磊"
        assert "you: 孙磊" in header(app)
