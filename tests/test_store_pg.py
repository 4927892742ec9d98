"""The team store's own behaviour: who did what enforced by the database, roles, migrations under
an advisory lock, LISTEN/NOTIFY, a server that is away or goes away, secrets and sslmode.

What both backends share is tested once, in tests/test_store.py. These tests need a PostgreSQL
server (tests/pg.py): under CI they must run; elsewhere they skip naming BJ30_TEST_POSTGRES.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests import pg
from tui.core.store.location import open_store, parse_location
from tui.core.store.model import DEFAULT_PROFILE, ReadOnlyStore, StoreError

try:
    import psycopg
except ImportError:  # the fixtures skip (or, under CI, fail) saying what to install
    psycopg = None


@pytest.fixture
def url() -> Iterator[str]:
    """A fresh schema's store URL (as the database's superuser: the store's owner)."""
    with pg.fresh_schema() as store_url:
        yield store_url


def open_pg(url: str):  # -> PgStore
    from tui.core.store.postgres import PgStore

    opened = open_store(parse_location(url))
    assert isinstance(opened.store, PgStore)
    return opened


@pytest.fixture
def officers(url: str) -> Iterator[tuple[str, str, str]]:
    """Two officers' and a manager's URLs on a store set up (and granted) by its owner."""
    owner = open_pg(url).store
    with pg.roles("officer", "officer", "manager") as (wangli, li, manager):
        owner.grant(wangli, "officer")
        owner.grant(li, "officer")
        owner.grant(manager, "reader")
        owner.close()
        yield pg.with_user(url, wangli), pg.with_user(url, li), pg.with_user(url, manager)


def conn_as(url: str):
    return psycopg.connect(url, autocommit=True)


# Who did what ---------------------------------------------------------------------------


