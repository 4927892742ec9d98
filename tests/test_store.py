"""The progress store: durable changes, history, profiles, faults, migrations, concurrency.

The tests taking `store` or `backend` run against both backends: the SQLite file and the
PostgreSQL team store (tests/conftest.py). The file's own faults (damage, folders) follow;
the team store's own (roles, server faults, LISTEN) are in tests/test_store_pg.py."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.stores import Backend
from tui.core.content.checklist import Checklist, ChecklistItem
from tui.core.progress.state import checklist_state
from tui.core.store import sqlite_schema as store_module
from tui.core.store.api import ProgressStore
from tui.core.store.model import DEFAULT_PROFILE, Conflict, ReadOnlyStore, StoreError
from tui.core.store.sqlite import Store
from tui.core.store.sqlite_schema import SCHEMA_VERSION

WRITER = Path(__file__).with_name("store_writer.py")
REPO = Path(__file__).resolve().parent.parent


def mark(store: ProgressStore, item: str, **kw) -> None:
    store.update(DEFAULT_PROFILE, "university", item, fingerprint=kw.pop("fingerprint", "fp1"), **kw)


def test_changes_are_committed_and_visible_to_another_connection(backend: Backend, store: ProgressStore) -> None:
    mark(store, "uni-001", status="done")
    mark(store, "uni-002", status="doing", note="Finance is on it", owner="Li Wei", due="2026-12-31")
    other = backend.open()
    got = other.progress(DEFAULT_PROFILE, "university")
    assert got["uni-001"].status == "done" and got["uni-001"].completed
    assert (got["uni-002"].status, got["uni-002"].note, got["uni-002"].owner, got["uni-002"].due) == (
        "doing",
        "Finance is on it",
        "Li Wei",
        "2026-12-31",
    )


def test_history_is_an_append_only_audit_trail(store: ProgressStore) -> None:
    mark(store, "uni-001", status="doing")
    mark(store, "uni-001", status="done", note="Approved by the board")
    mark(store, "uni-001", status="done")  # no change: no history row
    mark(store, "uni-001", status="todo")
    history = store.history(DEFAULT_PROFILE, "university")
    rows = [(h.item_id, h.field, h.old, h.new) for h in history]
    assert rows == [
        ("uni-001", "status", "todo", "doing"),
        ("uni-001", "status", "doing", "done"),
        ("uni-001", "note", "", "Approved by the board"),
        ("uni-001", "status", "done", "todo"),
    ]
    assert store.item(DEFAULT_PROFILE, "university", "uni-001").completed == ""
    # Who: the team store's database user, set by the database; the file does not know.
    assert {h.by for h in history} == {getattr(store, "user", "")}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", h.at) for h in history)


def test_na_needs_a_reason(store: ProgressStore) -> None:
    with pytest.raises(StoreError, match="N/A needs a reason"):
        mark(store, "uni-003", status="na")
    with pytest.raises(StoreError, match="N/A needs a reason"):
        mark(store, "uni-003", status="na", note="   ")
    mark(store, "uni-003", status="na", note="We have no foreign staff.")
    assert store.item(DEFAULT_PROFILE, "university", "uni-003").status == "na"
    with pytest.raises(StoreError, match="N/A needs a reason"):
        mark(store, "uni-003", note="")  # clearing the reason of an N/A item is refused too
    assert store.history(DEFAULT_PROFILE, "university")[-1].new == "We have no foreign staff."


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"status": "finished"}, "unknown status 'finished'; use one of: todo, doing, done, na"),
        ({"due": "next week"}, "due date 'next week' is not a date like 2026-12-31"),
        ({"owner": "x" * 500}, "owner is longer than 200 characters"),
        ({"note": "x" * 30_000}, "note is 30,000 characters"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(store: ProgressStore, kwargs: dict, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        mark(store, "uni-001", **kwargs)
    assert store.progress(DEFAULT_PROFILE, "university") == {}


def test_profiles(store: ProgressStore) -> None:
    assert [p.name for p in store.profiles()] == ["default"]
    store.create_profile("pku", "Peking University", "Science and Technology Office")
    assert store.profile("pku").institution == "Peking University"
    with pytest.raises(StoreError, match="already exists"):
        store.create_profile("pku", "Again")
    with pytest.raises(StoreError, match="no profile 'nope'; profiles are: default, pku"):
        store.update("nope", "university", "uni-001", status="done", fingerprint="f")
    store.update("pku", "university", "uni-001", status="done", fingerprint="f")
    assert store.progress(DEFAULT_PROFILE, "university") == {}
    assert store.progress("pku", "university")["uni-001"].status == "done"
    store.update_profile("pku", "Peking University", "Research Office")
    assert store.profile("pku").department == "Research Office"


def test_markup_and_hostile_text_is_stored_verbatim(store: ProgressStore) -> None:
    note = "[@click=app.quit]Quit[/] [red]x[/red]\n- [x] forged\n# heading\n<script>alert(1)</script>"
    mark(store, "uni-001", status="doing", note=note)
    assert store.item(DEFAULT_PROFILE, "university", "uni-001").note == note


def test_corrupt_store_is_moved_aside_and_a_fresh_one_used(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list" * 100)
    opened = Store.open(path)
    assert len(opened.warnings) == 1 and "moved aside to" in opened.warnings[0]
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("progress.sqlite3.damaged-")]
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not a database")
    assert str(moved[0]) in opened.warnings[0]
    opened.store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="f")
    assert opened.store.item(DEFAULT_PROFILE, "soe", "soe-001").status == "done"


def test_truncated_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    first = Store.open(path).store
    for i in range(200):
        first.update(DEFAULT_PROFILE, "soe", f"soe-{i}", status="done", note="n" * 200, fingerprint="f")
    first._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    first.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\x00" * 100 + data[len(data) // 2 :])
    opened = Store.open(path)
    assert opened.warnings and "damaged" in opened.warnings[0]
    assert any(p.name.startswith("progress.sqlite3.damaged-") for p in tmp_path.iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_gives_a_read_only_session(tmp_path: Path) -> None:  # pragma: no cover - non-root
    folder = tmp_path / "ro"
    folder.mkdir()
    Store.open(folder / "progress.sqlite3").store.close()
    folder.chmod(0o500)
    try:
        opened = Store.open(folder / "progress.sqlite3")
        assert opened.store.read_only and "read-only session" in opened.warnings[0]
        with pytest.raises(ReadOnlyStore):
            opened.store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="f")
    finally:
        folder.chmod(0o700)


def _immutable(folder: Path, on: bool) -> bool:
    """chattr +i: a folder even root cannot write to (ext4 and friends); False where unsupported."""
    flag = "+i" if on else "-i"
    try:
        return subprocess.run(["chattr", flag, str(folder)], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def test_read_only_folder_keeps_showing_the_progress(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    s = Store.open(folder / "progress.sqlite3").store
    s.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", note="kept", fingerprint="f")
    s.close()
    if not _immutable(folder, True):
        pytest.skip("chattr +i is not available here")
    try:
        opened = Store.open(folder / "progress.sqlite3")
        assert opened.store.read_only
        assert opened.warnings == [f"read-only session: {folder} is not writable; ticks and notes cannot be saved"]
        # Read-only, not empty: the officer still sees every tick.
        got = opened.store.item(DEFAULT_PROFILE, "soe", "soe-001")
        assert (got.status, got.note) == ("done", "kept")
        with pytest.raises(ReadOnlyStore, match=f"not saved: read-only session \\({folder} is not writable\\)"):
            opened.store.update(DEFAULT_PROFILE, "soe", "soe-002", status="done", fingerprint="f")
        opened.store.close()
    finally:
        _immutable(folder, False)


def test_unwritable_location_gives_a_read_only_session(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    opened = Store.open(blocker / "bj30" / "progress.sqlite3")
    assert opened.store.read_only
    assert opened.warnings[0].startswith("read-only session: cannot create")
    assert [p.name for p in opened.store.profiles()] == ["default"]
    with pytest.raises(ReadOnlyStore, match="not saved: read-only session"):
        opened.store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="f")


def test_store_from_a_newer_bj30_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    opened = Store.open(path)
    assert opened.store.read_only and "newer than this bj30" in opened.warnings[0]
    assert path.exists() and not any("damaged" in p.name for p in tmp_path.iterdir())


def test_migrations_run_in_order_and_keep_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.sqlite3"
    s = Store.open(path).store
    s.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", note="kept", fingerprint="f")
    s.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # A later release adds a migration; opening the old store applies it and keeps the rows.
    monkeypatch.setattr(
        store_module,
        "MIGRATIONS",
        [*store_module.MIGRATIONS, "ALTER TABLE progress ADD COLUMN evidence TEXT NOT NULL DEFAULT ''"],
    )
    s = Store.open(path).store
    assert s._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert s.item(DEFAULT_PROFILE, "soe", "soe-001").note == "kept"
    assert s._conn.execute("SELECT evidence FROM progress").fetchone() == ("",)
    s.close()


def test_a_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progress.sqlite3"
    Store.open(path).store.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, "CREATE TABLE x (a); BROKEN SQL"])
    with pytest.raises(sqlite3.OperationalError):
        store_module.migrate(sqlite3.connect(path, isolation_level=None))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'x'").fetchone() is None


def test_a_file_of_schema_3_keeps_who_made_each_change_under_by(tmp_path: Path) -> None:
    """Migration 4 renames the history column `who` to `by` (the team store's name): a file made by
    the release before keeps every name it recorded, and records new ones under `by`."""
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    for version, script in enumerate(store_module.MIGRATIONS[:3], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO profiles (name, created) VALUES ('default', '2026-01-01T00:00:00.000000Z')")
    conn.execute(
        "INSERT INTO history (profile, role, item_id, field, old, new, at, who) VALUES "
        "('default', 'soe', 'soe-001', 'status', 'todo', 'done', '2026-01-01T00:00:00.000000Z', 'Li Wei')"
    )
    conn.commit()
    conn.close()
    with Store.open(path).store as store:
        assert [h.by for h in store.history(DEFAULT_PROFILE, "soe")] == ["Li Wei"]
        store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", note="checked", by="Wang Li")
        assert [h.by for h in store.history(DEFAULT_PROFILE, "soe")] == ["Li Wei", "Wang Li"]
        assert store.rows().history[0].by == "Li Wei"  # a copy carries it too
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [row[1] for row in conn.execute("PRAGMA table_info(history)")]
    assert "by" in columns and "who" not in columns
    conn.close()


def test_orphans_and_review_flags(store: ProgressStore) -> None:
    item = ChecklistItem("uni-001", "Text", (6,), "quote", fingerprint="new-fp")
    checklist = Checklist("university", "U", "u", "d", (item,))
    store.update(DEFAULT_PROFILE, "university", "uni-001", status="done", fingerprint="old-fp")
    store.update(DEFAULT_PROFILE, "university", "uni-999", status="doing", note="retired item", fingerprint="x")
    state = checklist_state(store, DEFAULT_PROFILE, checklist)
    assert [o.item_id for o in state.orphans] == ["uni-999"]  # kept and reported, never dropped
    assert state.items[0].needs_review
    assert state.counts.done == 1 and state.counts.applicable == 1 and state.counts.percent == 100
    store.update(DEFAULT_PROFILE, "university", "uni-001", status="done", fingerprint="new-fp")
    assert not checklist_state(store, DEFAULT_PROFILE, checklist).items[0].needs_review  # re-marked: reviewed
    last = store.history(DEFAULT_PROFILE, "university")[-1]
    assert (last.item_id, last.field, last.old, last.new) == ("uni-001", "reviewed", "old-fp", "new-fp")
    store.update(DEFAULT_PROFILE, "university", "uni-001", status="doing", fingerprint="new-fp")
    assert not checklist_state(store, DEFAULT_PROFILE, checklist).items[0].needs_review


def _writer(location: str, profile: str, count: int, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, str(WRITER), location, profile, str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_sigkill_mid_burst_loses_no_acknowledged_change(backend: Backend, store: ProgressStore) -> None:
    proc = _writer(backend.text, DEFAULT_PROFILE, 100_000)
    acked = -1
    assert proc.stdout is not None
    for line in proc.stdout:
        acked = int(line.split()[1])
        if acked >= 60:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    again = backend.open()
    got = again.progress(DEFAULT_PROFILE, "burst")
    missing = [i for i in range(acked + 1) if got.get(f"w-{i}") is None or got[f"w-{i}"].status != "done"]
    assert missing == [], f"acknowledged but lost: {missing}"
    assert len(got) >= acked + 1


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(backend: Backend, store: ProgressStore) -> None:
    store.ensure_profile("a")
    store.ensure_profile("b")
    procs = [_writer(backend.text, name, 150) for name in ("a", "b")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.count("ack") == 150
    for name in ("a", "b"):
        assert len(store.progress(name, "burst")) == 150
        assert len(store.history(name, "burst")) == 300  # status and note for each item


@pytest.mark.slow
def test_writers_changing_one_item_at_once_are_applied_one_after_another(backend: Backend, store: ProgressStore) -> None:
    procs = [_writer(backend.text, name, 60, "shared") for name in ("a", "b", "c")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.count("ack") == 60
    notes = store.history(DEFAULT_PROFILE, "burst")
    assert len(notes) == 180  # one history row per acknowledged change
    # Each change started from the one before it: none was decided on a stale read and lost.
    assert [h.old for h in notes] == [""] + [h.new for h in notes[:-1]]
    assert store.item(DEFAULT_PROFILE, "burst", "shared").note == notes[-1].new


# Shared by both backends: what officers working at once need ---------------------------


def test_a_note_saved_over_someone_elses_newer_note_is_refused(backend: Backend, store: ProgressStore) -> None:
    mark(store, "uni-004", note="Draft from the research office")
    base = store.item(DEFAULT_PROFILE, "university", "uni-004")  # what my editor opened with
    other = backend.open()  # a colleague saves first
    other.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", note="Approved text from finance")
    expect = {"note": base.note, "owner": base.owner, "due": base.due}
    with pytest.raises(Conflict) as refused:
        store.update(
            DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", note="My rewrite", owner="", due="", expect=expect
        )
    who = getattr(other, "user", "")
    said = f"by {who}" if who else "in another bj30"
    assert re.fullmatch(f"note changed {said} \\d+ s ago: reload", str(refused.value)), str(refused.value)
    assert refused.value.current.note == "Approved text from finance"  # theirs, for the editor to show
    assert store.item(DEFAULT_PROFILE, "university", "uni-004").note == "Approved text from finance"
    assert [h.new for h in store.history(DEFAULT_PROFILE, "university") if h.field == "note"] == [
        "Draft from the research office",
        "Approved text from finance",
    ]
    # Seen theirs: saving again from it goes through, and is on record.
    now = refused.value.current
    store.update(
        DEFAULT_PROFILE,
        "university",
        "uni-004",
        fingerprint="fp1",
        note="My rewrite",
        expect={"note": now.note, "owner": now.owner, "due": now.due},
    )
    assert store.item(DEFAULT_PROFILE, "university", "uni-004").note == "My rewrite"


def test_no_conflict_when_the_other_change_is_elsewhere_or_the_same(backend: Backend, store: ProgressStore) -> None:
    mark(store, "uni-004", note="n")
    other = backend.open()
    other.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", status="done")  # not the note
    store.update(
        DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", note="n2", expect={"note": "n", "owner": "", "due": ""}
    )
    other.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", note="same words")
    store.update(
        DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", note="same words", expect={"note": "n2"}
    )  # both wrote the same: nothing is lost
    got = store.item(DEFAULT_PROFILE, "university", "uni-004")
    assert (got.status, got.note) == ("done", "same words")


def test_another_sessions_changes_are_named_and_ours_are_not(backend: Backend, store: ProgressStore) -> None:
    assert store.changes_elsewhere() is None  # the starting point
    mark(store, "uni-001", status="done")  # ours
    assert store.changes_elsewhere() is None
    other = backend.open()
    other.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="fp1", status="done")
    other.update(DEFAULT_PROFILE, "university", "uni-005", fingerprint="fp1", note="x", owner="Li Wei")
    mark(store, "uni-002", status="doing")  # ours again, between theirs
    deadline = time.monotonic() + 1.0  # "within a second"
    seen: list = []
    while time.monotonic() < deadline and len(seen) < 3:
        seen += store.changes_elsewhere() or []
        time.sleep(0.02)
    who = getattr(other, "user", "")
    by = f" by {who}" if who else " in another bj30"
    assert [c.describe() for c in seen] == [
        f"uni-004 marked done{by}",
        f"uni-005 note changed{by}",
        f"uni-005 owner set to Li Wei{by}",
    ]
    assert store.changes_elsewhere() is None


HOSTILE = [
    "x'); DROP TABLE history; --",
    "' OR '1'='1",
    "%s %(name)s {0} $1 ?",
    "\\'; SELECT pg_sleep(5); --",
    'Robert"); DELETE FROM progress WHERE ("1"="1',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_ids_and_notes_are_data_not_sql(backend: Backend, store: ProgressStore, text: str) -> None:
    store.create_profile(text[:60], text, text)
    store.update(text[:60], text, text, fingerprint=text, status="na", note=text, owner=text[:200])
    store.update(DEFAULT_PROFILE, "university", "uni-001", fingerprint="fp1", status="done", note=text)
    other = backend.open()
    got = other.item(text[:60], text, text)
    assert (got.item_id, got.note, got.owner, got.fingerprint, got.status) == (text, text, text[:200], text, "na")
    assert other.profile(text[:60]).institution == text
    assert other.notes(text[:60]) == [(text, text, text)]
    assert [h.new for h in other.history(text[:60], text)] == ["na", text, text[:200]]
    assert other.item(DEFAULT_PROFILE, "university", "uni-001").note == text
    assert len(other.history(DEFAULT_PROFILE, "university")) == 2  # the history table is whole


def test_an_export_restores_into_either_backend(store: ProgressStore, policy) -> None:
    import json

    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.export.rows import build_export, to_json
    from tui.core.store.importer import import_progress

    checklist = load_default_catalog(policy).require("soe")
    source = Store.in_memory()
    for i, item in enumerate(checklist.items[:6]):
        source.update(
            DEFAULT_PROFILE,
            "soe",
            item.id,
            fingerprint=item.fingerprint,
            status=("done", "doing", "na")[i % 3],
            note=f"note {i}; DROP TABLE progress; --",
            owner=f"owner {i}",
            due="2026-12-31",
        )
    data = json.loads(json.dumps(to_json(build_export(policy, source, DEFAULT_PROFILE, [checklist]))))
    report = import_progress(store, DEFAULT_PROFILE, checklist, data)
    assert (len(report.applied), report.kept_newer, report.retired) == (6, [], [])
    assert report.history_added == len(source.history(DEFAULT_PROFILE, "soe"))
    fields = ("status", "note", "owner", "due")
    assert {k: [getattr(v, f) for f in fields] for k, v in store.progress(DEFAULT_PROFILE, "soe").items()} == {
        k: [getattr(v, f) for f in fields] for k, v in source.progress(DEFAULT_PROFILE, "soe").items()
    }
    # The file's history is there with its own times, beside the import's own record of what it changed.
    restored = {(h.item_id, h.field, h.old, h.new, h.at) for h in store.history(DEFAULT_PROFILE, "soe")}
    assert {(h.item_id, h.field, h.old, h.new, h.at) for h in source.history(DEFAULT_PROFILE, "soe")} <= restored
    again = import_progress(store, DEFAULT_PROFILE, checklist, data)  # again: nothing to do
    assert (again.applied, again.history_added) == ([], 0)


def test_an_import_keeps_what_the_store_changed_after_the_export(store: ProgressStore, policy) -> None:
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.export.rows import build_export, to_json
    from tui.core.store.importer import import_progress

    checklist = load_default_catalog(policy).require("soe")
    item = checklist.items[0]
    store.update(DEFAULT_PROFILE, "soe", item.id, fingerprint=item.fingerprint, status="doing", note="exported")
    data = to_json(build_export(policy, store, DEFAULT_PROFILE, [checklist]))
    store.update(DEFAULT_PROFILE, "soe", item.id, fingerprint=item.fingerprint, note="changed after the export")
    report = import_progress(store, DEFAULT_PROFILE, checklist, data)
    assert report.applied == [] and len(report.kept_newer) == 1
    assert report.kept_newer[0].startswith(f"{item.id}: the store changed it (revision 2) after the file")
    assert store.item(DEFAULT_PROFILE, "soe", item.id).note == "changed after the export"


# Who did what, evidence, profiles renamed and deleted (issue 13), on both backends ------------


def test_history_records_who_made_each_change(store: ProgressStore) -> None:
    store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done", by="Li Wei")
    # The file records the name it is given; a team store its database user, whatever is claimed.
    expected = getattr(store, "user", "") or "Li Wei"
    assert [h.by for h in store.history(DEFAULT_PROFILE, "soe")] == [expected]
    assert [h.item_id for h in store.history(DEFAULT_PROFILE, "soe", "soe-001")] == ["soe-001"]
    assert store.history(DEFAULT_PROFILE, "soe", "soe-002") == []


def test_evidence_is_attached_listed_and_removed_never_deleted(backend: Backend, store: ProgressStore, tmp_path: Path) -> None:
    from tui.core.progress.evidence import make

    report = tmp_path / "board minutes.pdf"
    report.write_bytes(b"%PDF minutes of the board")
    attached = store.add_evidence(DEFAULT_PROFILE, "soe", "soe-001", make(str(report)), by="Li Wei")
    store.add_evidence(DEFAULT_PROFILE, "soe", "soe-001", make("https://intranet.example/minute-14"), by="Li Wei")
    who = getattr(store, "user", "") or "Li Wei"
    assert (attached.kind, attached.size, attached.by) == ("file", report.stat().st_size, who) and attached.added
    other = backend.open()
    listed = [e for _, _, e in other.evidence(DEFAULT_PROFILE, "soe", "soe-001")]
    assert [(e.kind, e.by) for e in listed] == [("file", who), ("url", who)]
    assert listed[0].sha256 == attached.sha256 and len(attached.sha256) == 64
    removed = store.remove_evidence(DEFAULT_PROFILE, "soe", "soe-001", 1, by="Li Wei")
    assert removed.kind == "file"
    assert [e.kind for _, _, e in other.evidence(DEFAULT_PROFILE, "soe")] == ["url"]
    assert other.has_evidence(DEFAULT_PROFILE, "soe", "soe-001", removed)  # kept, marked removed
    with pytest.raises(StoreError, match="soe-001 has no evidence 2; its evidence is numbered: 1-1"):
        store.remove_evidence(DEFAULT_PROFILE, "soe", "soe-001", 2)
    assert [(h.field, h.by) for h in other.history(DEFAULT_PROFILE, "soe", "soe-001")] == [
        ("evidence+", who),
        ("evidence+", who),
        ("evidence-", who),
    ]


def test_a_profile_renamed_takes_everything_with_it(backend: Backend, store: ProgressStore) -> None:
    store.create_profile("pku", "Peking University")
    store.update("pku", "soe", "soe-001", fingerprint="f", status="done", note="kept")
    store.rename_profile("pku", "pku-hospital")
    other = backend.open()
    assert [p.name for p in other.profiles()] == ["default", "pku-hospital"]
    assert other.profile("pku-hospital").institution == "Peking University"
    assert other.item("pku-hospital", "soe", "soe-001").note == "kept"
    assert [(h.field, h.new) for h in other.history("pku-hospital", "soe")] == [("status", "done"), ("note", "kept")]
    assert not other.holds_progress("pku") and other.roles_of("pku-hospital") == {"soe"}
    with pytest.raises(StoreError, match="already exists"):
        store.rename_profile("pku-hospital", "default")


def test_deleting_profiles(backend: Backend, store: ProgressStore) -> None:
    store.create_profile("empty", "Nobody yet")
    store.delete_profile("empty")
    assert [p.name for p in store.profiles()] == ["default"]
    store.create_profile("pku", "Peking University")
    store.update("pku", "soe", "soe-001", fingerprint="f", status="done")
    if backend.kind == "postgresql":
        # A team store never deletes history: a profile holding any is kept, and says so.
        with pytest.raises(StoreError, match="a team store never deletes history"):
            store.delete_profile("pku")
        assert store.holds_progress("pku")
    else:
        store.delete_profile("pku")  # the workbench has archived it first (bj30 profile delete --archive)
        assert not store.holds_progress("pku")
    with pytest.raises(StoreError, match="cannot be deleted"):
        store.delete_profile(DEFAULT_PROFILE)


# The rest of the interface, on both backends (issue 20: the suite covers every method) ------------


def test_a_store_says_what_it_is_and_closes_as_a_context_manager(backend: Backend) -> None:
    with backend.open() as store:
        assert store.connected and not store.read_only and store.read_only_reason is None
        assert store.keeps_history == (backend.kind == "postgresql")  # a team store never deletes history
        assert (store.user != "") == (backend.kind == "postgresql")  # the file has no database user
        assert re.fullmatch(r"[0-9a-f]{32}", store.store_id)
        same = store.store_id
    assert not store.connected  # closed by the with block
    assert backend.open().store_id == same  # made once, with the tables


def test_a_batch_is_all_or_nothing(store: ProgressStore) -> None:
    mark(store, "uni-001", note="before")
    with pytest.raises(RuntimeError), store.batch():
        store.update(DEFAULT_PROFILE, "university", "uni-001", fingerprint="fp1", note="inside")
        store.update(DEFAULT_PROFILE, "university", "uni-002", fingerprint="fp1", status="done")
        assert store.item(DEFAULT_PROFILE, "university", "uni-002").status == "done"  # seen inside it
        raise RuntimeError("the import failed half-way")
    assert store.item(DEFAULT_PROFILE, "university", "uni-001").note == "before"
    assert store.item(DEFAULT_PROFILE, "university", "uni-002").revision == 0
    assert [h.new for h in store.history(DEFAULT_PROFILE, "university")] == ["before"]
    with store.batch():
        mark(store, "uni-002", status="done")
        mark(store, "uni-003", status="doing")
    assert sorted(store.progress(DEFAULT_PROFILE, "university")) == ["uni-001", "uni-002", "uni-003"]


def test_restore_writes_over_an_older_state_and_history_is_added_once(store: ProgressStore) -> None:
    from tui.core.store.model import HistoryEntry, ItemProgress

    mark(store, "uni-001", status="doing", note="ours")
    ours = store.item(DEFAULT_PROFILE, "university", "uni-001")
    theirs = ItemProgress("uni-001", "done", "theirs", "Li Wei", "2026-12-31", "fp1", "2001-01-01T00:00:00.000000Z", "", 7)
    new = store.restore(DEFAULT_PROFILE, "university", theirs, by="Wang Li")
    # The file's time is older than ours: the item's times never go backwards. Revision: ours + 1.
    assert (new.status, new.note, new.owner, new.revision) == ("done", "theirs", "Li Wei", ours.revision + 1)
    assert new.changed > ours.changed and new.completed == new.changed
    assert store.item(DEFAULT_PROFILE, "university", "uni-001") == new
    restored = [(h.field, h.old, h.new) for h in store.history(DEFAULT_PROFILE, "university")][-4:]
    assert restored == [
        ("status", "doing", "done"),
        ("note", "ours", "theirs"),
        ("owner", "", "Li Wei"),
        ("due", "", "2026-12-31"),
    ]
    entries = [
        HistoryEntry("uni-009", "status", "todo", "done", "2025-03-01T09:00:00.000000Z", "Li Wei"),
        HistoryEntry("uni-009", "note", "", "from the file", "2025-03-01T09:00:01.000000Z", ""),
    ]
    assert store.add_history(DEFAULT_PROFILE, "university", entries) == (2, 0)
    assert store.add_history(DEFAULT_PROFILE, "university", entries) == (0, 2)  # already there
    first = store.history(DEFAULT_PROFILE, "university")[:2]  # in time order: the file's come first
    assert [(h.item_id, h.at) for h in first] == [("uni-009", e.at) for e in entries]
    assert "Li Wei" in first[0].by


def test_a_copy_adds_what_the_target_lacks_and_keeps_what_it_changed_later(store: ProgressStore, tmp_path: Path) -> None:
    from tui.core.progress.evidence import make
    from tui.core.store.copy import copy_store

    source = Store.in_memory()
    source.create_profile("pku", "Peking University")
    source.update("pku", "soe", "soe-001", fingerprint="f", status="done", note="from the source", by="Li Wei")
    source.update("pku", "soe", "soe-002", fingerprint="f", status="doing", by="Li Wei")
    source.add_evidence("pku", "soe", "soe-001", make("Minute 14", kind="reference"), by="Li Wei")
    source.add_evidence("pku", "soe", "soe-002", make("Minute 15", kind="reference"), by="Li Wei")
    report = copy_store(source, store, "the file")
    assert (report.profiles_added, report.items_added, report.history_added, report.evidence_added) == (1, 2, 5, 2)
    assert store.item("pku", "soe", "soe-001").note == "from the source"
    assert [e.target for _, _, e in store.evidence("pku", "soe")] == ["Minute 14", "Minute 15"]
    # Changed in the target after the source: kept, and said; removed in the source: marked removed here.
    store.update("pku", "soe", "soe-002", fingerprint="f", status="done")
    source.remove_evidence("pku", "soe", "soe-001", 1)
    source.update("pku", "soe", "soe-001", fingerprint="f", note="changed in the source")
    again = copy_store(source, store, "the file")
    assert again.items_updated == 1 and len(again.kept_newer) == 1 and "soe-002" in again.kept_newer[0]
    assert again.evidence_removed == 1 and [e.target for _, _, e in store.evidence("pku", "soe")] == ["Minute 15"]
    assert store.item("pku", "soe", "soe-001").note == "changed in the source"
    assert store.item("pku", "soe", "soe-002").status == "done"
    assert not copy_store(source, store, "the file").changed  # a third time: nothing new
    back = Store.in_memory()
    assert copy_store(store, back, "the store").items_added == 2  # and out again
    assert {h.field for h in back.history("pku", "soe")} >= {"status", "note", "evidence+", "evidence-"}


def test_grant_is_for_a_team_store(backend: Backend, store: ProgressStore) -> None:
    if backend.kind == "sqlite":
        with pytest.raises(StoreError, match="a store file has no database roles"):
            store.grant("wangli", "officer")
        return
    from tests import pg

    with pg.roles("officer") as (someone,):
        with pytest.raises(StoreError, match="unknown kind of role 'boss'"):
            store.grant(someone, "boss")
        store.grant(someone, "reader")
        from tui.core.store.location import open_store, parse_location

        with open_store(parse_location(pg.with_user(backend.text, someone))).store as reader:
            assert reader.read_only and reader.user == someone
            assert "may read the team store but not change it" in (reader.read_only_reason or "")


def test_our_own_evidence_and_restores_are_not_news_to_us(backend: Backend, store: ProgressStore) -> None:
    """Every change this session writes is its own, not only a status or a note: evidence attached
    or removed, a restore, imported history. Only the other session's change is named."""
    from tui.core.progress.evidence import make
    from tui.core.store.model import HistoryEntry, ItemProgress

    assert store.changes_elsewhere() is None  # the starting point
    store.add_evidence(DEFAULT_PROFILE, "soe", "soe-001", make("Minute 14", kind="reference"), by="Li Wei")
    store.remove_evidence(DEFAULT_PROFILE, "soe", "soe-001", 1, by="Li Wei")
    store.restore(DEFAULT_PROFILE, "soe", ItemProgress("soe-003", "done", changed="2026-01-01T00:00:00.000000Z"))
    store.add_history(DEFAULT_PROFILE, "soe", [HistoryEntry("soe-004", "status", "todo", "done", "2025-01-01T00:00:00Z")])
    other = backend.open()
    other.update(DEFAULT_PROFILE, "soe", "soe-002", fingerprint="f", status="done")
    deadline, seen = time.monotonic() + 1.0, []
    while time.monotonic() < deadline and not seen:
        seen += store.changes_elsewhere() or []
        time.sleep(0.02)
    assert [(c.item_id, c.field) for c in seen] == [("soe-002", "status")]


@pytest.mark.parametrize(
    "due, says",
    [
        ("2027-02-30", "due date '2027-02-30' is a day that does not exist: February 2027 has 28 days"),
        ("2026-04-31", "due date '2026-04-31' is a day that does not exist: April 2026 has 30 days"),
        ("2026-13-01", "due date '2026-13-01' is not a date: there is no month 13 (months are 01-12)"),
        ("30/11/2026", "due date '30/11/2026' is not a date like 2026-12-31"),
    ],
)
def test_a_due_date_that_does_not_exist_is_said_so(due: str, says: str) -> None:
    from tui.core.store.model import check_due

    with pytest.raises(StoreError) as refused:
        check_due(due)
    assert str(refused.value) == says
    assert check_due("2028-02-29") == "2028-02-29"  # a leap year's day is one
