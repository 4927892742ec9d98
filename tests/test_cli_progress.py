"""Marking from the shell: mark, checklist with status, profiles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tui.core import locations
from tui.core.store.sqlite import Store


def test_mark_commits_and_checklist_json_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "mark", "university", "uni-017", "done", "--note", "Finance checks each budget change")
    assert code == 0 and out.strip() == "university uni-017: done"
    # Committed: a separate connection sees it at once.
    store = Store.open(locations.store_path()).store
    assert store.item("default", "university", "uni-017").status == "done"
    store.close()
    code, out, _ = run_cli(capsys, "checklist", "university", "--format", "json")
    data = json.loads(out)
    item = next(i for i in data["items"] if i["id"] == "uni-017")
    assert item["status"] == "done" and item["note"] == "Finance checks each budget change"
    assert item["measures"] == [16] and isinstance(item["quote"], str)
    assert data["summary"]["done"] == 1
    untouched = next(i for i in data["items"] if i["id"] == "uni-001")
    assert untouched["status"] == "todo" and untouched["note"] == ""


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ("mark", "nope", "x", "done"),
            "bj30: no checklist for role 'nope'; roles are: university, soe, "
            "research-institution, medical-institution, tech-enterprise",
        ),
        (("mark", "soe", "soe-999", "done"), "bj30: no item 'soe-999' in soe; items are: soe-001, soe-002"),
        (("mark", "soe", "soe-001", "finished"), "bj30: unknown status 'finished'; use one of: todo, doing, done, na"),
        (("mark", "soe", "soe-001", "na"), "bj30: soe-001: N/A needs a reason"),
        (("mark", "soe", "soe-001", "done", "--due", "soon"), "bj30: due date 'soon' is not a date like 2026-12-31"),
        (("mark", "soe", "soe-001", "done", "--profile", "ghost"), "bj30: no profile 'ghost'; profiles are: default."),
    ],
)
def test_mark_errors_are_one_line_listing_the_choices(capsys: pytest.CaptureFixture[str], argv, message) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_na_with_a_reason_and_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "profile", "create", "pku", "--institution", "Peking University", "--department", "S&T Office")[0] == 0
    code, _, err = run_cli(capsys, "mark", "soe", "soe-004", "na", "--note", "Not a central SOE", "--profile", "pku")
    assert code == 0, err
    code, out, _ = run_cli(capsys, "--profile", "pku", "checklist", "soe", "--format", "json")
    data = json.loads(out)
    assert data["profile"] == "pku"
    assert next(i for i in data["items"] if i["id"] == "soe-004")["status"] == "na"
    assert data["summary"]["na"] == 1 and data["summary"]["applicable"] == len(data["items"]) - 1
    code, out, _ = run_cli(capsys, "checklist", "soe", "--format", "json")  # the default profile is separate
    assert all(i["status"] == "todo" for i in json.loads(out)["items"])
    code, out, _ = run_cli(capsys, "profiles", "--format", "json")
    assert {"name": "pku", "institution": "Peking University", "department": "S&T Office", "active": False} in json.loads(out)
    code, _, err = run_cli(capsys, "profile", "create", "pku", "--institution", "Again")
    assert code == 1 and "already exists" in err


def test_checklists_json_has_progress(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    run_cli(capsys, "mark", "soe", "soe-002", "na", "--note", "No such services")
    code, out, _ = run_cli(capsys, "checklists", "--format", "json")
    soe = next(r for r in json.loads(out) if r["role"] == "soe")
    assert (soe["done"], soe["na"], soe["applicable"]) == (1, 1, soe["items"] - 1)


def test_orphaned_progress_is_reported_not_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(locations.store_path()).store
    store.update("default", "soe", "soe-retired", status="done", fingerprint="x")
    store.close()
    code, out, err = run_cli(capsys, "checklist", "soe", "--format", "json")
    assert code == 0
    assert json.loads(out)["orphans"] == [{"id": "soe-retired", "status": "done", "note": ""}]
    assert "progress for 'soe-retired', which the checklist no longer has, is kept" in err


def test_corrupt_store_is_reported_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    path = locations.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("garbage" * 1000)
    code, out, err = run_cli(capsys, "mark", "soe", "soe-001", "done")
    assert code == 0
    assert "bj30: warning: progress store" in err and "moved aside to" in err


def test_mark_as_a_subprocess_exits_zero_only_when_committed(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "mark", "soe", "soe-003", "doing"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    store = Store.open(locations.store_path()).store
    assert store.item("default", "soe", "soe-003").status == "doing"


def test_checklist_text_shows_owner_due_and_completion_in_the_apps_order(capsys: pytest.CaptureFixture[str], local_zone) -> None:
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy
    from tui.core.progress.actions import in_app_order
    from tui.core.progress.state import checklist_state
    from tui.core.store.sqlite import Store

    local_zone("Asia/Shanghai")
    run_cli(capsys, "profile", "create", "pku", "--institution", "Peking University")
    run_cli(
        capsys,
        "--profile",
        "pku",
        "mark",
        "university",
        "uni-034",
        "doing",
        "--owner",
        "Wang Li",
        "--due",
        "2000-01-31",
        "--note",
        "Asked the research office",
    )
    run_cli(capsys, "--profile", "pku", "mark", "university", "uni-033", "done")
    code, out, _ = run_cli(capsys, "--profile", "pku", "checklist", "university")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].startswith("Peking University (profile pku): 1/")
    # Items in the app's order (part, then measure), not the file's.
    catalog = load_default_catalog(load_policy())
    expected = [s.item.id for s in in_app_order(checklist_state(Store.in_memory(), "default", catalog.require("university")))]
    shown = [line[4:].split()[0] for line in lines if line[:3] in ("[ ]", "[x]", "[~]", "[-]")]
    assert shown == expected
    assert "Part I. Strengthen the Overall Planning of Scientific and Technological Innovation" in lines
    block = out.split("uni-034", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[2] == "    Status: doing · owner Wang Li · due 2000-01-31 (overdue)"
    assert block[3] == "    Note: Asked the research office"
    assert block[4].startswith('    > "')  # the quote after status, owner, due and note
    done = out.split("uni-033", 1)[1].splitlines()[2]
    assert done.startswith("    Status: done · completed 20")
