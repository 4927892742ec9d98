"""Every screen and dialog with realistic values filled in, at 120x40, 80x24 and 60x20 (issue 21).

What a person sees: an owner in Chinese ("财务处 孙磊"), a due date, a long note, a Chinese
institution; typed into the fields as a person types (tests/helpers.burst), so the snapshot shows
what the fields show, not only what they hold. Looked at when made (the SVGs in __snapshots__).

Regenerate after a deliberate visual change: pytest tests/test_snapshots_filled.py --snapshot-update
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.helpers import burst, settle
from tui.app import Bj30App

SIZES = [(120, 40), (80, 24), (60, 20)]
SIZE_IDS = ["120x40", "80x24", "60x20"]
TODAY = dt.date(2026, 11, 27)
OWNER = "财务处 孙磊"
NOTE = (
    "Joint lab with two SOEs agreed at the board on 2026-11-14 (minute 2026-14); the finance office "
    "(财务处) checks the indirect-cost share before the contract is signed, then legal reviews the IP clause."
)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """One 'today' for every module that asks, so that 'overdue' does not drift with the calendar."""
    from tui.core.text import localtime

    real = localtime.today
    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "today", None) is real:
            monkeypatch.setattr(module, "today", lambda: TODAY)


def seeded(tmp_path: Path, *, first_run: bool = False) -> Bj30App:
    """A hospital's store: an institution in Chinese, owners, due dates, notes, an N/A reason."""
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy
    from tui.core.store.sqlite import Store

    if not first_run:
        university = load_default_catalog(load_policy()).get("university")
        store = Store.open(tmp_path / "progress.sqlite3").store
        store.update_profile("default", "北京大学第一医院", "科研处")
        for item_id, status, note, owner, due in (
            ("uni-033", "doing", NOTE, OWNER, "2026-12-31"),
            ("uni-034", "todo", "", "Wang Li", "2026-11-20"),
            ("uni-001", "done", "Signed on 2026-11-02", "科研处 王芳", ""),
            ("uni-035", "na", "We seek no such support this year", "", ""),
        ):
            item = university.item(item_id)
            store.update("default", "university", item_id, status=status, note=note, fingerprint=item.fingerprint)
            store.update("default", "university", item_id, owner=owner, due=due, fingerprint=item.fingerprint)
        store._conn.execute(
            "UPDATE progress SET changed = '2026-11-20T09:00:00Z', "
            "completed = CASE WHEN status = 'done' THEN '2026-11-20T09:00:00Z' ELSE '' END"
        )
        store._conn.execute("UPDATE history SET at = '2026-11-20T09:00:00.000000Z'")
        store.close()
    return Bj30App(state_path=tmp_path / "ui-state.json", store_path=tmp_path / "progress.sqlite3", ask_first_run=first_run)


async def university(pilot) -> None:
    await settle(pilot)
    burst(pilot.app, "l")
    await settle(pilot)
    roles = pilot.app.screen.query_one("#roles")
    roles.highlighted = [o.id for o in roles.options].index("university")
    burst(pilot.app, "<enter>")
    await settle(pilot)


def typing(
    *tokens: str, before: Callable[[object], Awaitable[None]] | None = university, quiet: bool = False
) -> Callable[[object], Awaitable[None]]:
    """`tokens` typed at once after `before`; `quiet`: the notifications cleared (a toast's timeout
    is wall-clock time: on a busy machine it may be gone when the snapshot is taken)."""

    async def run(pilot) -> None:
        if before is not None:
            await before(pilot)
        else:
            await settle(pilot)
        burst(pilot.app, *tokens)
        await settle(pilot)
        if quiet:
            pilot.app.clear_notifications()
            await settle(pilot)

    return run


async def export_path(pilot) -> None:
    await university(pilot)
    burst(pilot.app, "x")
    await settle(pilot)
    pilot.app.screen.query_one("#export-path").value = "reports/北京大学第一医院-university.xlsx"  # not today's folder
    await settle(pilot)


async def report(pilot) -> None:
    await settle(pilot)
    burst(pilot.app, "l", "x", "<down>", "<down>", "<down>", "<space>")
    await settle(pilot)
    pilot.app.screen.query_one("#report-path").value = "reports/hospital-report.md"
    await settle(pilot)


CASES: dict[str, Callable[[object], Awaitable[None]]] = {
    "checklists": typing("l", before=None),
    "checklist": university,
    "checklist_filtered_open": typing("f"),
    "actions": typing("l", "a", before=None),
    "note": typing("e"),  # uni-033: the long note, its owner and due date as stored
    "note_refused_date": typing("<down>", "<down>", "e", "Ask 财务处 first", "<tab>", OWNER, "<tab>", "2027-02-30", "<enter>"),
    "reason": typing("a", "人事处: no foreign staff"),  # shorter than the field at 60 columns: nothing scrolled
    "evidence": typing("v", "ref: Minute 2026-14 of the board", "<tab>", "signed by 财务处 孙磊"),
    "export_path": export_path,
    "report": report,
    "profile_choice": typing("l", "P", before=None),
    "profile_new": typing("l", "P", "<end>", "<enter>", "pku-third", "<tab>", "北京大学第三医院", "<tab>", "财务处", before=None),
    "profile_edit": typing("l", "P", "<end>", "<up>", "<enter>", before=None),
    "name": typing("l", "P", "<end>", "<up>", "<up>", "<enter>", "孙磊", before=None),
    "role_lens": typing("l", "r", before=None),
    "goto": typing("g", "measure 17", before=None),
    "find": typing("g", "17", "<enter>", "f", "indirect expnses", before=None),
    "who_acts": typing("g", "17", "<enter>", "w", before=None),
    "help": typing("?"),
    # In two steps: the type-ahead across a save is tested in test_bursts.py; here, what the dialog shows.
    "confirm_remove_evidence": typing("V", "<enter>", before=typing("<down>", "v", "ref: Minute 2026-14", "<enter>"), quiet=True),
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("case", list(CASES))
def test_filled(snap_compare, tmp_path: Path, case: str, size: tuple[int, int]) -> None:
    assert snap_compare(seeded(tmp_path), terminal_size=size, run_before=CASES[case])


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_first_run(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def fill(pilot) -> None:
        from tui.dialogs.first_run import FirstRunDialog

        for _ in range(200):  # asked once the first screen is drawn
            await settle(pilot)
            if isinstance(pilot.app.screen, FirstRunDialog):
                break
        burst(pilot.app, "北京大学第一医院", "<tab>", "孙磊")
        await settle(pilot)

    assert snap_compare(seeded(tmp_path, first_run=True), terminal_size=size, run_before=fill)
