"""The store from the command line: choosing it (--store, BJ30_STORE, bj30 config), bj30 store
copy in and out (idempotent, round trip), grant, and the faults a user meets: no driver, no
server, a password in the URL."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pg
from tests.helpers import run_cli
from tui.core import locations
from tui.core.store.location import open_store, parse_location
from tui.core.store.model import DEFAULT_PROFILE
from tui.core.store.sqlite import Store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def url():
    with pg.fresh_schema() as store_url:
        yield store_url


def fp(role: str, item: str) -> str:
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy

    found = load_default_catalog(load_policy()).require(role).item(item)
    assert found is not None
    return found.fingerprint


# Choosing the store ---------------------------------------------------------------------


def test_config_set_get_unset_and_paths_never_show_the_password(capsys, monkeypatch) -> None:
    secret = "pw-of-wangli"
    target = f"postgresql://wangli:{secret}@db.example.edu:5432/bj30?sslmode=require"
    shown = "postgresql://wangli:***@db.example.edu:5432/bj30?sslmode=require"
    code, out, err = run_cli(capsys, "config", "set", "store", target)
    assert (code, out) == (0, f"store = {shown}\n") and secret not in err
    path = locations.config_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds a password
    assert secret in path.read_text()
    code, out, _ = run_cli(capsys, "config", "get", "store")
    assert (code, out) == (0, f"store = {shown}\n")
    code, out, _ = run_cli(capsys, "config", "get")
    assert secret not in out and f"store = {shown}" in out
    code, out, _ = run_cli(capsys, "paths", "--format", "json")
    assert secret not in out and '"store_from": "' + str(path) in out and "wangli:***@db.example.edu" in out
    monkeypatch.setenv("BJ30_STORE", "/tmp/elsewhere.sqlite3")
    code, out, _ = run_cli(capsys, "paths")
    assert "/tmp/elsewhere.sqlite3" in out and "BJ30_STORE" in out
    code, out, _ = run_cli(capsys, "config", "get", "store")
    assert out == f"store = {shown}  (in use: /tmp/elsewhere.sqlite3)\n"
    code, out, _ = run_cli(capsys, "paths", "--store", "postgresql://x:y@h/db")
    assert "postgresql://x:***@h/db" in out and "--store" in out
    monkeypatch.delenv("BJ30_STORE")
    code, out, _ = run_cli(capsys, "config", "unset", "store")
    assert (code, out) == (0, "store cleared\n")
    code, out, _ = run_cli(capsys, "paths")
    assert str(locations.store_path()) in out


def test_a_location_that_cannot_be_a_store_is_refused_in_one_line(capsys) -> None:
    code, out, err = run_cli(capsys, "config", "set", "store", "mysql://me@db/bj30")
    assert code == 1 and err == ("bj30: unknown store URL scheme 'mysql': use a file path or postgresql://user@host:5432/db\n")
    assert not locations.config_file().exists()
    code, _, err = run_cli(capsys, "--store", "postgresql://me@db:notaport/bj30", "checklists")
    assert code == 1 and err.startswith("bj30: the store URL is not valid") and err.count("\n") == 1


def test_a_store_set_by_hand_that_cannot_be_one_is_said_and_can_be_unset(capsys) -> None:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('store = "mysql://me@db/bj30"\n')
    code, _, err = run_cli(capsys, "mark", "soe", "soe-001", "done")
    assert code == 1 and "unknown store URL scheme 'mysql'" in err and str(path) in err
    assert not locations.store_path().exists()  # not quietly the local file instead
    code, out, _ = run_cli(capsys, "config", "unset", "store")
    assert code == 0
    code, _, _ = run_cli(capsys, "mark", "soe", "soe-001", "done")
    assert code == 0 and Store.open(locations.store_path()).store.item(DEFAULT_PROFILE, "soe", "soe-001").status == "done"


def test_without_psycopg_a_postgresql_url_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None; from tui.cli import main; "
        "sys.exit(main(['--store', 'postgresql://wangli:pw123@db/bj30', 'checklists']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=60
    )
    assert done.returncode == 1
    assert done.stderr == "bj30: a PostgreSQL store needs the team extra: pip install 'bj30[team]'\n"


def test_marking_in_a_team_store_from_the_cli(capsys, url: str) -> None:
    code, out, err = run_cli(capsys, "--store", url, "mark", "soe", "soe-001", "done", "--note", "ok")
    assert (code, err) == (0, "") and out == "soe soe-001: done\n"
    code, out, _ = run_cli(capsys, "checklist", "soe", "--store", url, "--format", "json")
    assert code == 0 and '"status": "done"' in out
    assert not locations.store_path().exists()  # the local file was never made


def test_no_server_the_cli_says_why_and_saves_nothing(capsys, url: str) -> None:
    down = pg.with_port(pg.with_user(url, "wangli", "pw-9876"), pg.Proxy(url).port)
    code, out, err = run_cli(capsys, "--store", down, "mark", "soe", "soe-001", "done")
    assert code == 1 and out == ""
    assert "pw-9876" not in err and "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("bj30: warning: read-only session: the team store postgresql://wangli:***@")
    assert lines[1].startswith("bj30: cannot read: the team store postgresql://wangli:***@")
    assert lines[1].endswith("Connection refused")


# Copying in and out ---------------------------------------------------------------------


def _fill_local(tmp_path: Path) -> Path:
    from tui.core.progress.evidence import make

    path = locations.store_path()
    store = Store.open(path).store
    store.create_profile("pku", "Peking University", "Research Office")
    store.update(
        DEFAULT_PROFILE,
        "soe",
        "soe-001",
        fingerprint=fp("soe", "soe-001"),
        status="doing",
        note="Board paper drafted",
        owner="Li Wei",
        due="2026-12-31",
        by="Li Wei",
    )
    store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint=fp("soe", "soe-001"), status="done", by="Wang Fang")
    store.update(
        DEFAULT_PROFILE,
        "soe",
        "soe-002",
        fingerprint=fp("soe", "soe-002"),
        status="na",
        note="We are not a central SOE",
        by="Wang Fang",
    )
    store.update(
        "pku",
        "university",
        "uni-001",
        fingerprint=fp("university", "uni-001"),
        status="doing",
        note="多语言 note with \"quotes\" and 'apostrophes'; DROP TABLE history; --",
    )
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF board minutes")
    store.add_evidence(DEFAULT_PROFILE, "soe", "soe-001", make(str(minutes)), by="Li Wei")
    store.add_evidence(DEFAULT_PROFILE, "soe", "soe-001", make("https://intranet.example/board/2026-14"), by="Li Wei")
    store.add_evidence(DEFAULT_PROFILE, "soe", "soe-002", make("Minute 2026-14", kind="reference"), by="Wang Fang")
    store.remove_evidence(DEFAULT_PROFILE, "soe", "soe-002", 1, by="Wang Fang")
    store.close()
    return path


def _everything(location: str) -> tuple[list, ...]:
    store = open_store(parse_location(location)).store
    try:
        rows = store.rows()
    finally:
        store.close()
    return (
        [p.profile for p in rows.profiles],
        sorted(((r.profile, r.role, r.item) for r in rows.progress), key=lambda r: (r[0], r[1], r[2].item_id)),
        sorted((h.profile, h.role, h.item_id, h.field, h.old, h.new, h.at, h.by) for h in rows.history),
        sorted(
            (
                (
                    e.profile,
                    e.role,
                    e.item_id,
                    e.evidence.kind,
                    e.evidence.target,
                    e.evidence.sha256,
                    e.evidence.added,
                    e.evidence.by,
                    bool(e.removed),
                )
                for e in rows.evidence
            ),
            key=repr,
        ),
    )


def test_copy_to_the_team_store_and_back_is_a_round_trip_and_idempotent(capsys, url: str, tmp_path: Path) -> None:
    local = _fill_local(tmp_path)
    code, out, err = run_cli(capsys, "store", "copy", "--to", url)
    assert (code, err) == (0, "")
    # The team store made its default profile on opening: the local one is "already there".
    assert out.splitlines()[1:] == [
        "profiles: 1 added, 1 already there",
        "items: 3 added, 0 updated, 0 already so, 0 kept newer in the target",
        "history: 13 entries added, 0 already there",
        "evidence: 3 records added, 0 marked removed, 0 already so",
    ]
    # Again: nothing new.
    code, out, _ = run_cli(capsys, "store", "copy", "--to", url)
    assert out.splitlines()[0].endswith("(nothing new)")
    assert out.splitlines()[1:] == [
        "profiles: 0 added, 2 already there",
        "items: 0 added, 0 updated, 3 already so, 0 kept newer in the target",
        "history: 0 entries added, 13 already there",
        "evidence: 0 records added, 0 marked removed, 3 already so",
    ]
    backup = tmp_path / "backup" / "progress.sqlite3"
    code, out, _ = run_cli(capsys, "store", "copy", "--from", url, "--to", str(backup))
    assert code == 0 and "history: 13 entries added" in out and "evidence: 3 records added" in out
    assert _everything(str(local)) == _everything(url) == _everything(str(backup))
    # In the team store, copied history and evidence say who their source named and who copied them.
    team = open_store(parse_location(url)).store
    user = team.user  # type: ignore[attr-defined]
    assert {h.by for h in team.history(DEFAULT_PROFILE, "soe")} == {f"Li Wei (copied by {user})", f"Wang Fang (copied by {user})"}
    assert [e.by for _, _, e in team.evidence(DEFAULT_PROFILE, "soe")] == [f"Li Wei (copied by {user})"] * 2
    team.close()


def test_copy_keeps_what_the_target_changed_later_and_says_so(capsys, url: str, tmp_path: Path) -> None:
    _fill_local(tmp_path)
    run_cli(capsys, "store", "copy", "--to", url)
    team = open_store(parse_location(url)).store
    team.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint=fp("soe", "soe-001"), note="Changed in the team store")
    team.close()
    code, out, err = run_cli(capsys, "store", "copy", "--to", url)
    assert code == 0
    assert err.startswith("bj30: kept newer: default/soe/soe-001: the target changed it at ")
    assert "1 kept newer in the target" in out
    team = open_store(parse_location(url)).store
    assert team.item(DEFAULT_PROFILE, "soe", "soe-001").note == "Changed in the team store"
    team.close()


def test_copy_refuses_a_store_into_itself_and_a_missing_source(capsys, tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "store", "copy", "--from", str(tmp_path / "a.sqlite3"), "--to", str(tmp_path / "a.sqlite3"))
    assert code == 1 and "same store" in err
    code, _, err = run_cli(capsys, "store", "copy", "--from", str(tmp_path / "none.sqlite3"), "--to", str(tmp_path / "b.sqlite3"))
    assert (code, err) == (1, f"bj30: {tmp_path / 'none.sqlite3'}: no such store file\n")


# Roles ----------------------------------------------------------------------------------


def test_grant_lets_an_officer_mark_in_their_own_name(capsys, url: str) -> None:
    run_cli(capsys, "--store", url, "checklists")  # the owner's first start makes the tables
    with pg.roles("officer") as (wangli,):
        code, out, err = run_cli(capsys, "store", "grant", wangli, "--officer", "--store", url)
        assert (code, err) == (0, "") and out.startswith(f"{wangli} may now read and change progress")
        as_wangli = pg.with_user(url, wangli)
        code, out, err = run_cli(capsys, "--store", as_wangli, "mark", "soe", "soe-001", "done")
        assert (code, err) == (0, "")
        code, out, _ = run_cli(capsys, "store", "info", "--store", as_wangli)
        assert f"user       {wangli}" in out and "read_only" not in out
        store = open_store(parse_location(url)).store
        assert [h.by for h in store.history(DEFAULT_PROFILE, "soe")] == [wangli]
        store.close()


def test_grant_with_a_hostile_role_name_is_refused_and_changes_nothing(capsys, url: str) -> None:
    run_cli(capsys, "--store", url, "mark", "soe", "soe-001", "done")
    code, _, err = run_cli(capsys, "store", "grant", 'x"; DROP TABLE history; --', "--officer", "--store", url)
    assert code == 1 and err == 'bj30: not granted: role "x"; DROP TABLE history; --" does not exist\n'
    store = open_store(parse_location(url)).store
    assert len(store.history(DEFAULT_PROFILE, "soe")) == 1
    store.close()


def test_grant_on_a_file_or_an_unreachable_server_says_why_in_one_line(capsys, url: str, tmp_path: Path) -> None:
    file = tmp_path / "progress.sqlite3"
    code, out, err = run_cli(capsys, "store", "grant", "wangli", "--officer", "--store", str(file))
    assert (code, out) == (1, "") and err == f"bj30: {file} is a file: grant is for a team store (postgresql://...)\n"
    assert not file.exists()  # no store made for a command that cannot use one
    down = pg.with_port(pg.with_user(url, "owner", "pw-4321"), pg.Proxy(url).port)  # nothing listens there
    code, out, err = run_cli(capsys, "store", "grant", "wangli", "--officer", "--store", down)
    assert (code, out) == (1, "") and err.count("\n") == 1 and "pw-4321" not in err
    assert err.startswith("bj30: not granted: the team store postgresql://owner:***@") and "cannot be reached" in err
