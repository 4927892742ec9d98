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
from tui.core.content.checklist import Checklist
from tui.core.content.checklist_loader import load_default_catalog
from tui.core.content.policy import Policy
from tui.core.errors import Bj30Error
from tui.core.export.render import render
from tui.core.export.rows import CSV_COLUMNS, ExportInput, build_export, format_for, policy_fingerprint, to_json
from tui.core.progress.state import checklist_state
from tui.core.store.importer import import_progress
from tui.core.store.sqlite import Store

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
        store.update(
            "pku",
            checklist.role,
            items[i].id,
            status=status,
            note=note,
            owner=f"owner {note[:20]}",
            due="2026-12-31",
            fingerprint=items[i].fingerprint,
        )
    return store


WHEN = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)


def export_input(
    policy: Policy, store: Store, checklists: list[Checklist], profile: str = "pku", when: dt.datetime = WHEN
) -> ExportInput:
    return build_export(policy, store, profile, checklists, when)


def export(policy: Policy, store: Store, checklist: Checklist, fmt: str, profile: str = "pku") -> str:
    data = render(export_input(policy, store, [checklist], profile), fmt)
    return data.decode("utf-8-sig")


def parse(markdown: str):
    md = MarkdownIt("gfm-like").use(tasklists_plugin)  # tables, strikethrough, linkify, task lists
    return md.parse(markdown)


def inline_children(tokens) -> list:
    return [c for t in tokens if t.type == "inline" for c in (t.children or [])]


def headings(tokens, level: str = "") -> list[str]:
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag.startswith(level or "h")]


