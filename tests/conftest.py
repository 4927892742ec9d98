"""Shared fixtures. Every test runs with its own XDG folders, never the real home."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.stores import Backend


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    # Who makes changes falls back to the login name (getpass reads LOGNAME first): one name for
    # every machine, so that snapshots and reports do not depend on who runs the tests.
    monkeypatch.setenv("LOGNAME", "officer")
    # Times are shown in local time: one zone for every machine (local_zone changes it per test).
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The input cursor does not blink in tests: a snapshot taken 0.5 s after the last key on a
    busy machine would otherwise catch it hidden, and differ from one taken at once."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def policy():
    from tui.core.content.policy_loader import load_policy

    return load_policy()


@pytest.fixture
def make_app(tmp_path: Path):
    """Builds the app over a UI state file and a progress store in this test's folder (or `folder`)."""
    from tui.app import Bj30App
    from tui.core.content.policy import Policy

    def make(policy: Policy | None = None, *, folder: Path | None = None) -> Bj30App:
        where = folder or tmp_path
        where.mkdir(parents=True, exist_ok=True)
        return Bj30App(policy, state_path=where / "ui-state.json", store_path=where / "progress.sqlite3")

    return make


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch):
    """Sets the process's time zone (TZ) for one test, as an office in that zone would have it."""
    import time

    def set_zone(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path):
    """The same test against the SQLite file and the PostgreSQL team store (a schema of its own)."""
    if request.param == "sqlite":
        b = Backend("sqlite", str(tmp_path / "data" / "progress.sqlite3"))
        yield b
        b.close_all()
        return
    from tests.pg import fresh_schema

    with fresh_schema() as url:
        b = Backend("postgresql", url)
        yield b
        b.close_all()


@pytest.fixture
def store(backend: Backend):
    """A store on each backend (see `backend`)."""
    return backend.open()


@pytest.fixture(autouse=True)
def pilot_waits_for_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Pilot test presses a key and looks, as a person waits for the app to show the result:
    the store work the app does off the event loop (tui/store_jobs.py: a checklist read, a tick
    saved) is finished, and shown, before pilot.press and pilot.pause return. Tests of what shows
    while the store is still working post keys with tests.helpers.burst instead."""
    from textual.pilot import Pilot

    press, pause = Pilot.press, Pilot.pause

    async def store_done(pilot: Pilot) -> None:
        jobs = getattr(pilot.app, "store_jobs", None)
        for _ in range(10):  # a job's result may ask for another (a refused save reloads)
            if jobs is None or not jobs.busy:
                return
            await jobs.wait()
            await pause(pilot)

    async def press_and_wait(self: Pilot, *keys: str) -> None:
        await press(self, *keys)
        await store_done(self)

    async def pause_and_wait(self: Pilot, delay: float | None = None) -> None:
        await pause(self, delay)
        await store_done(self)

    monkeypatch.setattr(Pilot, "press", press_and_wait)
    monkeypatch.setattr(Pilot, "pause", pause_and_wait)
    monkeypatch.setattr(Pilot, "pause_only", pause, raising=False)  # for tests of what shows while the store works