def test_history_names_the_database_user_and_no_one_can_write_in_anothers_name(officers) -> None:
    wangli_url, li_url, _ = officers
    wangli = open_pg(wangli_url).store
    wangli.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="f", status="done")
    assert [h.by for h in wangli.history(DEFAULT_PROFILE, "university")] == [wangli.user]
    li_name = open_pg(li_url).store.user
    # Straight SQL, as wangli, claiming to be li and backdating: the database says who and when.
    with conn_as(wangli_url) as conn:
        conn.execute(
            "INSERT INTO history (profile, role, item_id, field, old, new, at, by) "
            "VALUES ('default', 'university', 'uni-005', 'status', 'todo', 'done', "
            "'2001-01-01T00:00:00Z', %s)",
            (li_name,),
        )
        by, at = conn.execute("SELECT by, at FROM history WHERE item_id = 'uni-005'").fetchone()
    assert by == wangli.user and by != li_name
    assert at > "2026"  # the database's clock, not the client's claim
    wangli.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE history SET new = 'forged'",
        "UPDATE history SET by = 'someone else'",
        "DELETE FROM history",
        "TRUNCATE history",
    ],
)
def test_an_officer_can_neither_change_nor_delete_history(officers, statement: str) -> None:
    wangli_url, _, _ = officers
    wangli = open_pg(wangli_url).store
    wangli.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="f", status="done")
    with conn_as(wangli_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        conn.execute(statement)
    assert [h.new for h in wangli.history(DEFAULT_PROFILE, "university")] == ["done"]
    wangli.close()


def test_not_even_the_owner_can_rewrite_history(url: str) -> None:
    owner = open_pg(url).store
    owner.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="f", status="done")
    with conn_as(url) as conn:
        for statement in ("UPDATE history SET new = 'x'", "DELETE FROM history", "TRUNCATE history"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                conn.execute(statement)
    assert len(owner.history(DEFAULT_PROFILE, "university")) == 1
    owner.close()


def test_a_manager_reads_everything_and_changes_nothing(officers) -> None:
    wangli_url, _, manager_url = officers
    wangli = open_pg(wangli_url).store
    wangli.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="f", status="done", note="ok")
    opened = open_pg(manager_url)
    manager = opened.store
    assert manager.read_only
    assert opened.warnings == [
        f"read-only session: database user {manager.user} may read the team store but "
        f"not change it; ticks and notes cannot be saved"
    ]
    assert manager.item(DEFAULT_PROFILE, "university", "uni-004").note == "ok"
    assert [h.by for h in manager.history(DEFAULT_PROFILE, "university")] == [wangli.user, wangli.user]
    with pytest.raises(ReadOnlyStore, match="not saved: read-only session"):
        manager.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="f", status="todo")
    with conn_as(manager_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE progress SET status = 'todo'")
    wangli.close()
    manager.close()


def test_an_officer_cannot_set_up_a_store_only_its_owner_can(url: str) -> None:
    with pg.roles("officer") as (someone,):
        with pg.admin() as conn:
            conn.execute(f'GRANT USAGE ON SCHEMA "{pg.schema_of(url)}" TO "{someone}"')
        opened = open_pg(pg.with_user(url, someone))
        assert opened.store.read_only
        assert "has no bj30 tables yet" in opened.warnings[0] and "its owner starts bj30 once" in opened.warnings[0]
        opened.store.close()


# Migrations -----------------------------------------------------------------------------


def test_parallel_first_starts_create_the_tables_once(url: str) -> None:
    from tui.core.store.pg_schema import PG_SCHEMA_VERSION

    results: list[object] = []
    start = threading.Barrier(6)

    def first_start() -> None:
        start.wait()
        try:
            opened = open_pg(url)
            results.append(opened.warnings)
            opened.store.close()
        except Exception as exc:  # noqa: BLE001 - the test reports any failure of any start
            results.append(exc)

    threads = [threading.Thread(target=first_start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [[]] * 6
    with conn_as(url) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(PG_SCHEMA_VERSION),)
        assert conn.execute("SELECT count(*) FROM profiles").fetchone() == (1,)


def test_a_store_from_a_newer_bj30_is_read_only_and_untouched(url: str) -> None:
    open_pg(url).store.close()
    with conn_as(url) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    opened = open_pg(url)
    assert opened.store.read_only and "schema version 99, newer than this bj30" in opened.warnings[0]
    with conn_as(url) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("99",)
    opened.store.close()


# Live -----------------------------------------------------------------------------------


def test_an_officers_change_reaches_another_within_a_second_with_who(officers) -> None:
    wangli_url, li_url, _ = officers
    wangli, li = open_pg(wangli_url).store, open_pg(li_url).store
    assert li.changes_elsewhere() is None
    started = time.monotonic()
    wangli.update(DEFAULT_PROFILE, "university", "uni-004", fingerprint="f", status="done")
    seen = None
    while seen is None and time.monotonic() - started < 1.0:
        seen = li.changes_elsewhere()
        time.sleep(0.01)
    assert seen is not None, "no word of the change within a second"
    assert [c.describe() for c in seen] == [f"uni-004 marked done by {wangli.user}"]
    assert wangli.changes_elsewhere() is None  # its own change is not news to wangli
    wangli.close()
    li.close()


# Faults ---------------------------------------------------------------------------------


def test_server_unreachable_at_start_gives_a_read_only_session(url: str) -> None:
    down = pg.with_port(pg.with_user(url, "wangli", "s3cret-pw"), pg.Proxy(url).port)  # nothing listens there
    opened = open_store(parse_location(down))
    store = opened.store
    assert store.read_only
    assert len(opened.warnings) == 1
    assert opened.warnings[0].startswith("read-only session: the team store postgresql://wangli:***@")
    assert "cannot be reached" in opened.warnings[0] and "s3cret-pw" not in opened.warnings[0]
    with pytest.raises(ReadOnlyStore, match="not saved: read-only session"):
        store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
    with pytest.raises(StoreError, match="^cannot read: the team store .* cannot be reached"):
        store.progress(DEFAULT_PROFILE, "soe")
    assert store.changes_elsewhere() is None
    store.close()


def test_server_going_away_mid_session_then_coming_back(url: str) -> None:
    open_pg(url).store.close()  # the tables, made directly
    proxy = pg.Proxy(url)
    proxy.start()
    try:
        opened = open_pg(proxy.url(url))
        store = opened.store
        store.RETRY_SECONDS = 0.1
        store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
        proxy.stop()  # the server goes away
        with pytest.raises(StoreError, match="^not saved: the connection to the team store .* broke"):
            store.update(DEFAULT_PROFILE, "soe", "soe-002", fingerprint="f", status="done")
        assert store.read_only and "broke" in (store.read_only_reason or "")
        with pytest.raises(ReadOnlyStore, match="not saved: read-only session"):
            store.update(DEFAULT_PROFILE, "soe", "soe-003", fingerprint="f", status="done")
        assert not store.wait_reconnected(0.5)
        proxy.start()  # back
        assert store.wait_reconnected(10)
        assert not store.read_only
        assert store.changes_elsewhere() == []  # reload: what happened meanwhile is not known by name
        store.update(DEFAULT_PROFILE, "soe", "soe-004", fingerprint="f", status="done")
        got = store.progress(DEFAULT_PROFILE, "soe")
        assert sorted(got) == ["soe-001", "soe-004"]  # nothing reported unsaved was saved, nor the reverse
        assert [h.item_id for h in store.history(DEFAULT_PROFILE, "soe")] == ["soe-001", "soe-004"]
        store.close()
    finally:
        proxy.stop()


def test_a_session_killed_by_the_server_reconnects(url: str) -> None:
    store = open_pg(url).store
    store.RETRY_SECONDS = 0.1
    with pg.admin() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bj30' "
            "AND pid <> pg_backend_pid() AND query NOT ILIKE '%pg_terminate_backend%'"
        )
    with pytest.raises(StoreError, match="not saved|cannot read"):
        store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
    assert store.wait_reconnected(10)
    store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
    assert store.item(DEFAULT_PROFILE, "soe", "soe-001").status == "done"
    store.close()


def test_a_change_waiting_on_a_frozen_colleague_is_refused_not_hung(url: str, monkeypatch) -> None:
    from tui.core.store import postgres as store_pg

    monkeypatch.setattr(store_pg.PgStore, "LOCK_TIMEOUT_MS", 300)
    store = open_pg(url).store
    with conn_as(url) as frozen:  # another bj30 stopped mid-change, holding the item's lock
        frozen.execute(
            "SELECT pg_advisory_lock(hashtextextended(%s, 16))", (store_pg._item_key(DEFAULT_PROFILE, "soe", "soe-001"),)
        )
        started = time.monotonic()
        with pytest.raises(StoreError, match="^not saved: another session has been changing this item"):
            store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
        assert time.monotonic() - started < 5
        store.update(DEFAULT_PROFILE, "soe", "soe-002", fingerprint="f", status="done")  # other items: fine
    store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")  # released: fine
    assert not store.read_only
    store.close()


# Secrets and TLS ------------------------------------------------------------------------


def test_sslmode_in_the_url_is_honoured(url: str) -> None:
    with conn_as(url) as conn:
        ssl_on = conn.execute("SHOW ssl").fetchone() == ("on",)
    opened = open_store(parse_location(pg.with_params(url, sslmode="require")))
    if ssl_on:
        assert not opened.store.read_only
        assert opened.store._link.conn.pgconn.ssl_in_use  # type: ignore[attr-defined]
    else:
        assert opened.store.read_only
        assert "SSL" in opened.warnings[0]  # "server does not support SSL, but SSL was required"
    opened.store.close()
    disabled = open_pg(pg.with_params(url, sslmode="disable")).store
    assert not disabled.read_only and not disabled._link.conn.pgconn.ssl_in_use
    disabled.close()


def test_the_password_is_never_shown(url: str) -> None:
    secret = "pa:ss@w0rd/%40"
    location = parse_location(pg.with_user(url, "nobody_here", secret))
    assert secret not in location.display and "***" in location.display
    opened = open_store(location)  # refused: no such role; the message must not carry the password
    assert opened.store.read_only
    text = " ".join(opened.warnings) + str(opened.store.read_only_reason)
    assert "nobody_here" in text
    for part in (secret, "pa:ss@w0rd", "pa%3Ass"):
        assert part not in text
    with pytest.raises(StoreError) as refused:
        opened.store.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", status="done")
    assert "pa:ss" not in str(refused.value)
    query = parse_location(pg.with_params(url, password="qsecret"))
    assert "qsecret" not in query.display and query.scrub("fails for qsecret") == "fails for ***"
    opened.store.close()


def test_a_change_during_an_import_waits_and_is_not_overwritten(url: str) -> None:
    from tui.core.store.model import ItemProgress

    importing, officer = open_pg(url).store, open_pg(url).store
    officer.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", note="before")
    with importing.batch():
        assert importing.item(DEFAULT_PROFILE, "soe", "soe-001").note == "before"  # read: and locked
        meanwhile = threading.Thread(
            target=lambda: officer.update(DEFAULT_PROFILE, "soe", "soe-001", fingerprint="f", note="during")
        )
        meanwhile.start()
        time.sleep(0.3)
        assert meanwhile.is_alive()  # waits for the import to finish, rather than racing it
        importing.restore(DEFAULT_PROFILE, "soe", ItemProgress("soe-001", note="imported", changed="2026-01-01T00:00:00Z"))
    meanwhile.join(timeout=10)
    assert officer.item(DEFAULT_PROFILE, "soe", "soe-001").note == "during"
    notes = [(h.old, h.new) for h in officer.history(DEFAULT_PROFILE, "soe") if h.field == "note"]
    assert notes == [("", "before"), ("before", "imported"), ("imported", "during")]  # none decided on a stale read
    importing.close()
    officer.close()


# Evidence and profiles in a team store: who, enforced; never deleted ------------------------


def test_evidence_who_and_when_are_the_databases_and_it_is_never_deleted(officers, tmp_path) -> None:
    from tui.core.progress.evidence import make

    wangli_url, li_url, _ = officers
    wangli, li = open_pg(wangli_url).store, open_pg(li_url).store
    attached = wangli.add_evidence(DEFAULT_PROFILE, "soe", "soe-001", make("Minute 2026-14", kind="reference"), by="someone else")
    assert attached.by == wangli.user
    li.remove_evidence(DEFAULT_PROFILE, "soe", "soe-001", 1, by="wangli")  # claims to be wangli: no matter
    with conn_as(wangli_url) as conn:
        assert conn.execute("SELECT added_by, removed_by, removed <> '' FROM evidence").fetchone() == (wangli.user, li.user, True)
        for statement in (
            "UPDATE evidence SET target = 'forged'",
            "UPDATE evidence SET removed = ''",
            "DELETE FROM evidence",
            "TRUNCATE evidence",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with (
        conn_as(li_url) as conn,  # marking it removed again, under another name: refused
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="never changed"),
    ):
        conn.execute("UPDATE evidence SET removed = '2001-01-01', removed_by = 'wangli'")
    assert [(h.field, h.by) for h in li.history(DEFAULT_PROFILE, "soe")] == [("evidence+", wangli.user), ("evidence-", li.user)]
    wangli.close()
    li.close()


def test_only_the_owner_renames_or_deletes_a_profile(officers, url: str) -> None:
    wangli_url, _, _ = officers
    wangli = open_pg(wangli_url).store
    wangli.create_profile("pku", "Peking University")
    wangli.create_profile("spare", "Nobody yet")
    wangli.update("pku", "soe", "soe-001", fingerprint="f", status="done")
    with pytest.raises(ReadOnlyStore, match="only its owner renames profiles"):
        wangli.rename_profile("pku", "pku-hospital")
    with pytest.raises(ReadOnlyStore, match="only its owner deletes profiles"):
        wangli.delete_profile("spare")
    assert not wangli.read_only  # refused that, not read-only for it
    owner = open_pg(url).store
    owner.rename_profile("pku", "pku-hospital")
    owner.delete_profile("spare")
    assert [h.new for h in wangli.history("pku-hospital", "soe")] == ["done"]
    assert [p.name for p in wangli.profiles()] == ["default", "pku-hospital"]
    owner.close()
    wangli.close()


def test_imported_history_keeps_its_times_and_says_who_brought_it(url: str) -> None:
    from tui.core.store.model import HistoryEntry

    store = open_pg(url).store
    added, there = store.add_history(
        DEFAULT_PROFILE,
        "soe",
        [
            HistoryEntry("soe-001", "status", "todo", "done", "2025-03-01T09:00:00.000000Z", "Li Wei"),
            HistoryEntry("soe-001", "note", "", "from the file", "2025-03-01T09:00:00.000000Z", ""),
        ],
    )
    assert (added, there) == (2, 0)
    assert [(h.at, h.by) for h in store.history(DEFAULT_PROFILE, "soe")] == [
        ("2025-03-01T09:00:00.000000Z", f"Li Wei (imported by {store.user})"),
        ("2025-03-01T09:00:00.000000Z", f"(imported by {store.user})"),
    ]
    store.close()