def test_markdown_report_structure_cannot_be_forged(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    report = export(policy, store, university, "md")
    tokens = parse(report)
    counts = checklist_state(store, "pku", university).counts
    children = inline_children(tokens)
    boxes = [c for c in children if c.type == "html_inline" and "task-list-item-checkbox" in c.content]
    assert len(boxes) == counts.applicable  # one task item per applicable item, none forged
    assert sum('checked="checked"' in c.content for c in boxes) == counts.done
    # Nothing the notes hold became a link, an image, raw HTML, a heading or a table of its own.
    assert not [c for c in children if c.type in ("link_open", "image", "s_open")]
    assert [c.content for c in children if c.type == "code_inline"] == [policy_fingerprint(policy)]
    assert not [t for t in tokens if t.type in ("html_block", "fence", "code_block")]
    assert not [c for c in children if c.type == "html_inline" and "checkbox" not in c.content]
    assert all(
        h.startswith(
            (
                "Peking University",
                "Open actions",
                "Universities",
                "Summary",
                "Part ",
                "Measure ",
                "Appendix",
                "Sign-off",
                "Flagged",
                "Progress kept",
                "Not applicable",
            )
        )
        for h in headings(tokens)
    ), headings(tokens)
    assert sum(1 for t in tokens if t.type == "table_open") == 3  # open actions, summary, sign-off
    blockquotes = sum(1 for t in tokens if t.type == "blockquote_open")
    assert blockquotes == counts.applicable  # one quote per applicable item, none from notes
    # And the notes are all there, as text.
    text = " ".join(c.content for c in children if c.type == "text")
    for fragment in (
        "forged done item",
        "Forged heading",
        "<script>alert(1)</script>",
        "http://evil.example",
        "[@click=app.quit]Quit[/]",
        "&amp;",
    ):
        assert fragment in text, fragment


def test_markdown_report_contents(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    report = export(policy, store, university, "md")
    assert report.startswith("# Peking University \\| \\<b>x\\</b>: compliance with the 30 Measures")
    assert "- **Institution:** Peking University \\| \\<b>x\\</b>, - \\[x] dept" in report
    assert f"(fingerprint `{policy_fingerprint(policy)}`): the text these items were checked against" in report
    assert f"- **Policy text version:** {policy.info.content_version} (fingerprint" in report
    assert "Profile" not in report  # plain words: the institution, not the profile's id
    counts = checklist_state(store, "pku", university).counts
    assert (
        f"| Universities and institutions of higher learning | {counts.done} of {counts.applicable} applicable | "
        f"{counts.doing} | {counts.todo} | {counts.na} | {counts.percent}% |"
    ) in report
    assert "## Appendix: history of changes" in report and "## Sign-off" in report
    assert "| Signature | |" in report
    assert "*(in progress)*" in report
    assert "Due: 2026-12-31" in report
    # Who a provision is for, or when it applies, in the policy's words, beside the item (issue 23).
    assert (
        "  - Who or when: “High-level foreign talents who have obtained permanent residency in China, reached the statutory "
        "retirement age, contributed to pension insurance for less than 15 years”"
    ) in report


def test_report_times_are_local_with_their_offset_honouring_tz(policy: Policy, university: Checklist, local_zone) -> None:
    store = Store.in_memory()
    item = university.items[0]
    store.update("default", "university", item.id, status="done", fingerprint=item.fingerprint)
    # Completed at 18:30 UTC on the 26th: the 27th in Beijing.
    store._conn.execute("UPDATE progress SET completed = '2026-11-26T18:30:00Z', changed = '2026-11-26T18:30:00Z'")
    store._conn.execute("UPDATE history SET at = '2026-11-26T18:30:00Z'")
    when = dt.datetime(2026, 11, 27, 2, 19, 59, tzinfo=dt.timezone.utc)
    local_zone("Asia/Shanghai")
    report = render(build_export(policy, store, "default", [university], when), "md").decode()
    assert "- **Exported:** 2026-11-27 10:19 (UTC+08:00) with bj30" in report
    assert "Done on 2026-11-27" in report
    assert "Times are local (UTC+08:00)." in report
    assert f"- 2026-11-27 02:30 — Marked {item.id} done" in report
    assert "UTC " not in report and "\\:" not in report
    local_zone("America/New_York")  # the same export read in New York: the 26th, five hours behind UTC
    report = render(build_export(policy, store, "default", [university], when), "md").decode()
    assert "- **Exported:** 2026-11-26 21:19 (UTC-05:00)" in report and "Done on 2026-11-26" in report


def test_history_entry_from_another_offset_says_its_own(policy: Policy, university: Checklist, local_zone) -> None:
    store = Store.in_memory()
    item = university.items[0]
    store.update("default", "university", item.id, status="doing", fingerprint=item.fingerprint)
    store._conn.execute("UPDATE history SET at = '2026-07-01T12:00:00Z'")  # summer time in Europe
    local_zone("Europe/Berlin")
    report = render(build_export(policy, store, "default", [university], WHEN), "md").decode()
    assert "Times are local (UTC+01:00)." in report
    assert f"- 2026-07-01 14:00 (UTC+02:00) — Marked {item.id} in progress" in report


def test_open_actions_table_comes_first_sorted_by_due_date_overdue_marked(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    a, b, c, d = university.items[:4]
    store.update("default", "university", a.id, status="doing", owner="Zhang San", due="2026-12-15", fingerprint=a.fingerprint)
    store.update("default", "university", b.id, status="todo", owner="Wang Li", due="2026-11-20", fingerprint=b.fingerprint)
    store.update("default", "university", c.id, status="done", due="2026-11-01", fingerprint=c.fingerprint)
    store.update("default", "university", d.id, status="na", note="Not our case", fingerprint=d.fingerprint)
    report = render(build_export(policy, store, "default", [university], WHEN), "md").decode()
    tokens = parse(report)
    assert headings(tokens, "h2")[0] == "Open actions"
    rows = report.split("## Open actions", 1)[1].split("## Summary", 1)[0]
    lines = [line for line in rows.splitlines() if line.startswith("| **")]
    assert len(lines) == len(university.items) - 2  # not the done one, not the N/A one
    assert lines[0].startswith(f"| **{b.id}**") and lines[0].endswith("| Wang Li | **2026-11-20, overdue** | to do |")
    assert lines[1].startswith(f"| **{a.id}**") and lines[1].endswith("| Zhang San | 2026-12-15 | doing |")
    assert lines[2].endswith("| — | — | to do |")
    assert f"{len(lines)} open items on 2026-11-26: 1 overdue" in rows
    # Rendered, it is one table with a header and a row per open item.
    table = [t for t in tokens if t.type == "tr_open"]
    assert len(table) >= len(lines) + 1


def test_not_applicable_items_have_their_own_section_with_the_reason(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    item = university.items[5]
    store.update(
        "default",
        "university",
        item.id,
        status="na",
        note="We have no postdoctoral programme.\nSee minute 12.",
        fingerprint=item.fingerprint,
    )
    report = render(build_export(policy, store, "default", [university], WHEN), "md").decode()
    tokens = parse(report)
    assert "Not applicable" in headings(tokens, "h3")
    section = report.split("### Not applicable", 1)[1].split("## ", 1)[0]
    assert f"- **{item.id}** (measure {item.measure})" in section
    assert "  - Reason: We have no postdoctoral programme.\\\n    See minute 12." in section
    # Not an empty box among the items still to do.
    assert f"- [ ] **{item.id}**" not in report
    boxes = [c for c in inline_children(tokens) if c.type == "html_inline" and "task-list-item-checkbox" in c.content]
    assert len(boxes) == len(university.items) - 1


def test_history_appendix_is_in_words_with_the_last_changes_per_item(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    item = university.items[0]
    for status in ("doing", "done", "todo", "doing", "done"):
        store.update("default", "university", item.id, status=status, fingerprint=item.fingerprint)
    store.update("default", "university", item.id, owner="Wang Li", due="2026-12-01", fingerprint=item.fingerprint)
    report = render(build_export(policy, store, "default", [university], WHEN), "md").decode()
    appendix = report.split("## Appendix: history of changes", 1)[1].split("## Sign-off")[0]
    assert f"- {item.id}: 4 earlier changes, in the JSON export" in appendix
    assert f"Marked {item.id} done" in appendix
    assert f"Made Wang Li the owner of {item.id}" in appendix
    assert f"Set {item.id} due 2026-12-01" in appendix
    assert "->" not in appendix and "todo" not in appendix
    data = json.loads(render(build_export(policy, store, "default", [university], WHEN), "json"))
    assert len(data["history"]) == 7  # the JSON keeps every change


def test_raw_markdown_escapes_only_what_would_become_structure(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    item = university.items[0]
    store.update(
        "default",
        "university",
        item.id,
        status="doing",
        fingerprint=item.fingerprint,
        note="Met at 10:30 with R&D (60%), see file_2026 and a < b; don't worry",
    )
    report = render(build_export(policy, store, "default", [university], WHEN), "md").decode()
    assert "Note: Met at 10:30 with R&D (60%), see file_2026 and a < b; don't worry" in report
    assert "\\:" not in report and "\\&" not in report and "\\_" not in report and "\\<" not in report


def test_report_across_two_roles_has_a_summary_per_role_and_in_all(policy: Policy) -> None:
    catalog = load_default_catalog(policy)
    university, medical = catalog.require("university"), catalog.require("medical-institution")
    store = Store.in_memory()
    store.create_profile("pku-hospital", "Peking University Third Hospital")
    store.update("pku-hospital", "university", university.items[0].id, status="done", fingerprint=university.items[0].fingerprint)
    store.update(
        "pku-hospital",
        "medical-institution",
        medical.items[0].id,
        status="doing",
        owner="Wang Li",
        due="2026-11-01",
        fingerprint=medical.items[0].fingerprint,
    )
    data = build_export(policy, store, "pku-hospital", [university, medical], WHEN)
    report = render(data, "md").decode()
    tokens = parse(report)
    h2 = headings(tokens, "h2")
    assert h2[:3] == ["Open actions", "Summary", university.title]
    assert h2[3] == medical.title
    total = len(university.items) + len(medical.items)
    assert f"| **All** | 1 of {total} applicable | 1 | {total - 2} | 0 | 0% |" in report
    assert "| Universities and institutions of higher learning | 1 of" in report
    assert "| Medical and health institutions | 0 of" in report
    assert f"| **{medical.items[0].id}** (medical-institution) " in report  # the role shows in the actions
    assert (
        "- **Checklists:** Universities and institutions of higher learning (university); Medical and health "
        "institutions (medical-institution)" in report
    )
    boxes = [c for c in inline_children(tokens) if c.type == "html_inline" and "task-list-item-checkbox" in c.content]
    assert len(boxes) == total
    # JSON: one export per role, which import reads back.
    bundle = to_json(data)
    assert bundle["schema"] == "bj30-checklist-exports" and [e["checklist"]["role"] for e in bundle["exports"]] == [
        "university",
        "medical-institution",
    ]
    assert bundle["summary"]["done"] == 1


def test_review_flags_and_orphans_are_reported(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    store.create_profile("pku", "PKU")
    store.update("pku", "university", "uni-001", status="done", fingerprint="stale")
    store.update("pku", "university", "uni-900", status="doing", note="old item", fingerprint="x")
    report = export(policy, store, university, "md")
    assert "## Flagged for review" in report
    assert "- [x] **uni-001** **(review)**" in report
    assert "### Progress kept for retired items" in report and "**uni-900**: doing" in report


def test_json_is_versioned_and_complete(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    data = json.loads(export(policy, store, university, "json"))
    assert data["schema"] == "bj30-checklist-export" and data["schema_version"] == 3
    assert data["exported"] == "2026-11-26T12:00:00Z"
    assert data["policy"]["content_version"] == policy.info.content_version
    assert data["profile"] == {"name": "pku", "institution": "Peking University | <b>x</b>", "department": "- [x] dept"}
    assert len(data["items"]) == len(university.items)
    first = data["items"][0]
    assert set(first) >= {
        "id",
        "text",
        "measures",
        "quote",
        "status",
        "note",
        "owner",
        "due",
        "changed",
        "completed",
        "fingerprint",
        "needs_review",
        "scope",
    }
    assert first["note"] == HOSTILE[0]
    assert len(data["history"]) == len(store.history("pku", "university"))


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_is_utf8_with_a_bom_for_excel_and_has_the_office_columns(policy: Policy, university: Checklist, local_zone) -> None:
    store = hostile_store(university)
    store.update(
        "pku",
        "university",
        "uni-031",
        status="doing",
        note='=HYPERLINK("http://evil")',
        owner="+1-555",
        fingerprint=university.item("uni-031").fingerprint,
    )
    store._conn.execute("UPDATE progress SET changed = '2026-11-26T18:30:00Z' WHERE item_id = 'uni-031'")
    local_zone("Asia/Shanghai")
    data = render(export_input(policy, store, [university]), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not the desktop's code page
    rows = read_csv(data)
    assert len(rows) == len(university.items)
    assert list(rows[0]) == CSV_COLUMNS
    assert {"measure_title", "institution", "owner", "due"} <= set(CSV_COLUMNS)
    by_id = {r["id"]: r for r in rows}
    assert by_id["uni-031"]["note"] == '\'=HYPERLINK("http://evil")' and by_id["uni-031"]["owner"] == "'+1-555"
    assert by_id["uni-031"]["changed"] == "2026-11-27T02:30:00+08:00"  # local, with its offset
    first = university.items[0]
    assert by_id[first.id]["institution"] == "Peking University | <b>x</b>, - [x] dept"
    assert by_id[first.id]["measure_title"] == policy.measure(first.measure).title
    assert by_id[first.id]["role"] == "university" and by_id[first.id]["due"] == "2026-12-31"
    assert by_id[university.items[2].id]["note"] == HOSTILE[2]  # newlines survive, quoted
    # Rows in the app's order: by part and measure.
    measures = [int(r["measures"].split()[0]) for r in rows]
    assert measures == sorted(measures)
    assert by_id["uni-045"]["scope"].startswith("“High-level foreign talents who have obtained permanent residency")
    assert by_id["uni-001"]["scope"] == ""  # an encouragement with no condition on who or when


def test_csv_across_two_roles_names_the_role_of_each_row(policy: Policy) -> None:
    catalog = load_default_catalog(policy)
    checklists = [catalog.require("university"), catalog.require("medical-institution")]
    rows = read_csv(render(build_export(policy, Store.in_memory(), "default", checklists, WHEN), "csv"))
    assert {r["role"] for r in rows} == {"university", "medical-institution"}
    assert len(rows) == sum(len(c.items) for c in checklists)


def test_xlsx_reads_back_with_openpyxl(policy: Policy, university: Checklist) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    store = hostile_store(university)
    item = university.item("uni-031")
    store.update(
        "pku", "university", "uni-031", status="doing", note="=1+1", owner="#N/A", due="2026-11-01", fingerprint=item.fingerprint
    )
    data = render(export_input(policy, store, [university]), "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Open actions", "Items", "Summary"]
    items = list(book["Items"].iter_rows(values_only=True))
    assert list(items[0]) == CSV_COLUMNS and len(items) == len(university.items) + 1
    row = dict(zip(CSV_COLUMNS, next(r for r in items if r[2] == "uni-031"), strict=True))
    assert row["note"] == "=1+1" and row["owner"] == "#N/A"  # text, never a formula or an error
    cell = next(c for c in book["Items"]["L"] if c.value == "=1+1")
    assert cell.data_type == "s"
    assert row["due"] == dt.datetime(2026, 11, 1)  # a real date: Excel sorts and filters it
    actions = list(book["Open actions"].iter_rows(values_only=True))
    first = dict(zip(actions[0], actions[1], strict=True))
    assert first["id"] == "uni-031" and first["overdue"] == "overdue"
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[1][0] == "university"


def test_a_control_character_does_not_break_the_workbook(policy: Policy, university: Checklist) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    store = Store.in_memory()
    item = university.items[0]
    store.update(
        "default", "university", item.id, status="doing", note="bell\x07 and escape\x1b[2J", fingerprint=item.fingerprint
    )
    data = render(build_export(policy, store, "default", [university], WHEN), "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["Items"].iter_rows(values_only=True))
    assert any(r[11] == "bell\\x07 and escape\\x1b[2J" for r in rows)


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("report.md", None, "md"),
        ("REPORT.MARKDOWN", None, "md"),
        ("a.json", None, "json"),
        ("a.csv", None, "csv"),
        ("a.xlsx", None, "xlsx"),
        ("report.pdf", "md", "md"),
        ("a.txt", "csv", "csv"),
        (None, None, "md"),
    ],
)
def test_format_comes_from_format_option_else_the_extension(name: str | None, fmt: str | None, expected: str) -> None:
    assert format_for(name, fmt) == expected


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "report"])
def test_an_extension_bj30_does_not_write_is_refused_naming_the_formats(name: str) -> None:
    with pytest.raises(Bj30Error) as caught:
        format_for(name)
    message = str(caught.value)
    assert message.startswith(f"{name}: bj30 does not write")
    for ext in (".md", ".json", ".csv", ".xlsx"):
        assert ext in message
    assert "--format" in message


def _comparable(export_json: dict) -> list[tuple]:
    return [(i["id"], i["status"], i["note"], i["owner"], i["due"]) for i in export_json["items"]]


def test_round_trip_export_wipe_import_export(policy: Policy, university: Checklist) -> None:
    store = hostile_store(university)
    first = to_json(build_export(policy, store, "pku", [university]))
    fresh = Store.in_memory()  # the wipe
    fresh.create_profile("pku", "Peking University")
    report = import_progress(fresh, "pku", university, json.loads(json.dumps(first)))
    assert report.kept_newer == [] and report.retired == []
    assert len(report.applied) == len(HOSTILE)  # every item with a status, note, owner or due
    again = to_json(build_export(policy, fresh, "pku", [university]))
    assert _comparable(again) == _comparable(first)


def test_import_keeps_newer_changes_and_reports_them(policy: Policy, university: Checklist) -> None:
    store = Store.in_memory()
    item = university.item("uni-006")
    store.update("default", "university", "uni-006", status="doing", note="old", fingerprint=item.fingerprint)
    data = to_json(build_export(policy, store, "default", [university]))
    data["store_id"] = ""  # as from another store: the change times decide
    store._conn.execute("UPDATE progress SET changed = '2099-01-01T00:00:00Z'")  # a later change in the store
    store._conn.execute("UPDATE progress SET note = 'newer'")
    report = import_progress(store, "default", university, data)
    assert report.applied == []
    assert len(report.kept_newer) == 1 and report.kept_newer[0].startswith("uni-006: the store changed it at 2099")
    assert store.item("default", "university", "uni-006").note == "newer"


def test_cli_export_writes_atomically_and_never_overwrites_without_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy

    soe_items = len(load_default_catalog(load_policy()).require("soe").items)
    run_cli(capsys, "mark", "soe", "soe-001", "done", "--note", "- [x] not an item")
    code, out, _ = run_cli(capsys, "export", "soe")
    assert code == 0 and out.startswith("# Compliance with the 30 Measures")
    assert "- **Checklist:** Municipal technology-based state-owned enterprises (soe)" in out
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
    assert (tmp_path / "soe.txt").read_text(encoding="utf-8-sig").startswith("institution,role,id,measures")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["soe.json", "soe.txt"]  # no temp files left


def test_cli_import_round_trip_and_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_home: Path) -> None:
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


def test_cli_export_refuses_an_extension_it_does_not_write(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "export", "university", "-o", str(tmp_path / "report.pdf"))
    assert code == 1
    assert err.startswith(
        "bj30: report.pdf: bj30 does not write .pdf files; it writes .md (a report), "
        ".json (for bj30 import), .csv (spreadsheets), .xlsx (Excel)"
    )
    assert list(tmp_path.iterdir()) == []
    code, _, err = run_cli(capsys, "export", "university", "-o", str(tmp_path / "report.pdf"), "--format", "md")
    assert code == 0 and (tmp_path / "report.pdf").read_text().startswith("# Compliance")  # --format decides


def test_cli_export_of_two_roles_writes_one_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run_cli(capsys, "mark", "medical-institution", "med-015", "doing", "--owner", "Wang Li", "--due", "2026-01-05")
    code, out, err = run_cli(capsys, "export", "university", "medical-institution")
    assert code == 0, err
    tokens = parse(out)
    assert headings(tokens, "h2")[:4] == [
        "Open actions",
        "Summary",
        "Universities and institutions of higher learning",
        "Medical and health institutions",
    ]
    assert "| **med-015** (medical-institution) " in out and "**2026-01-05, overdue**" in out
    target = tmp_path / "both.json"
    code, _, err = run_cli(capsys, "export", "university", "medical-institution", "-o", str(target))
    assert code == 0 and "(json, " in err
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 0, err
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in lines] == ["university", "medical-institution"]
    assert all(": 0 items restored" in line and "0 kept (the store's change is newer)" in line for line in lines)
    code, _, err = run_cli(capsys, "export", "university", "nope")
    assert code == 1 and "no checklist for role 'nope'" in err


def test_cli_xlsx_is_written_to_a_file_and_never_to_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    code, _, err = run_cli(capsys, "export", "soe", "-o", str(tmp_path / "soe.xlsx"))
    assert code == 0, err
    assert openpyxl.load_workbook(tmp_path / "soe.xlsx").sheetnames == ["Open actions", "Items", "Summary"]
    monkeypatch.setattr("tui.cli.export.is_tty", lambda stream: True)
    code, out, err = run_cli(capsys, "export", "soe", "--format", "xlsx")
    assert code == 1 and out == "" and "binary file" in err and "-o FILE.xlsx" in err


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Met at 10:19:59, R&D 60% snake_case a < b", "Met at 10:19:59, R&D 60% snake_case a < b"),
        ("_em_ *strong* `code` ~~gone~~ [l](u) a|b", "\\_em\\_ \\*strong\\* \\`code\\` \\~\\~gone\\~\\~ \\[l](u) a\\|b"),
        (
            "<b>x</b> &amp; http://e.x www.e.x me@e.x mailto:me",
            "\\<b>x\\</b> \\&amp; http\\://e.x www\\.e.x me\\@e.x mailto\\:me",
        ),
        ("C:\\Users\\wang and a trailing \\", "C:\\Users\\wang and a trailing \\\\"),
    ],
)
def test_escaping_leaves_plain_text_plain(text: str, raw: str) -> None:
    from tui.core.export.markdown import escape_inline

    assert escape_inline(text) == raw
    rendered = MarkdownIt("gfm-like").render(f"x {raw}")
    assert "<a " not in rendered and "<b>" not in rendered and "<em>" not in rendered and "<code>" not in rendered
