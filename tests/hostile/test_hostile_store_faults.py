"""Issue 12, sections 5 and 7 (the store): parallel first runs, a store path that is not a file,
read-only sessions that read the committed WAL, and a store from a newer bj30."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.hostile.common import REPO, control_chars
from tui.core import locations
from tui.core.content.checklist_loader import load_default_catalog
from tui.core.store.model import DEFAULT_PROFILE, ReadOnlyStore
from tui.core.store.sqlite import Store
from tui.core.store.sqlite_schema import SCHEMA_VERSION


@pytest.mark.slow
def test_sixteen_parallel_first_runs_all_commit(tmp_path: Path, policy) -> None:
    ids = [it.id for it in load_default_catalog(policy).get("university").items][:16]
    data = tmp_path / "empty"
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_DATA_HOME=str(data))
    # Each process imports bj30, loads the policy and the checklists, then waits for the go file:
    # all 16 then open the empty folder within a few milliseconds of each other.
    go = tmp_path / "go"
    ready = tmp_path / "ready"
    ready.mkdir()
    script = (
        "import os, sys, time\n"
        "from tui.cli import main\n"
        "from tui.core.content.policy_loader import load_policy\n"
        "from tui.core.content.checklist_loader import load_default_catalog\n"
        "load_default_catalog(load_policy())\n"
        f"open(os.path.join({str(ready)!r}, str(os.getpid())), 'w').close()\n"
        f"while not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, "mark", "university", item_id, "done"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for item_id in ids
    ]
    deadline = time.monotonic() + 120
    while len(list(ready.iterdir())) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.write_text("go")
    results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
    for p in procs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    failures = [err for code, err in results if code != 0]
    assert failures == []
    store = Store.open(data / "bj30" / "progress.sqlite3").store
    assert sorted(store.progress(DEFAULT_PROFILE, "university")) == sorted(ids)
    store.close()


def test_a_store_path_that_is_a_folder_gives_a_read_only_session(capsys) -> None:
    locations.store_path().mkdir(parents=True)
    code, out, err = run_cli(capsys, "mark", "soe", "soe-001", "done")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"bj30: not saved: read-only session ({locations.store_path()} is a folder, "
        f"not the progress store file; move it away to save progress)"
    ]
    code, out, err = run_cli(capsys, "checklists")
    assert code == 0 and "Traceback" not in err and f"{locations.store_path()} is a folder" in err
    assert len(err.strip().splitlines()) == 1


def test_a_store_path_that_is_a_fifo_does_not_hang(capsys) -> None:
    locations.store_path().parent.mkdir(parents=True)
    os.mkfifo(locations.store_path())
    code, _, err = run_cli(capsys, "mark", "soe", "soe-001", "done")
    assert code == 1 and "is a FIFO" in err


def _store_with_ticks_in_the_wal(path: Path) -> Store:
    """A writer that has committed three ticks, all still in the WAL (no checkpoint yet)."""
    writer = Store.open(path).store
    writer.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="f")
    writer._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer._conn.execute("PRAGMA wal_autocheckpoint = 0")
    for item in ("soe-002", "soe-003"):
        writer.update(DEFAULT_PROFILE, "soe", item, status="done", fingerprint="f")
    assert Path(f"{path}-wal").stat().st_size > 0
    return writer


def test_a_read_only_session_reads_committed_changes_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    writer = _store_with_ticks_in_the_wal(path)
    warnings: list[str] = []
    reader = Store._read_only(path, "the folder is not writable", warnings).store
    assert sorted(reader.progress(DEFAULT_PROFILE, "soe")) == ["soe-001", "soe-002", "soe-003"]
    assert warnings == ["read-only session: the folder is not writable; ticks and notes cannot be saved"]
    writer.update(DEFAULT_PROFILE, "soe", "soe-004", status="done", fingerprint="f")
    assert "soe-004" in reader.progress(DEFAULT_PROFILE, "soe")  # and what is committed later
    with pytest.raises(ReadOnlyStore):
        reader.update(DEFAULT_PROFILE, "soe", "soe-005", status="done", fingerprint="f")
    reader.close()
    writer.close()


def test_a_read_only_session_that_cannot_read_the_wal_says_so(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "progress.sqlite3"
    writer = _store_with_ticks_in_the_wal(path)
    real_connect = sqlite3.connect

    def no_shm(database, *args, **kwargs):  # as in a folder where the -shm file cannot be made
        if isinstance(database, str) and database.endswith("?mode=ro"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", no_shm)
    warnings: list[str] = []
    reader = Store._read_only(path, "the folder is not writable", warnings).store
    assert warnings == [
        "read-only session: the folder is not writable; ticks and notes cannot be saved; "
        "changes still in its write-ahead log may not show"
    ]
    assert "soe-001" in reader.progress(DEFAULT_PROFILE, "soe")
    reader.close()
    writer.close()


def test_an_older_store_in_a_read_only_session_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    from tui.core.store.sqlite_schema import MIGRATIONS

    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO progress (profile, role, item_id, status, changed) "
        "VALUES ('default', 'soe', 'soe-001', 'done', '2025-01-01T00:00:00Z')"
    )
    conn.close()
    reader = Store._read_only(path, "locked", []).store
    got = reader.item(DEFAULT_PROFILE, "soe", "soe-001")
    assert (got.status, got.changed, got.revision) == ("done", "2025-01-01T00:00:00.000000Z", 1)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1  # the file untouched


def _newer_store() -> None:
    path = locations.store_path()
    path.parent.mkdir(parents=True)
    Store.open(path).store.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def test_a_newer_store_never_shows_a_misleading_zero(capsys) -> None:
    from tui.core.store.model import ProgressHidden

    _newer_store()
    opened = Store.open(locations.store_path())
    assert opened.store.progress_hidden and "newer bj30" in opened.store.progress_hidden
    with pytest.raises(ProgressHidden, match="this bj30 cannot show its progress"):
        opened.store.progress(DEFAULT_PROFILE, "soe")
    opened.store.close()

    code, out, err = run_cli(capsys, "checklists")
    assert code == 0 and " 0/" not in out and "  ?/" in out
    assert "cannot show its progress" in err
    code, out, _ = run_cli(capsys, "checklists", "--format", "json")
    soe = next(c for c in json.loads(out) if c["role"] == "soe")
    assert soe["done"] is None and soe["percent"] is None and "cannot show" in soe["progress_unavailable"]
    for argv in (("checklist", "soe"), ("export", "soe")):
        code, out, err = run_cli(capsys, *argv)
        assert code == 1 and out == "" and "cannot show its progress" in err and control_chars(err) == []


def test_a_first_open_that_finds_the_file_locked_waits_and_tries_again(tmp_path: Path, monkeypatch) -> None:
    """Many first runs on a busy machine: one that finds the file locked (another creating or
    migrating it; SQLite gives up at once on some of those locks, whatever the busy timeout)
    tries again, waiting longer each time, rather than opening read-only."""
    import tui.core.store.sqlite as sqlite_module

    real, refusals, waits = sqlite_module.Store._open_writable, [], []

    def busy_twice(path: Path) -> Store:
        if len(refusals) < 2:
            refusals.append(path)
            raise sqlite3.OperationalError("database is locked")
        return real(path)

    monkeypatch.setattr(sqlite_module.Store, "_open_writable", staticmethod(busy_twice))
    monkeypatch.setattr(sqlite_module.time, "sleep", waits.append)
    opened = Store.open(tmp_path / "progress.sqlite3")
    assert opened.warnings == [] and not opened.store.read_only
    assert len(refusals) == 2 and waits == [0.05, 0.1]
    opened.store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
    opened.store.close()
    # Locked for longer than bj30 waits: a read-only session that says so (nothing is lost).
    refusals.clear()
    monkeypatch.setattr(sqlite_module, "OPEN_RETRY_SECONDS", 0.0)
    monkeypatch.setattr(sqlite_module.Store, "_open_writable", staticmethod(lambda path: busy_twice(path) or real(path)))
    opened = Store.open(tmp_path / "progress.sqlite3")
    assert opened.store.read_only and "the progress store is locked" in opened.warnings[0]
    assert opened.store.item(DEFAULT_PROFILE, "soe", "soe-001").status == "done"  # still shown
    opened.store.close()
