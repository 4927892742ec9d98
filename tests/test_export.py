"""Exports: a Markdown report no note can forge, JSON that round-trips, CSV for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from tests.helpers import run_cli
from tui.core.checklist import Checklist
from tui.core.checklist_loader import load_default_catalog
from tui.core.export import ExportInput, policy_fingerprint, render, to_json
from tui.core.importer import import_progress
from tui.core.policy import Policy
from tui.core.progress import checklist_state
from tui.core.store import Store

HOSTILE = [
    "- [x] forged done item",
    "* [x] another forged item",
    "1. ordered\n2) list",
    "# Forged heading\n## another",
    "Heading\n===",
    "[link](http://evil.example) and ![img](http://evil.example/x.png)",
    "<script>alert(1)</script> <b>bold</b> <!-- c -->",
    "| a | b |\n| --- | --- |\n| c | d |",
    "visit www.evil.example or http://evil.example or <http://evil.example> or me@evil.example",
    "**bold** _em_ `code` ~~strike~~",
    "```\nfenced\n```",
    "> quoted\n>> deeper",
    "&amp; &#60; \\ backslash",
    "[@click=app.quit]Quit[/] [red]red[/red]",
]


@pytest.fixture
def university(policy: Policy) -> Checklist:
    return load_default_catalog(policy).get("university")


def hostile_store(checklist: Checklist) -> Store:
    store = Store.in_memory()
    store.create_profile("pku", "Peking University | <b>x</b>", "- [x] dept")
    items = checklist.items
    for i, note in enumerate(HOSTILE):
        status = ("done", "doing", "na", "todo")[i % 4]
        store.update("pku", checklist.role, items[i].id, status=status, note=note, owner=f"owner {note[:20]}",
                     due="2026-12-31", fingerprint=items[i].fingerprint)
    return store


def export(policy: Policy, store: Store, checklist: Checklist, fmt: str) -> str:
    data = ExportInput(policy, checklist_state(store, "pku", checklist), store.profile("pku"),
                       store.history("pku", checklist.role), dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc))
    return render(data, fmt)


def parse(markdown: str):
    md = MarkdownIt("gfm-like").use(tasklists_plugin)  # tables, strikethrough, linkify, task lists
    return md.parse(markdown)


def test_markdown_report_structure_cannot_be_forged(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    report = export(policy, store, university, "md")
    tokens = parse(report)
    done = checklist_state(store, "pku", university).counts.done
    inline_children = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    boxes = [c for c in inline_children if c.type == "html_inline" and "task-list-item-checkbox" in c.content]
    assert len(boxes) == len(university.items)  # one task item per checklist item, none forged
    assert sum('checked="checked"' in c.content for c in boxes) == done
    # Nothing the notes hold became a link, an image, raw HTML, a heading or a table of its own.
    assert not [c for c in inline_children if c.type in ("link_open", "image", "s_open")]
    assert [c.content for c in inline_children if c.type == "code_inline"] == [policy_fingerprint(policy)]
    assert not [t for t in tokens if t.type in ("html_block", "fence", "code_block")]
    assert not [c for c in inline_children if c.type == "html_inline" and "checkbox" not in c.content]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert all(h.startswith(("Universities", "Summary", "Items", "Part ", "Measure ", "Appendix", "Sign-off",
                             "Flagged", "Progress kept")) for h in headings), headings
    assert sum(1 for t in tokens if t.type == "table_open") == 3  # summary, history, sign-off
    blockquotes = sum(1 for t in tokens if t.type == "blockquote_open")
    assert blockquotes == len(university.items)  # one quote per item, none from notes
    # And the notes are all there, as text.
    text = " ".join(c.content for c in inline_children if c.type == "text")
    for fragment in ("forged done item", "Forged heading", "<script>alert(1)</script>", "http://evil.example",
                     "[@click=app.quit]Quit[/]", "&amp;"):
        assert fragment in text, fragment


def test_markdown_report_contents(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    report = export(policy, store, university, "md")
    assert report.startswith("# Universities and institutions of higher learning: compliance with the 30 Measures")
    assert "**Institution:** Peking University \\| \\<b\\>x\\</b\\>, - \\[x\\] dept" in report
    assert "**Exported:** 2026-11-26 12:00 UTC" in report
    assert f"text fingerprint `{policy_fingerprint(policy)}`" in report
    counts = checklist_state(store, "pku", university).counts
    assert f"| Done | {counts.done} of {counts.applicable} applicable ({counts.percent}%) |" in report
    assert "## Appendix: history of changes" in report and "## Sign-off" in report
    assert "| Signature | |" in report
    assert "*(N/A)*" in report and "*(doing)*" in report
    assert "Reason (N/A):" in report
    assert "Due: 2026-12-31" in report


def test_review_flags_and_orphans_are_reported(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    store.create_profile("pku", "PKU")
    store.update("pku", "university", "uni-001", status="done", fingerprint="stale")
    store.update("pku", "university", "uni-900", status="doing", note="old item", fingerprint="x")
    report = export(policy, store, university, "md")
    assert "## Flagged for review" in report
    assert "- [x] **uni-001** **(review)**" in report
    assert "## Progress kept for retired items" in report and "**uni-900**: doing" in report


def test_json_is_versioned_and_complete(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    data = json.loads(export(policy, store, university, "json"))
    assert data["schema"] == "bj30-checklist-export" and data["schema_version"] == 1
    assert data["policy"]["content_version"] == policy.info.content_version
    assert data["profile"] == {"name": "pku", "institution": "Peking University | <b>x</b>", "department": "- [x] dept"}
    assert len(data["items"]) == len(university.items)
    first = data["items"][0]
    assert set(first) >= {"id", "text", "measures", "quote", "status", "note", "owner", "due", "changed",
                          "completed", "fingerprint", "needs_review"}
    assert first["note"] == HOSTILE[0]
    assert len(data["history"]) == len(store.history("pku", "university"))


def test_csv_has_a_row_per_item_and_defuses_formulas(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    store.update("pku", "university", "uni-031", status="doing", note="=HYPERLINK(\"http://evil\")",
                 owner="+1-555", fingerprint=university.item("uni-031").fingerprint)
    rows = list(csv.DictReader(io.StringIO(export(policy, store, university, "csv"))))
    assert len(rows) == len(university.items)
    by_id = {r["id"]: r for r in rows}
    assert by_id["uni-031"]["note"] == "'=HYPERLINK(\"http://evil\")" and by_id["uni-031"]["owner"] == "'+1-555"
    assert by_id[university.items[2].id]["note"] == HOSTILE[2]  # newlines survive, quoted


def _comparable(export_json: dict) -> list[tuple]:
    return [(i["id"], i["status"], i["note"], i["owner"], i["due"]) for i in export_json["items"]]


def test_round_trip_export_wipe_import_export(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    first = to_json(ExportInput(policy, checklist_state(store, "pku", university), store.profile("pku"),
                                store.history("pku", "university"), dt.datetime.now(dt.timezone.utc)))
    fresh = Store.in_memory()  # the wipe
    fresh.create_profile("pku", "Peking University")
    report = import_progress(fresh, "pku", university, json.loads(json.dumps(first)))
    assert report.kept_newer == [] and report.retired == []
    assert len(report.applied) == len(HOSTILE)  # every item with a status, note, owner or due
    again = to_json(ExportInput(policy, checklist_state(fresh, "pku", university), fresh.profile("pku"),
                                fresh.history("pku", "university"), dt.datetime.now(dt.timezone.utc)))
    assert _comparable(again) == _comparable(first)


def test_import_keeps_newer_changes_and_reports_them(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    item = university.item("uni-006")
    store.update("default", "university", "uni-006", status="doing", note="old", fingerprint=item.fingerprint)
    data = to_json(ExportInput(policy, checklist_state(store, "default", university), store.profile("default"),
                               [], dt.datetime.now(dt.timezone.utc)))
    store._conn.execute("UPDATE progress SET changed = '2099-01-01T00:00:00Z'")  # a later change in the store
    store._conn.execute("UPDATE progress SET note = 'newer'")
    report = import_progress(store, "default", university, data)
    assert report.applied == []
    assert len(report.kept_newer) == 1 and report.kept_newer[0].startswith("uni-006: the store changed it at 2099")
    assert store.item("default", "university", "uni-006").note == "newer"




def test_cli_export_writes_atomically_and_never_overwrites_without_force(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tui.core.checklist_loader import load_default_catalog
    from tui.core.policy_loader import load_policy

    soe_items = len(load_default_catalog(load_policy()).require("soe").items)
    run_cli(capsys, "mark", "soe", "soe-001", "done", "--note", "- [x] not an item")
    code, out, _ = run_cli(capsys, "export", "soe")
    assert code == 0 and out.startswith("# Municipal technology-based state-owned enterprises")
    target = tmp_path / "soe.json"
    code, _, err = run_cli(capsys, "export", "soe", "-o", str(target))
    assert code == 0 and f"wrote {target} (json, {soe_items} items)" in err
    assert json.loads(target.read_text())["checklist"]["role"] == "soe"
    target.write_text("precious")
    code, _, err = run_cli(capsys, "export", "soe", "-o", str(target))
    assert code == 1 and err.strip() == f"bj30: {target} exists; add --force to overwrite it"
    assert target.read_text() == "precious"
    code, _, _ = run_cli(capsys, "export", "soe", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("{")
    code, _, _ = run_cli(capsys, "export", "soe", "--format", "csv", "-o", str(tmp_path / "soe.txt"))
    assert (tmp_path / "soe.txt").read_text().startswith("id,measures,status")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["soe.json", "soe.txt"]  # no temp files left


def test_cli_import_round_trip_and_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         isolated_home: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-003", "na", "--note", "Not our case")
    run_cli(capsys, "export", "soe", "-o", str(tmp_path / "soe.json"))
    store_file = isolated_home / "data" / "bj30" / "progress.sqlite3"
    for p in store_file.parent.glob("progress.sqlite3*"):
        p.unlink()  # wipe
    code, out, err = run_cli(capsys, "import", str(tmp_path / "soe.json"))
    assert code == 0, err
    assert out.startswith("soe: 1 items restored")
    code, out, _ = run_cli(capsys, "checklist", "soe", "--format", "json")
    assert next(i for i in json.loads(out)["items"] if i["id"] == "soe-003")["note"] == "Not our case"
    (tmp_path / "bad.json").write_text("{nope")
    code, _, err = run_cli(capsys, "import", str(tmp_path / "bad.json"))
    assert code == 1 and err.startswith(f"bj30: {tmp_path / 'bad.json'}: not JSON")
    (tmp_path / "other.json").write_text('{"schema": "something-else"}')
    code, _, err = run_cli(capsys, "import", str(tmp_path / "other.json"))
    assert code == 1 and "not a bj30 checklist export" in err
