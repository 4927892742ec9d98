"""Open actions: one list for `bj30 actions`, the actions screen and the report."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.helpers import run_cli
from tui.core.content.checklist import Checklist
from tui.core.content.checklist_loader import load_default_catalog
from tui.core.content.policy import Policy
from tui.core.progress.actions import is_overdue, open_actions, owners
from tui.core.progress.state import checklist_state
from tui.core.store.sqlite import Store

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def checklists(policy: Policy) -> tuple[Checklist, Checklist]:
    catalog = load_default_catalog(policy)
    return catalog.require("university"), catalog.require("medical-institution")


def office_store(university: Checklist, medical: Checklist) -> Store:
    store = Store.in_memory()
    u, m = university.items, medical.items

    def mark(checklist: Checklist, item, **changes: str) -> None:
        store.update("default", checklist.role, item.id, fingerprint=item.fingerprint, **changes)

    mark(university, u[0], status="doing", owner="Wang Li", due="2026-12-15")
    mark(university, u[1], status="todo", owner="Zhang San", due="2026-11-20")
    mark(university, u[2], status="done", owner="Wang Li", due="2026-11-01")  # done: not open
    mark(university, u[3], status="na", note="not ours", due="2026-11-01")  # N/A: not open
    mark(medical, m[0], status="doing", owner="wang  li", due="2026-11-27")  # due today: not overdue yet
    mark(medical, m[1], status="todo", owner="Li Si")
    return store


def test_open_items_across_checklists_by_due_date_undated_last(checklists) -> None:
    university, medical = checklists
    store = office_store(university, medical)
    states = [checklist_state(store, "default", c) for c in checklists]
    found = open_actions(states, TODAY)
    assert len(found) == len(university.items) - 2 + len(medical.items)
    first = [(a.item_id, a.due, a.overdue) for a in found[:3]]
    assert first == [
        (university.items[1].id, "2026-11-20", True),
        (medical.items[0].id, "2026-11-27", False),
        (university.items[0].id, "2026-12-15", False),
    ]
    assert found[3].item_id == medical.items[1].id  # undated but owned, before the unowned undated ones
    assert {a.status for a in found} == {"todo", "doing"}


def test_filters_owner_due_before_overdue_role(checklists) -> None:
    university, medical = checklists
    states = [checklist_state(office_store(university, medical), "default", c) for c in checklists]
    wang = open_actions(states, TODAY, owner="WANG LI")
    assert [a.item_id for a in wang] == [medical.items[0].id, university.items[0].id]  # spacing and case aside
    assert [a.item_id for a in open_actions(states, TODAY, due_before=dt.date(2026, 11, 27))] == [university.items[1].id]
    assert [a.item_id for a in open_actions(states, TODAY, overdue=True)] == [university.items[1].id]
    assert {a.role for a in open_actions(states, TODAY, roles=["medical-institution"])} == {"medical-institution"}
    by_owner = open_actions(states, TODAY, sort="owner")
    assert [a.owner for a in by_owner[:4]] == ["Li Si", "wang li", "Wang Li", "Zhang San"]
    assert owners(states) == ["Li Si", "Wang Li", "Zhang San"]  # each person once


def test_overdue_is_due_before_today() -> None:
    assert is_overdue("2026-11-26", TODAY) and not is_overdue("2026-11-27", TODAY)
    assert not is_overdue("", TODAY) and not is_overdue("soon", TODAY)


def test_cli_actions_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "profile", "create", "pku-hospital", "--institution", "Peking University Third Hospital")
    for args in (
        ("university", "uni-034", "doing", "--owner", "Wang Li", "--due", "2000-01-01"),
        ("university", "uni-035", "todo", "--owner", "Zhang San", "--due", "2999-12-10"),
        ("medical-institution", "med-015", "doing", "--owner", "Wang Li"),
        ("university", "uni-033", "done", "--owner", "Wang Li"),
    ):
        assert run_cli(capsys, "--profile", "pku-hospital", "mark", *args)[0] == 0
    code, out, err = run_cli(capsys, "actions", "--profile", "pku-hospital", "--owner", "wang li")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Peking University Third Hospital (profile pku-hospital) · 2 open actions on ")
    assert lines[0].endswith(", 1 overdue")
    assert lines[1].split() == ["DUE", "OWNER", "STATUS", "ROLE", "ITEM", "WHAT"]
    assert lines[2].startswith("2000-01-01  Wang Li  doing   university") and "uni-034  OVERDUE The university" in lines[2]
    assert lines[3].startswith("-           Wang Li  doing   medical-institution  med-015")
    code, out, _ = run_cli(capsys, "actions", "--profile", "pku-hospital", "--overdue", "--format", "json")
    data = json.loads(out)
    assert [(a["role"], a["item"], a["owner"], a["due"], a["overdue"]) for a in data] == [
        ("university", "uni-034", "Wang Li", "2000-01-01", True)
    ]
    code, out, _ = run_cli(
        capsys, "actions", "--profile", "pku-hospital", "--due-before", "2999-12-31", "--role", "university", "--format", "json"
    )
    assert [a["item"] for a in json.loads(out)] == ["uni-034", "uni-035"]
    code, out, _ = run_cli(capsys, "actions", "--profile", "pku-hospital", "--owner", "nobody")
    assert code == 0 and out.splitlines()[-1] == "Nothing open matches."
    code, _, err = run_cli(capsys, "actions", "--role", "nope")
    assert code == 1 and "no checklist for role 'nope'" in err
    code, _, err = run_cli(capsys, "actions", "--due-before", "tomorrow")
    assert code == 2 and "'tomorrow' is not a date like 2026-12-31" in err


def _cell_at(line: str, word: str) -> int:
    """Where `word` starts in `line`, in terminal cells."""
    from tui.core.text.fit import cell_width

    return cell_width(line[: line.index(word)])


def test_cli_actions_columns_line_up_with_a_chinese_owner(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ("university", "uni-034", "doing", "--owner", "财务处 孙磊", "--due", "2999-01-01"),
        ("university", "uni-035", "doing", "--owner", "Wang Li", "--due", "2999-01-02"),
        ("university", "uni-036", "doing", "--owner", "e\u0301cole 👍", "--due", "2999-01-03"),
    ):
        assert run_cli(capsys, "mark", *args)[0] == 0
    code, out, err = run_cli(capsys, "actions", "--role", "university")
    assert code == 0, err
    rows = [line for line in out.splitlines() if " doing " in line]
    assert len(rows) == 3
    header = out.splitlines()[1]
    assert {_cell_at(line, " doing ") + 1 for line in rows} == {_cell_at(header, "STATUS")}
    assert {_cell_at(line, "uni-03") for line in rows} == {_cell_at(header, "ITEM")}


async def test_actions_screen_columns_line_up_with_a_chinese_owner(make_app) -> None:
    from tui.screens.actions import ActionsScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        workbench = app.workbench
        checklist = workbench.checklist("university")
        for item_id, owner in (("uni-034", "财务处 孙磊"), ("uni-035", "Wang Li"), ("uni-036", "e\u0301cole 👍")):
            workbench.update("university", checklist.item(item_id), status="doing", owner=owner, due="2999-01-01")
        app.action_open_actions()
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        listing = app.screen.query_one("#actions")
        rows = [listing.get_option_at_index(i).prompt.plain for i in range(3)]
        assert all(" doing " in row for row in rows)
        header = app.screen.query_one("#actions-columns").visual.plain
        assert {_cell_at(row, " doing ") + 1 for row in rows} == {_cell_at(header, "STATUS")}
        assert {_cell_at(row, "uni-03") for row in rows} == {_cell_at(header, "ITEM")}


async def test_checklist_columns_line_up_with_a_chinese_owner(make_app) -> None:
    from tui.screens.checklist import ChecklistScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        workbench = app.workbench
        checklist = workbench.checklist("university")
        owners = {"uni-033": "财务处 孙磊", "uni-034": "Wang Li", "uni-001": "e\u0301cole 👍"}
        for item_id, owner in owners.items():
            workbench.update("university", checklist.item(item_id), owner=owner, due="2999-01-01")
        app.push_screen(ChecklistScreen("university"))
        await pilot.pause()
        listing = app.screen.query_one("#items")
        rows = [listing.get_option(item_id).prompt.plain for item_id in owners]
        assert len({_cell_at(row, "2999-01-01") for row in rows}) == 1, rows
