"""Profiles that stay put and the user's settings: bj30 profile use, bj30 config, P in the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.helpers import plain, run_cli
from tui.core.config import load_config
from tui.core.ids import NAME_RULE
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.profile import ProfileDialog
from tui.widgets.context_line import ContextLine


def config_file(home: Path) -> Path:
    return home / "config" / "bj30" / "config.toml"


def test_profile_use_is_remembered_until_changed(capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    run_cli(capsys, "profile", "create", "pku-hospital", "--institution", "Peking University Third Hospital")
    code, out, _ = run_cli(capsys, "profile", "use", "pku-hospital")
    assert code == 0 and out.strip() == "using profile 'pku-hospital' from now on: Peking University Third Hospital"
    assert load_config(config_file(isolated_home)).get("profile") == "pku-hospital"
    run_cli(capsys, "mark", "university", "uni-033", "done")  # no --profile: the one in use
    code, out, _ = run_cli(capsys, "checklist", "university", "--format", "json")
    assert json.loads(out)["profile"] == "pku-hospital"
    code, out, _ = run_cli(capsys, "--profile", "default", "checklist", "university", "--format", "json")
    assert json.loads(out)["summary"]["done"] == 0  # --profile is for one command; nothing landed on default
    code, out, _ = run_cli(capsys, "profiles")
    assert out.splitlines() == ["  default              (institution not set)",
                                "* pku-hospital         Peking University Third Hospital"]
    code, _, err = run_cli(capsys, "profile", "use", "nope")
    assert code == 1 and "no profile 'nope'; profiles are: default, pku-hospital" in err
    assert load_config(config_file(isolated_home)).get("profile") == "pku-hospital"  # unchanged


def test_a_remembered_profile_that_is_gone_falls_back_to_default_with_a_warning(
        capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    config_file(isolated_home).parent.mkdir(parents=True)
    config_file(isolated_home).write_text('profile = "gone"\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "checklist", "soe", "--format", "json")
    assert code == 0 and json.loads(out)["profile"] == "default"
    assert "the profile chosen last, 'gone', is not in the store" in err


def test_profile_names_are_ids_refused_otherwise_with_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("PKU", "pku hospital", "pku_hospital", "pku.", "北大"):
        code, _, err = run_cli(capsys, "profile", "create", bad, "--institution", "Peking University")
        assert code == 1 and f"use {NAME_RULE}" in err and "the institution (--institution)" in err, bad
    assert run_cli(capsys, "profile", "create", "pku-3", "--institution", "Peking University")[0] == 0


def test_config_name_get_set_unset(capsys: pytest.CaptureFixture[str], isolated_home: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.core.config.login_name", lambda: "wangli")
    code, out, _ = run_cli(capsys, "config", "get", "name")
    assert out.strip() == "name = (not set)  (in use: wangli)"
    code, out, _ = run_cli(capsys, "config", "set", "name", "  Wang   Li ")
    assert code == 0 and out.strip() == "name = Wang Li"
    assert config_file(isolated_home).read_text(encoding="utf-8").splitlines()[1] == 'name = "Wang Li"'
    code, out, _ = run_cli(capsys, "config", "get")
    assert out.splitlines() == ["name = Wang Li", "profile = (not set)  (in use: default)"]
    code, _, err = run_cli(capsys, "config", "set", "name", "bad\x1bname")
    assert code == 1 and "control characters" in err
    code, out, _ = run_cli(capsys, "config", "unset", "name")
    assert out.strip() == "name cleared; changes are recorded as 'wangli' (the login name)"
    code, _, err = run_cli(capsys, "config", "set", "colour", "red")
    assert code == 2 and "invalid choice: 'colour'" in err


def test_a_damaged_config_is_moved_aside_and_the_defaults_used(capsys: pytest.CaptureFixture[str],
                                                              isolated_home: Path) -> None:
    path = config_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text("name = [", encoding="utf-8")
    code, out, err = run_cli(capsys, "config", "get", "profile")
    assert code == 0 and out.startswith("profile = (not set)")
    assert f"{path}: damaged" in err and "moved aside to" in err
    assert not path.exists() and len(list(path.parent.glob("config.toml.damaged-*"))) == 1


async def test_a_profile_chosen_in_the_app_is_there_after_a_restart(tmp_path: Path, make_app,
                                                                   isolated_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "P")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.query_one(OptionList).highlighted = len(dialog.choices) - 1  # New profile…
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, ProfileDialog)
        form.query_one("#profile-name", Input).value = "PKU Hospital"
        form.query_one("#profile-institution", Input).value = "Peking University Third Hospital"
        form.query_one("#profile-institution", Input).focus()
        await pilot.press("enter")
        assert f"Profile name: use {NAME_RULE}" in plain(form.query_one(".dialog-error"))
        form.query_one("#profile-name", Input).value = "pku-hospital"
        await pilot.press("enter")
        await pilot.pause()
        assert app.workbench.profile_name == "pku-hospital"
    again = make_app()  # the restart
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.workbench.profile_name == "pku-hospital"
        assert plain(again.screen.query_one(ContextLine)).startswith(
            "Peking University Third Hospital · profile pku-hospital")
