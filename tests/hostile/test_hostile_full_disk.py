"""Issue 12, section 2: a full disk is survived.

A write that fails (SQLITE_FULL, or a COMMIT that SQLite has already rolled back) ends in
one clear StoreError, the item keeps its old state, reads keep working and the next write,
once there is room, succeeds. Tested by injecting the errors SQLite raises, and for real on
a small tmpfs when this process may mount one (root); otherwise that test is skipped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.common import bj30
from tui.core.store.model import DEFAULT_PROFILE, StoreError
from tui.core.store.sqlite import Store

FULL = "the disk is full: the change was not saved"


class FullOnCommit:
    """A connection whose COMMIT fails as it does on a full disk: SQLite has already rolled back."""

    def __init__(self, conn: sqlite3.Connection, message: str = "database or disk is full") -> None:
        self.conn = conn
        self.full = True
        self.message = message

    def execute(self, sql: str, *args):
        if self.full and sql.strip().upper() == "COMMIT":
            self.conn.execute("ROLLBACK")  # what SQLite does itself on SQLITE_FULL during COMMIT
            raise sqlite3.OperationalError(self.message)
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.conn, name)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "progress.sqlite3").store
    s.update(DEFAULT_PROFILE, "soe", "soe-001", status="doing", note="before", fingerprint="f")
    yield s
    s.close()


def test_a_commit_already_rolled_back_gives_one_clear_error(store: Store) -> None:
    real = store._conn
    store._conn = FullOnCommit(real)  # type: ignore[assignment]
    with pytest.raises(StoreError) as caught:
        store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", note="after", fingerprint="f")
    assert str(caught.value) == FULL
    got = store.item(DEFAULT_PROFILE, "soe", "soe-001")  # reads keep working: the old state
    assert (got.status, got.note) == ("doing", "before")
    assert len(store.history(DEFAULT_PROFILE, "soe")) == 2
    store._conn.full = False  # type: ignore[attr-defined]  # room again: the same session saves
    store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="f")
    assert store.item(DEFAULT_PROFILE, "soe", "soe-001").status == "done"


def test_sqlite_full_inside_the_transaction_gives_one_clear_error(store: Store) -> None:
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite itself answers SQLITE_FULL
    with pytest.raises(StoreError) as caught:
        for i in range(200):
            store.update(DEFAULT_PROFILE, "soe", f"soe-{i:03}", status="doing", note="x" * 15_000, fingerprint="f")
    assert str(caught.value) == FULL
    assert store.item(DEFAULT_PROFILE, "soe", "soe-001").note in ("before", "x" * 15_000)
    assert not store._conn.in_transaction


def test_another_disk_failure_is_said_as_such(store: Store) -> None:
    store._conn = FullOnCommit(store._conn, "disk I/O error")  # type: ignore[assignment]
    with pytest.raises(
        StoreError,
        match=r"^the change was not saved: the disk failed \(disk I/O error\); "
        r"is it full or failing\?$",
    ):
        store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="f")
    assert store.item(DEFAULT_PROFILE, "soe", "soe-001").status == "doing"


def test_a_failed_profile_write_is_the_same_clear_error(store: Store) -> None:
    store._conn = FullOnCommit(store._conn)  # type: ignore[assignment]
    with pytest.raises(StoreError, match=f"^{FULL}$"):
        store.create_profile("pku", "Peking University")
    assert [p.name for p in store.profiles()] == ["default"]


# For real: a 1 MB tmpfs ---------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30)


def fill(folder: Path) -> Path:
    """Write a file until the disk says ENOSPC; return it (delete it to free the space)."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    with open(filler, "ab", buffering=0) as out, pytest.raises(OSError) as caught:
        out.write(b"\0" * 4096)
    assert caught.value.errno == errno.ENOSPC
    return filler


def stderr_lines(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    return done.stderr.decode().strip().splitlines()


def test_a_full_tmpfs_for_real(small_disk: Path) -> None:
    env = {"XDG_DATA_HOME": str(small_disk / "data")}
    done = bj30("mark", "soe", "soe-001", "doing", "--note", "before", env=env)
    assert done.returncode == 0, done.stderr
    path = small_disk / "data" / "bj30" / "progress.sqlite3"
    session = Store.open(path).store  # a TUI session that was open when the disk filled up
    filler = fill(small_disk)

    with pytest.raises(StoreError, match=f"^{FULL}$"):
        session.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", note="y" * 15_000, fingerprint="f")
    assert session.item(DEFAULT_PROFILE, "soe", "soe-001").status == "doing"  # old state; reads work

    done = bj30("mark", "soe", "soe-002", "done", "--note", "z" * 15_000, env=env)
    assert done.returncode == 1 and stderr_lines(done) == [f"bj30: {FULL}"]
    done = bj30("checklist", "soe", "--format", "json", env=env)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert b'"status": "doing"' in done.stdout  # the committed tick still shows
    session.close()

    # First run on the full disk: one clear line, no traceback.
    first = {"XDG_DATA_HOME": str(small_disk / "fresh")}
    done = bj30("mark", "soe", "soe-001", "done", env=first)
    assert done.returncode == 1 and stderr_lines(done) == [f"bj30: {FULL}"], done.stderr
    done = bj30("checklists", env=first)
    assert done.returncode == 0 and len(stderr_lines(done)) == 1 and "the disk is full" in stderr_lines(done)[0]

    os.unlink(filler)  # room again
    done = bj30("mark", "soe", "soe-002", "done", env=env)
    assert done.returncode == 0, done.stderr
