"""Issue 12, section 4: an import never overwrites newer data, and is all or nothing.

Per-item revisions and microsecond times, compared inside the import's one write
transaction; times in the file validated; every entry checked before anything is written;
orphans and history restored; a report that says what was restored, kept and skipped.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tui.core import locations
from tui.core.content.checklist_loader import load_default_catalog
from tui.core.store.model import DEFAULT_PROFILE
from tui.core.store.sqlite import Store


def _export(capsys, tmp_path: Path, role: str = "soe", name: str = "f.json") -> Path:
    target = tmp_path / name
    code, _, err = run_cli(capsys, "export", role, "-o", str(target), "--force")
    assert code == 0, err
    return target


def _item(capsys, role: str, item_id: str) -> dict:
    code, out, _ = run_cli(capsys, "checklist", role, "--format", "json")
    return next(i for i in json.loads(out)["items"] if i["id"] == item_id)


def _entry(data: dict, item_id: str) -> dict:
    return next(i for i in data["items"] if i["id"] == item_id)


def _wipe() -> None:
    for p in locations.store_path().parent.glob("progress.sqlite3*"):
        p.unlink()


@pytest.mark.parametrize("frozen", [True, False], ids=["one clock reading", "real clock"])
def test_a_change_made_after_the_export_in_the_same_second_is_kept(capsys, tmp_path: Path, monkeypatch, frozen: bool) -> None:
    if frozen:  # every change at the same instant, as a fast machine gives within one second
        import tui.core.store.sql as sql_module  # where a change reads the file's clock

        fixed = sql_module.now()
        monkeypatch.setattr(sql_module, "now", lambda: fixed)
    run_cli(capsys, "mark", "soe", "soe-001", "doing", "--note", "v1")
    target = _export(capsys, tmp_path)
    run_cli(capsys, "mark", "soe", "soe-001", "done", "--note", "v2 NEWER")
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 0, err
    got = _item(capsys, "soe", "soe-001")
    assert (got["status"], got["note"]) == ("done", "v2 NEWER")
    assert out.startswith("soe: 0 items restored") and "  kept soe-001: the store changed it" in out


def test_a_newer_change_from_another_store_by_the_clock_is_kept(capsys, tmp_path: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "doing", "--note", "v1")
    target = _export(capsys, tmp_path)
    data = json.loads(target.read_text())
    data["store_id"] = "another-machine"
    target.write_text(json.dumps(data))
    run_cli(capsys, "mark", "soe", "soe-001", "done", "--note", "v2 NEWER")
    code, out, _ = run_cli(capsys, "import", str(target))
    assert code == 0 and _item(capsys, "soe", "soe-001")["note"] == "v2 NEWER"
    assert "kept soe-001: the store changed it at" in out


@pytest.mark.parametrize(
    "changed, why",
    [
        ("~", "is not a time"),
        ("9999-12-31T23:59:59Z", "is in the future"),
        ("2026-13-45T99:00:00Z", "is not a time"),
        (12, "is not a time"),
        (None, "is not a time"),
    ],
)
def test_times_in_the_file_are_validated(capsys, tmp_path: Path, changed, why: str) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "doing", "--note", "mine")
    target = _export(capsys, tmp_path)
    data = json.loads(target.read_text())
    _entry(data, "soe-001").update(changed=changed, note="theirs")
    target.write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "import", str(target))
    index = [i["id"] for i in data["items"]].index("soe-001")
    assert code == 1 and out == "" and why in err and f"items[{index}] (soe-001): changed" in err
    assert _item(capsys, "soe", "soe-001")["note"] == "mine"


def test_nothing_is_written_when_any_entry_is_bad(capsys, tmp_path: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    target = _export(capsys, tmp_path)
    _wipe()
    data = json.loads(target.read_text())
    data["items"][5]["status"] = "finished"
    data["items"][6]["due"] = "next week"
    target.write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 1 and out == ""
    fifth, sixth = data["items"][5]["id"], data["items"][6]["id"]
    assert err.strip().splitlines() == [
        f"bj30: items[5] ({fifth}): status 'finished' is not one of: todo, doing, done, na",
        f"bj30: items[6] ({sixth}): due date 'next week' is not a date like 2026-12-31",
        f"bj30: {target}: nothing imported: 2 problems",
    ]
    assert _item(capsys, "soe", "soe-001")["status"] == "todo"  # soe-001 was fine, and still not written


def test_a_mark_during_the_import_is_not_overwritten(tmp_path: Path, monkeypatch, policy) -> None:
    """The comparison and the write are one transaction: another bj30 waits, then its mark stands."""
    from tui.core.export.rows import build_export, to_json
    from tui.core.store.importer import import_progress

    soe = load_default_catalog(policy).get("soe")
    item = soe.item("soe-001")
    path = tmp_path / "progress.sqlite3"
    importing = Store.open(path).store
    importing.update(DEFAULT_PROFILE, "soe", "soe-001", status="doing", note="old", fingerprint=item.fingerprint)
    data = to_json(build_export(policy, importing, DEFAULT_PROFILE, [soe]))
    data["store_id"] = "elsewhere"
    _entry(data, "soe-001").update(note="from the file", changed="2026-01-01T00:00:00Z")
    importing._conn.execute("UPDATE progress SET changed = '2025-01-01T00:00:00.000000Z'")  # the file is newer
    other = Store.open(path).store
    marks: list[threading.Thread] = []
    real_item = Store.item

    def item_then_a_mark_elsewhere(self, profile, role, item_id):
        got = real_item(self, profile, role, item_id)
        if self is importing and item_id == "soe-001" and not marks:
            # Another bj30 marks the item right after the import has read it.
            marks.append(
                threading.Thread(
                    target=other.update,
                    args=(DEFAULT_PROFILE, "soe", "soe-001"),
                    kwargs={"status": "done", "note": "marked during the import", "fingerprint": item.fingerprint},
                )
            )
            marks[0].start()
            marks[0].join(0.5)  # without the write lock it is done by now
        return got

    monkeypatch.setattr(Store, "item", item_then_a_mark_elsewhere)
    report = import_progress(importing, DEFAULT_PROFILE, soe, data)
    marks[0].join(30)
    assert [line.split(":")[0] for line in report.applied] == ["soe-001"]
    assert real_item(importing, DEFAULT_PROFILE, "soe", "soe-001").note == "marked during the import"
    importing.close()
    other.close()


def test_orphans_and_items_of_another_checklist_version_are_restored(capsys, tmp_path: Path) -> None:
    store = Store.open(locations.store_path()).store
    store.update(DEFAULT_PROFILE, "soe", "soe-999", status="doing", note="a retired item", fingerprint="ab12")
    store.close()
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    target = _export(capsys, tmp_path)
    data = json.loads(target.read_text())
    assert [o["id"] for o in data["orphans"]] == ["soe-999"]
    data["items"].append({**_entry(data, "soe-001"), "id": "soe-500", "status": "doing", "note": "from a newer checklist"})
    target.write_text(json.dumps(data))
    _wipe()
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 0, err
    assert "soe: 1 items restored, " in out and ", 2 retired items restored, " in out
    assert "  retired soe-999: status todo -> doing, note (not in the soe checklist: kept as retired progress)" in out
    assert "  retired soe-500: " in out
    code, out, _ = run_cli(capsys, "checklist", "soe", "--format", "json")
    orphans = {o["id"]: o["note"] for o in json.loads(out)["orphans"]}
    assert orphans == {"soe-500": "from a newer checklist", "soe-999": "a retired item"}


def test_history_is_restored_once(capsys, tmp_path: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "doing", "--note", "started")
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    target = _export(capsys, tmp_path)
    history = json.loads(target.read_text())["history"]
    assert len(history) == 3
    _wipe()
    code, out, _ = run_cli(capsys, "import", str(target))
    assert code == 0 and "3 history entries added (0 already there)" in out
    code, out, _ = run_cli(capsys, "import", str(target))
    assert code == 0 and "0 history entries added (3 already there)" in out
    again = json.loads(_export(capsys, tmp_path, name="again.json").read_text())["history"]
    restored = [(h["item_id"], h["field"], h["old"], h["new"], h["at"]) for h in again]
    for h in history:
        assert restored.count((h["item_id"], h["field"], h["old"], h["new"], h["at"])) == 1


def test_the_report_says_what_was_restored_kept_and_already_so(capsys, tmp_path: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    run_cli(capsys, "mark", "soe", "soe-002", "doing", "--note", "file")
    run_cli(capsys, "mark", "soe", "soe-003", "doing")
    target = _export(capsys, tmp_path)
    run_cli(capsys, "mark", "soe", "soe-002", "done", "--note", "store, later")
    run_cli(capsys, "mark", "soe", "soe-001", "todo")
    data = json.loads(target.read_text())
    _entry(data, "soe-001")["revision"] = 99  # pretend the file is the later state of this store
    target.write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        f"soe: 1 items restored, {len(data['items']) - 2} already so, 1 kept (the store's change is "
        f"newer), 0 retired items restored, 0 history entries added (4 already there), 0 evidence "
        f"restored (profile default)"
    )
    assert lines[1] == "  restored soe-001: status todo -> done"
    assert lines[2].startswith(
        "  kept soe-002: the store changed it (revision 2) after the file was exported "
        "(revision 1); kept the store's status, note"
    )
    assert len(lines) == 3


def test_a_restored_item_keeps_its_review_flag(capsys, tmp_path: Path) -> None:
    store = Store.open(locations.store_path()).store
    store.update(DEFAULT_PROFILE, "soe", "soe-001", status="done", fingerprint="0123456789abcdef")  # an older text
    store.close()
    target = _export(capsys, tmp_path)
    _wipe()
    run_cli(capsys, "import", str(target))
    assert _item(capsys, "soe", "soe-001")["needs_review"] is True


@pytest.mark.parametrize("version", [0, -5, True, "1", 1.0, None, 10**30], ids=str)
def test_schema_version_must_be_a_positive_integer(capsys, tmp_path: Path, version) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    target = _export(capsys, tmp_path)
    data = json.loads(target.read_text())
    data["schema_version"] = version
    target.write_text(json.dumps(data))
    _wipe()
    code, _, err = run_cli(capsys, "import", str(target))
    assert code == 1 and "schema_version" in err and "is not one this bj30 reads" in err
    assert _item(capsys, "soe", "soe-001")["status"] == "todo"
