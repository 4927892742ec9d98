"""Pilot tests of a compliance office's day: rows with owner and due, the detail pane's order,
footers that list every key, the actions screen, the report across roles and the export dialog."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, OptionList, SelectionList

from tests.helpers import plain
from tui.app import Bj30App
from tui.core.store.sqlite import Store
from tui.dialogs.choice import ChoiceDialog
from tui.dialogs.export_path import ExportPathDialog
from tui.dialogs.report import ReportDialog
from tui.screens.actions import ActionsScreen
from tui.screens.checklist import ChecklistScreen
from tui.screens.reader import ReaderScreen
from tui.screens.roles import RolesScreen
from tui.widgets.header_line import HeaderLine
from tui.widgets.keys_line import KeysLine


def seed(tmp_path: Path) -> None:
    """A store as an office leaves it: owners, due dates (one overdue), a note of two lines, an N/A."""
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy

    catalog = load_default_catalog(load_policy())
    store = Store.open(tmp_path / "progress.sqlite3").store
    store.update_profile("default", "Peking University Third Hospital")

    def mark(role: str, item_id: str, **changes: str) -> None:
        item = catalog.require(role).item(item_id)
        assert item is not None
        store.update("default", role, item_id, fingerprint=item.fingerprint, **changes)

    mark(
        "university",
        "uni-034",
        status="doing",
        owner="Wang Li",
        due="2000-01-31",
        note="Asked the research office.\nThe answer is due on Friday.",
    )
    mark("university", "uni-035", status="todo", owner="Zhang San", due="2999-12-10")
    mark("university", "uni-036", status="na", note="We have no postdoctoral programme.\nSee minute 12.")
    mark("medical-institution", "med-015", status="doing", owner="Li Si", due="2999-01-01")
    store.close()


async def open_roles(app: Bj30App, pilot) -> RolesScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, RolesScreen)
    return app.screen


async def open_checklist(app: Bj30App, pilot, role: str) -> ChecklistScreen:
    roles = (await open_roles(app, pilot)).query_one(OptionList)
    roles.highlighted = [o.id for o in roles.options].index(role)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


def select(screen: ChecklistScreen, item_id: str) -> None:
    listing = screen.query_one("#items", OptionList)
    listing.highlighted = [o.id for o in listing.options].index(item_id)


def row(screen: ChecklistScreen, item_id: str) -> str:
    listing = screen.query_one("#items", OptionList)
    return next(o for o in listing.options if o.id == item_id).prompt.plain


async def test_rows_show_owner_and_due_date_when_wide_enough(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_checklist(app, pilot, "university")
        assert row(screen, "uni-034").startswith("[~] uni-034  Wang Li          2000-01-31  The university")
        assert row(screen, "uni-001").startswith("[ ] uni-001                               The university")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(app, pilot, "university")
        assert row(screen, "uni-034").startswith("[~] uni-034  The university")  # narrow: the statement gets the room


async def test_detail_pane_shows_what_was_recorded_before_the_quote_and_in_view_at_80x24(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_checklist(app, pilot, "university")
        pane = screen.query_one("#item-detail")
        for item_id, wanted in (("uni-034", "The answer is due on Friday."), ("uni-036", "See minute 12.")):
            select(screen, item_id)
            await pilot.pause()
            lines = plain(screen.query_one("#item-detail-text")).splitlines()
            quote = next(i for i, line in enumerate(lines) if line.startswith("“"))
            last = lines.index(wanted)
            assert last < quote
            # In view without scrolling: the pane's lines, less its top border, hold the note's last line.
            assert last < pane.size.height, (last, pane.size.height)
        select(screen, "uni-034")
        await pilot.pause()
        lines = plain(screen.query_one("#item-detail-text")).splitlines()
        assert lines[1] == "Status: doing · owner Wang Li · due 2000-01-31 (overdue)"
        assert lines[2] == "Note: Asked the research office."
        select(screen, "uni-036")
        await pilot.pause()
        assert plain(screen.query_one("#item-detail-text")).splitlines()[2] == (
            "Reason (N/A): We have no postdoctoral programme."
        )


def footer_keys(app: Bj30App) -> tuple[set[str], list[str]]:
    """The keys the footer shows, and its lines."""
    line = app.screen.query_one(KeysLine)
    keys, _ = line.keys()
    text = line.render().plain
    return {k.key for k in keys if f"{k.shown} {k.description}" in text}, text.splitlines()


async def test_footers_list_every_key_of_the_screen_at_80_columns(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checklist(app, pilot, "university")
        keys, lines = footer_keys(app)
        assert {"enter", "space", "d", "u", "a", "e", "v", "V", "f", "x", "escape", "question_mark"} <= keys
        assert len(lines) == 2 and all(len(line) <= 80 for line in lines)  # on two lines, none dropped
        assert app.screen.query_one(KeysLine).size.height == 2
        await pilot.press("escape")
        keys, lines = footer_keys(app)
        assert {"escape", "P", "r", "a", "x", "question_mark"} <= keys
        assert all(len(line) <= 80 for line in lines)
        await pilot.press("a")
        keys, _ = footer_keys(app)
        assert {"enter", "s", "o", "escape"} <= keys


async def test_actions_screen_sorts_filters_marks_overdue_and_opens_the_item(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_roles(app, pilot)
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        listing = screen.query_one(OptionList)
        ids = [o.id for o in listing.options]
        assert ids[:3] == ["university/uni-034", "medical-institution/med-015", "university/uni-035"]
        first = listing.options[0].prompt.plain
        assert first.startswith("2000-01-31 overdue  Wang Li") and "uni-034" in first
        assert "1 overdue" in plain(screen.query_one("#actions-header"))
        assert "university/uni-036" not in ids  # N/A is not open
        await pilot.press("s")  # by owner
        assert [o.id for o in listing.options][:3] == ["medical-institution/med-015", "university/uni-034", "university/uni-035"]
        await pilot.press("o")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert [label for _, label in dialog.choices] == ["Everyone", "Li Si", "Wang Li", "Zhang San"]
        dialog.query_one(OptionList).highlighted = 3
        await pilot.press("enter")
        await pilot.pause()
        assert [o.id for o in listing.options] == ["university/uni-035"]
        assert "owner: Zhang San" in plain(screen.query_one("#actions-header"))
        await pilot.press("enter")
        await pilot.pause()
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen) and checklist.role == "university"
        assert checklist.current_id == "uni-035"  # opened at the item
        await pilot.press("space")  # done: no longer open
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "Nothing open for Zhang San" in listing.options[0].prompt.plain


async def test_actions_screen_from_the_palette(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Open actions")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)


async def test_report_across_two_roles_from_the_checklists_screen(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        roles = await open_roles(app, pilot)
        roles.query_one(OptionList).highlighted = 0  # university
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ReportDialog)
        choices = dialog.query_one(SelectionList)
        assert choices.selected == ["university"]  # the highlighted role starts ticked
        path = dialog.query_one(Input)
        assert path.value.endswith(".md") and "bj30-university-default-" in path.value
        choices.select("medical-institution")
        await pilot.pause()
        assert "bj30-university+medical-institution-default-" in path.value  # the name follows the roles
        target = tmp_path / "hospital.md"
        path.value = str(target)
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        report = target.read_text(encoding="utf-8")
        assert report.startswith("# Peking University Third Hospital: compliance with the 30 Measures")
        assert "## Universities and institutions of higher learning" in report
        assert "## Medical and health institutions" in report and "| **All** |" in report
        assert any(str(target) in n.message for n in app.notices)


async def test_export_dialog_refuses_a_format_it_does_not_write_and_starts_in_the_last_folder(tmp_path: Path, make_app) -> None:
    seed(tmp_path)
    out = tmp_path / "reports"
    out.mkdir()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_checklist(app, pilot, "university")
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportPathDialog)
        dialog.query_one(Input).value = str(out / "report.pdf")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportPathDialog)
        error = plain(dialog.query_one(".dialog-error"))
        assert error.startswith("report.pdf: bj30 does not write .pdf files; it writes .md")
        assert ".xlsx" in error and not (out / "report.pdf").exists()
        dialog.query_one(Input).value = str(out / "report.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert (out / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        await pilot.press("x")
        assert Path(app.screen.query_one(Input).value).parent == out  # the folder last used
        await pilot.press("escape")
    assert json.loads((tmp_path / "ui-state.json").read_text())["export_dir"] == str(out)
    again = make_app()  # remembered across runs
    async with again.run_test(size=(100, 30)) as pilot:
        await open_checklist(again, pilot, "soe")
        await pilot.press("x")
        assert Path(again.screen.query_one(Input).value).parent == out


async def test_every_screen_has_a_header_line_with_institution_lens_and_who(
    tmp_path: Path, make_app, isolated_home: Path
) -> None:
    seed(tmp_path)
    (isolated_home / "config" / "bj30").mkdir(parents=True)
    (isolated_home / "config" / "bj30" / "config.toml").write_text('name = "Wang Li"\n', encoding="utf-8")
    app = make_app()
    app.ui_state.role = "university"
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        expected = "Peking University Third Hospital · lens: university · you: Wang Li"

        def header() -> str:
            return app.screen.query_one(HeaderLine).render().plain.rstrip()

        assert isinstance(app.screen, ReaderScreen)
        assert header().endswith(expected)
        await pilot.press("slash")
        await pilot.pause()
        assert header().endswith(expected)
        await pilot.press("escape")
        await open_checklist(app, pilot, "university")
        assert header().endswith(expected)
        await pilot.press("escape", "a")
        await pilot.pause()
        assert "bj30 · Open actions" in header() and header().endswith(expected)


async def test_evidence_is_attached_shown_and_removed_from_the_checklist(tmp_path: Path, make_app) -> None:
    from tui.dialogs.confirm import ConfirmDialog
    from tui.dialogs.evidence import EvidenceDialog

    seed(tmp_path)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"minutes of 14 May")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checklist(app, pilot, "university")
        select(screen, "uni-034")
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        dialog.query_one("#evidence-target", Input).value = str(tmp_path / "nope.pdf")
        await pilot.press("enter")
        assert isinstance(app.screen, EvidenceDialog)  # refused, saying why; the dialog stays
        assert "no such file" in plain(dialog.query_one(".dialog-error"))
        dialog.query_one("#evidence-target", Input).value = str(minutes)
        dialog.query_one("#evidence-note", Input).value = "signed copy"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("v")
        app.screen.query_one("#evidence-target", Input).value = "ref: report.docx"  # a reference on purpose
        await pilot.press("enter")
        await pilot.pause()
        lines = plain(screen.query_one("#item-detail-text")).splitlines()
        quote = next(i for i, line in enumerate(lines) if line.startswith("“"))
        evidence = [i for i, line in enumerate(lines) if "file minutes.pdf (17 bytes, SHA-256" in line]
        assert evidence and evidence[0] < quote  # evidence before the quote
        assert lines[evidence[0]].startswith("Evidence 1. file minutes.pdf") and "signed copy" in lines[evidence[0]]
        assert any(line.strip() == "2. reference report.docx" for line in lines)
        # The item's history, in words, with who.
        history = lines[lines.index("History") + 1 :]
        assert history[0].endswith("officer attached reference report.docx to uni-034")
        assert any(f"officer attached file {minutes} to uni-034" in h for h in history)
        assert any(h.endswith("Marked uni-034 in progress") for h in history)  # seeded without a name
        await pilot.press("V")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        lines = plain(screen.query_one("#item-detail-text")).splitlines()
        assert lines[lines.index("History") + 1].endswith(f"officer removed file {minutes} from uni-034")
        assert any(line.startswith("Evidence 1. reference report.docx") for line in lines)
        assert {"v", "V"} <= footer_keys(app)[0]
