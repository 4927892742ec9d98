"""Profiles that stay put and the user's settings: bj30 profile use, bj30 config, P in the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.helpers import plain, run_cli
from tui.core.config import load_config
from tui.core.content.ids import NAME_RULE
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.profile import ProfileDialog
from tui.widgets.header_line import HeaderLine


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
    assert out.splitlines() == [
        "  default              (institution not set)",
        "* pku-hospital         Peking University Third Hospital",
    ]
    code, _, err = run_cli(capsys, "profile", "use", "nope")
    assert code == 1 and "no profile 'nope'; profiles are: default, pku-hospital" in err
    assert load_config(config_file(isolated_home)).get("profile") == "pku-hospital"  # unchanged


def test_a_remembered_profile_that_is_gone_falls_back_to_default_with_a_warning(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
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


def test_config_name_get_set_unset(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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


def test_a_damaged_config_is_moved_aside_and_the_defaults_used(capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    path = config_file(isolated_home)
    path.parent.mkdir(parents=True)
    path.write_text("name = [", encoding="utf-8")
    code, out, err = run_cli(capsys, "config", "get", "profile")
    assert code == 0 and out.startswith("profile = (not set)")
    assert f"{path}: damaged" in err and "moved aside to" in err
    assert not path.exists() and len(list(path.parent.glob("config.toml.damaged-*"))) == 1


async def test_a_profile_chosen_in_the_app_is_there_after_a_restart(tmp_path: Path, make_app, isolated_home: Path) -> None:
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
        line = again.screen.query_one(HeaderLine).render().plain.rstrip()
        assert line.endswith("Peking University Third Hospital · you: officer (login name)")


# Who did what ---------------------------------------------------------------------------------


def _history(role: str = "university") -> list[tuple[str, str, str]]:
    from tui.core import locations
    from tui.core.store.sqlite import Store

    store = Store.open(locations.store_path()).store
    try:
        return [(h.item_id, h.field, h.by) for h in store.history("default", role)]
    finally:
        store.close()


def test_every_change_records_who_made_it(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "mark", "university", "uni-033", "doing")  # the login name
    run_cli(capsys, "config", "set", "name", "Wang Li")
    run_cli(capsys, "mark", "university", "uni-033", "done")  # the configured name
    run_cli(capsys, "mark", "university", "uni-034", "doing", "--by", "Zhang San")  # --by wins
    assert _history() == [("uni-033", "status", "officer"), ("uni-033", "status", "Wang Li"), ("uni-034", "status", "Zhang San")]
    code, out, _ = run_cli(capsys, "export", "university", "--format", "json")
    assert [h["by"] for h in json.loads(out)["history"]] == ["officer", "Wang Li", "Zhang San"]
    code, out, _ = run_cli(capsys, "export", "university")
    assert "officer marked uni-033 in progress" in out and "Wang Li marked uni-033 done" in out
    assert "Zhang San marked uni-034 in progress" in out
    code, _, err = run_cli(capsys, "mark", "university", "uni-033", "done", "--by", "   ")
    assert code == 0  # a blank --by is no name: the configured one is used


def test_an_older_store_is_migrated_its_history_kept_without_a_name(tmp_path: Path) -> None:
    import sqlite3

    from tui.core.store.sqlite import Store
    from tui.core.store.sqlite_schema import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:2], start=1):  # a store of the release before
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO profiles (name, created) VALUES ('default', '2026-01-01T00:00:00.000000Z')")
    conn.execute(
        "INSERT INTO history (profile, role, item_id, field, old, new, at) VALUES "
        "('default', 'soe', 'soe-003', 'status', 'todo', 'done', '2026-01-01T00:00:00.000000Z')"
    )
    conn.commit()
    conn.close()
    store = Store.open(path).store
    assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    [entry] = store.history("default", "soe")
    assert (entry.field, entry.new, entry.by) == ("status", "done", "")  # kept; who was not recorded then
    assert store.evidence("default") == []
    store.close()


# Profiles: rename, delete, import into ----------------------------------------------------------


def test_profile_rename_carries_everything_and_the_choice(
    capsys: pytest.CaptureFixture[str], isolated_home: Path, tmp_path: Path
) -> None:
    evidence = tmp_path / "minutes.pdf"
    evidence.write_text("m", encoding="utf-8")
    run_cli(capsys, "profile", "create", "pku", "--institution", "Peking University")
    run_cli(capsys, "profile", "use", "pku")
    run_cli(capsys, "mark", "university", "uni-033", "done")
    run_cli(capsys, "evidence", "add", "university", "uni-033", str(evidence))
    code, out, _ = run_cli(capsys, "profile", "rename", "pku", "pku-hospital")
    assert code == 0 and out.strip() == "profile 'pku' is now 'pku-hospital': Peking University"
    assert load_config(config_file(isolated_home)).get("profile") == "pku-hospital"
    code, out, _ = run_cli(capsys, "checklist", "university", "--format", "json")
    data = json.loads(out)
    assert data["profile"] == "pku-hospital" and data["summary"]["done"] == 1
    assert len(json.loads(run_cli(capsys, "evidence", "list", "university", "--format", "json")[1])) == 1
    assert run_cli(capsys, "profile", "rename", "pku-hospital", "Pku")[0] == 1
    assert "already exists" in run_cli(capsys, "profile", "rename", "pku-hospital", "default")[2]


def test_profile_delete_needs_an_archive_when_it_holds_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_home: Path
) -> None:
    run_cli(capsys, "profile", "create", "empty", "--institution", "Nobody")
    code, out, _ = run_cli(capsys, "profile", "delete", "empty")
    assert code == 0 and out.strip() == "deleted profile 'empty'"
    run_cli(capsys, "profile", "create", "lab", "--institution", "Our Lab")
    run_cli(capsys, "profile", "use", "lab")
    run_cli(capsys, "mark", "soe", "soe-003", "na", "--note", "not ours")
    run_cli(capsys, "mark", "university", "uni-033", "done")
    code, _, err = run_cli(capsys, "profile", "delete", "lab")
    assert code == 1 and "holds progress; nothing is deleted without its archive: add --archive" in err
    archive = tmp_path / "lab.json"
    code, out, _ = run_cli(capsys, "profile", "delete", "lab", "--archive", str(archive))
    assert code == 0 and f"its export is in {archive}" in out
    assert load_config(config_file(isolated_home)).get("profile") == ""  # the one in use is gone: default
    data = json.loads(archive.read_text(encoding="utf-8"))
    assert data["schema"] == "bj30-checklist-exports"
    assert sorted(e["checklist"]["role"] for e in data["exports"]) == ["soe", "university"]
    assert "lab" not in run_cli(capsys, "profiles")[1]
    # Nothing lost: the archive restores it, into a profile of its own.
    run_cli(capsys, "profile", "create", "lab", "--institution", "Our Lab")
    code, out, err = run_cli(capsys, "--profile", "lab", "import", str(archive))
    assert code == 0, err
    code, out, _ = run_cli(capsys, "--profile", "lab", "checklist", "soe", "--format", "json")
    assert next(i for i in json.loads(out)["items"] if i["id"] == "soe-003")["note"] == "not ours"
    code, _, err = run_cli(capsys, "profile", "delete", "default")
    assert code == 1 and "cannot be deleted" in err


def test_import_into_another_profile_says_so_and_needs_into(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run_cli(capsys, "profile", "create", "pku", "--institution", "Peking University")
    run_cli(capsys, "--profile", "pku", "mark", "soe", "soe-003", "done")
    run_cli(capsys, "--profile", "pku", "export", "soe", "-o", str(tmp_path / "pku.json"))
    code, out, err = run_cli(capsys, "import", str(tmp_path / "pku.json"))
    assert code == 1 and out == ""
    assert "was exported from profile 'pku', and you are in 'default': add --into default" in err
    code, out, err = run_cli(capsys, "import", str(tmp_path / "pku.json"), "--into", "default")
    assert code == 0 and "(profile default)" in out
    code, _, err = run_cli(capsys, "import", str(tmp_path / "pku.json"), "--into", "nope")
    assert code == 1 and "no profile 'nope'" in err
