"""Snapshot tests of the main screens at 60x20, 80x24 and 120x40 (pytest-textual-snapshot).

Regenerate after a deliberate visual change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import Bj30App


def app_at(make_app, tmp_path: Path, place: int | str | None = None) -> Bj30App:
    """The app opening at `place`, as if the user had left it there."""
    if place is not None:
        state = tmp_path / "ui-state.json"
        state.write_text(f'{{"last_place": {place!r}}}'.replace("'", '"'), encoding="utf-8")
    return make_app()


SIZES = [(60, 20), (80, 24), (120, 40)]
SIZE_IDS = ["60x20", "80x24", "120x40"]


async def settle(pilot) -> None:
    """Let deferred work finish (the header learns the institution after the first frame)."""
    for _ in range(3):
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_reader(snap_compare, tmp_path: Path, make_app, size: tuple[int, int]) -> None:
    assert snap_compare(app_at(make_app, tmp_path, 17), terminal_size=size, run_before=settle)


def test_reader_contents_shown_at_80x24(snap_compare, tmp_path: Path, make_app) -> None:
    async def show_contents(pilot) -> None:
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(app_at(make_app, tmp_path, 17), terminal_size=(80, 24), run_before=show_contents)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_help(snap_compare, tmp_path: Path, make_app, size: tuple[int, int]) -> None:
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_at(make_app, tmp_path, 1), terminal_size=size, run_before=open_help)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
def test_goto_refuses_bad_input(snap_compare, tmp_path: Path, make_app, size: tuple[int, int]) -> None:
    assert snap_compare(app_at(make_app, tmp_path, 1), terminal_size=size, press=["g", "4", "2", "enter"])


def test_reader_after_resizing_from_120_to_80_columns(snap_compare, tmp_path: Path, make_app) -> None:
    async def shrink(pilot) -> None:
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)

    assert snap_compare(app_at(make_app, tmp_path, 17), terminal_size=(120, 40), run_before=shrink)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_search(snap_compare, tmp_path: Path, make_app, size: tuple[int, int]) -> None:
    async def type_query(pilot) -> None:
        await pilot.press("slash", *"indirect expnses")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_at(make_app, tmp_path, 1), terminal_size=size, run_before=type_query)


def test_reader_after_search_highlights_the_words(snap_compare, tmp_path: Path, make_app) -> None:
    async def search_and_open(pilot) -> None:
        await pilot.press("slash", *"punitive damages")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)

    assert snap_compare(app_at(make_app, tmp_path, 1), terminal_size=(80, 24), run_before=search_and_open)


def seeded(tmp_path: Path, make_app) -> Bj30App:
    """An app whose store holds some progress, with fixed times so snapshots do not drift."""
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy
    from tui.core.store.sqlite import Store

    checklist = load_default_catalog(load_policy()).get("university")
    store = Store.open(tmp_path / "progress.sqlite3").store
    store.update_profile("default", "Peking University")  # the header line names it
    for item_id, status, note in (
        ("uni-031", "done", "Joint lab with two SOEs"),
        ("uni-001", "doing", ""),
        ("uni-033", "na", "We seek no such support"),
        ("uni-017", "done", ""),
    ):
        store.update("default", "university", item_id, status=status, note=note, fingerprint=checklist.item(item_id).fingerprint)
    store._conn.execute(
        "UPDATE progress SET changed = '2026-11-20T09:00:00Z', "
        "completed = CASE WHEN status = 'done' THEN '2026-11-20T09:00:00Z' ELSE '' END"
    )
    store._conn.execute("UPDATE history SET at = '2026-11-20T09:00:00.000000Z'")  # the detail pane's history
    store.close()
    return make_app()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_checklists_screen(snap_compare, tmp_path: Path, make_app, size: tuple[int, int]) -> None:
    assert snap_compare(seeded(tmp_path, make_app), terminal_size=size, press=["l"])


async def open_university(pilot) -> None:
    await pilot.press("l")
    roles = pilot.app.screen.query_one("#roles")
    roles.highlighted = [o.id for o in roles.options].index("university")
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_checklist_screen(snap_compare, tmp_path: Path, make_app, size: tuple[int, int]) -> None:
    assert snap_compare(seeded(tmp_path, make_app), terminal_size=size, run_before=open_university)


def test_export_dialog_at_60x20(snap_compare, tmp_path: Path, make_app) -> None:
    async def open_export(pilot) -> None:
        await open_university(pilot)
        await pilot.press("x")
        await pilot.pause()
        pilot.app.screen.query_one("#export-path").value = "university-report.md"  # not today's date or folder
        await pilot.pause()

    assert snap_compare(seeded(tmp_path, make_app), terminal_size=(60, 20), run_before=open_export)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(
    "query", ["student tuition fees", "how much overhead can a grant charge"], ids=["not-addressed", "missing"]
)
def test_search_says_what_the_policy_does_not_say(
    snap_compare, tmp_path: Path, make_app, size: tuple[int, int], query: str
) -> None:
    """Issue 25: "The 30 Measures never mention: ..." and "Nothing in the policy addresses
    this" above the hits, "(partial)" on them and "missing: ..." under a hit that misses words."""

    async def type_query(pilot) -> None:
        await pilot.press("slash", *query)
        await settle(pilot)

    assert snap_compare(app_at(make_app, tmp_path, 1), terminal_size=size, run_before=type_query)
