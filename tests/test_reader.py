"""Pilot tests of the reader: every binding and navigation path."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.helpers import plain
from tui.app import Bj30App
from tui.core.content.places import NOTICE, PREAMBLE
from tui.core.content.policy import Policy
from tui.dialogs.goto import GotoDialog
from tui.dialogs.help import HelpDialog, KeyTable
from tui.screens.reader import ReaderScreen
from tui.widgets.contents import ContentsList
from tui.widgets.measure_view import MeasureView

NARROW = (80, 24)
WIDE = (120, 40)


def reader(app: Bj30App) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def shown(app: Bj30App) -> str:
    view = app.screen.query_one(MeasureView)
    return plain(view._head) + "\n" + plain(view._body)


async def test_first_run_opens_the_preamble_with_contents_by_width(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW):
        assert reader(app).place == PREAMBLE
        assert "This document is formulated" in shown(app)
        assert not app.screen.query(ContentsList)  # not even built until asked for
    app = make_app(folder=tmp_path / "wide")
    async with app.run_test(size=WIDE) as pilot:
        assert app.screen.query_one(ContentsList).display
        tree = app.screen.query_one(ContentsList)
        assert app.focused is tree
        await pilot.pause()
        assert tree.cursor_row.place == PREAMBLE


async def test_contents_arrows_jk_and_enter_open_a_measure(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        tree = app.screen.query_one(ContentsList)
        tree.show_place(NOTICE)
        await pilot.press("down", "down", "j", "k", "j", "enter")
        # notice -> preamble -> part I -> 1 -> part I -> 1
        assert reader(app).place == 1
        assert "1. Undertake Major National" in shown(app)


async def test_opening_from_contents_on_a_narrow_terminal_hides_them(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("t")
        tree = app.screen.query_one(ContentsList)
        assert tree.display and app.focused is tree
        assert tree.cursor_row.place == PREAMBLE
        await pilot.press("j", "j", "enter")
        assert reader(app).place == 1
        assert not tree.display
        assert app.focused is app.screen.query_one(MeasureView)
        await pilot.press("t")
        assert tree.display
        await pilot.press("t")
        assert not tree.display


async def test_next_and_previous_stop_at_both_ends(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("p")
        assert reader(app).place == NOTICE
        await pilot.press("p")
        assert reader(app).place == NOTICE
        assert any("start of the policy" in n.message for n in app.notices)
        await pilot.press("n", "n")
        assert reader(app).place == 1
        reader(app).open(30)
        await pilot.press("n")
        assert reader(app).place == 30
        assert any("last part" in n.message for n in app.notices)
        await pilot.press("p")
        assert reader(app).place == 29


async def test_goto_accepts_a_number_and_refuses_anything_else(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GotoDialog)
        for bad, says in (
            ("31", "no measure 31: measures are numbered 1-30"),
            ("abc", "'abc' is not in the policy; try a measure 1-30, a part I-V (its first measure), notice or preamble"),
            ("VI", "'VI' is not in the policy"),
            ("0", "no measure 0"),
            ("", "nothing typed; try"),
        ):
            app.screen.query_one("#goto-input").value = bad
            await pilot.press("enter")
            assert isinstance(app.screen, GotoDialog), bad
            assert says in plain(app.screen.query_one("#goto-error")), bad
        app.screen.query_one("#goto-input").value = ""
        await pilot.press("1", "7", "enter")
        assert reader(app).place == 17
        assert "17. Increase Incentives" in shown(app)
        await pilot.press("g", "escape")
        assert reader(app).place == 17


@pytest.mark.parametrize(
    "typed, place, text",
    [
        ("notice", NOTICE, "are hereby issued to you"),
        ("preamble", PREAMBLE, "This document is formulated"),
        ("III", 10, "10. Promote the Development of Key Industries"),
        ("part v", 22, "22. Improve the Incentive Mechanism"),
    ],
)
async def test_goto_takes_notice_preamble_and_part_numerals(
    tmp_path: Path, make_app, typed: str, place: object, text: str
) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        reader(app).open(17)
        await pilot.press("g", *typed, "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert reader(app).place == place and text in shown(app)


async def test_back_and_forward_walk_the_history(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        for n in (3, 17, 29):
            reader(app).open(n)
        await pilot.press("left_square_bracket")
        assert reader(app).place == 17
        await pilot.press("alt+left")
        assert reader(app).place == 3
        await pilot.press("right_square_bracket")
        assert reader(app).place == 17
        await pilot.press("alt+right")
        assert reader(app).place == 29
        await pilot.press("alt+right")
        assert reader(app).place == 29
        assert any("No later page" in n.message for n in app.notices)


async def test_copy_citation(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        reader(app).open(17)
        await pilot.press("c")
        assert app.clipboard.startswith('Measure 17, "Increase Incentives for the Scientific Research Projects Funding"')
        assert "Beijing Municipal People's Government, 16 October 2019" in app.clipboard


async def test_palette_lists_measures_and_opens_one(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        from textual.command import CommandList, CommandPalette

        await pilot.press("ctrl+p")
        await pilot.press(*"measure 17")
        # Wait for the palette's search to finish (it runs in the background), not a fixed time.
        for _ in range(50):
            await pilot.pause(0.05)
            palette = app.screen
            if isinstance(palette, CommandPalette) and palette.query_one(CommandList).option_count:
                first = palette.query_one(CommandList).get_option_at_index(0).prompt
                if "Measure 17." in str(getattr(first, "plain", first)):
                    break
        await pilot.press("enter")
        await pilot.pause()
        assert reader(app).place == 17


async def test_help_is_generated_from_bindings(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpDialog)
        table = app.screen.query_one(KeyTable).text
        for expected in (
            "Next",
            "Prev",
            "Go to a measure, a part, the notice or the preamble",
            "Back",
            "Forward",
            "Show or hide the contents",
            "Copy citation",
            "Quit",
            "Role lens",
            "Checklists",
            "Search",
            "Who acts in each clause",
        ):
            assert expected in table
        assert "[ / alt+" in table
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_q_quits(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_last_place_and_theme_are_remembered(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        reader(app).open(23)
        app.theme = "nord"
        await pilot.pause()
    saved = json.loads((tmp_path / "ui-state.json").read_text())
    assert saved["last_place"] == 23 and saved["theme"] == "nord"
    again = make_app()
    async with again.run_test(size=NARROW):
        assert reader(again).place == 23
        assert again.theme == "nord"


async def test_damaged_state_file_is_moved_aside_and_reported(tmp_path: Path, make_app) -> None:
    (tmp_path / "ui-state.json").write_text("{broken", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert reader(app).place == PREAMBLE
        assert any("moved aside" in n.message for n in app.notices)
    assert any(p.name.startswith("ui-state.json.damaged-") for p in tmp_path.iterdir())


async def test_content_is_shown_literally_never_as_markup(tmp_path: Path, policy: Policy, make_app) -> None:
    hostile = "[bold]Bold?[/bold] [@click=app.quit]Click me[/] [red]x"
    part = policy.parts[0]
    m1 = dataclasses.replace(part.measures[0], title="[b]Title[/b]", text=hostile)
    fake = dataclasses.replace(policy, parts=(dataclasses.replace(part, measures=(m1, *part.measures[1:])), *policy.parts[1:]))
    app = make_app(fake)
    async with app.run_test(size=WIDE) as pilot:
        reader(app).open(1)
        await pilot.pause()
        assert hostile in shown(app)
        assert "[b]Title[/b]" in shown(app)
        await pilot.click(MeasureView, offset=(10, 4))
        assert app.is_running
        contents = app.screen.query_one(ContentsList)
        assert "1. [b]Title[/b]" in "".join(segment.text for segment in contents.render_line(3))


@pytest.mark.parametrize("query", ["measure 17", "17"])
async def test_palette_number_query_ranks_that_measure_first(tmp_path: Path, query: str, make_app) -> None:
    from tui.commands import MeasuresProvider

    app = make_app()
    async with app.run_test(size=WIDE):
        provider = MeasuresProvider(app.screen)
        hits = [hit async for hit in provider.search(query)]
        best = max(hits, key=lambda h: h.score)
        assert best.text.startswith("Measure 17.")


async def test_find_in_measure_marks_every_match(tmp_path: Path, make_app) -> None:
    from tui.dialogs.find import FindDialog

    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        reader(app).open(17)
        await pilot.press("f")
        assert isinstance(app.screen, FindDialog)
        await pilot.press(*"indirct")  # a typo still finds "indirect"
        await pilot.pause()
        view = app.screen_stack[-2].query_one(MeasureView)
        body = view._body.visual
        marked = [body.plain[s.start : s.end] for s in body.spans if s.style == "reverse"]
        assert len(marked) == 4 and {m.lower() for m in marked} == {"indirect"}
        assert "4 matches" in plain(app.screen.query_one("#find-count"))
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        assert sum(s.style == "reverse" for s in view._body.visual.spans) == 4  # kept
        await pilot.press("f", "escape")
        assert not [s for s in view._body.visual.spans if s.style == "reverse"]  # cleared


async def test_j_k_and_space_scroll_the_text(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        reader(app).open(28)  # a long measure: more than a screen at 80x24
        await pilot.pause()
        view = app.screen.query_one(MeasureView)
        assert app.focused is view and view.scroll_y == 0 and view.max_scroll_y > 5
        await pilot.press("j", "j", "j")
        await pilot.wait_for_scheduled_animations()
        after_j = view.scroll_y
        assert after_j > 0
        await pilot.press("k")
        await pilot.wait_for_scheduled_animations()
        assert view.scroll_y < after_j
        await pilot.press("space")
        await pilot.wait_for_scheduled_animations()
        assert view.scroll_y > after_j


async def test_help_closes_with_q_and_question_mark_too(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        for key in ("q", "question_mark"):
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpDialog)
            await pilot.press(key)
            assert isinstance(app.screen, ReaderScreen) and app.is_running


def contents_shown(app: Bj30App) -> bool:
    found = app.screen.query(ContentsList)
    return bool(found) and found.first().display


async def test_the_contents_follow_the_terminal_as_it_is_resized(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        reader(app).open(17)
        assert contents_shown(app) and isinstance(app.focused, ContentsList)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not contents_shown(app)
        assert isinstance(app.focused, MeasureView)  # focus does not stay on a hidden panel
        await pilot.resize_terminal(99, 30)
        await pilot.pause()
        assert not contents_shown(app)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert contents_shown(app)
        assert app.screen.query_one(ContentsList).cursor_row.place == 17  # still where the reader is


async def test_t_overrides_the_width_until_the_width_crosses_the_line(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("t")
        assert contents_shown(app)
        await pilot.resize_terminal(70, 24)  # narrower still: what the user asked for holds
        await pilot.pause()
        assert contents_shown(app)
        await pilot.resize_terminal(120, 40)  # wide: shown anyway
        await pilot.pause()
        assert contents_shown(app)
        await pilot.press("t")  # hidden although wide
        assert not contents_shown(app)
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert not contents_shown(app)
        await pilot.resize_terminal(80, 24)  # crossing the line: the width decides again
        await pilot.pause()
        assert not contents_shown(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert contents_shown(app)


async def test_a_resize_under_another_screen_applies_on_return(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("slash")
        assert not isinstance(app.screen, ReaderScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and not contents_shown(app)


async def test_help_lists_every_key_of_the_reader_whichever_panel_has_focus(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        tables = []
        for panel in (ContentsList, MeasureView):
            app.screen.query_one(panel).focus()
            await pilot.pause()
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpDialog)
            tables.append(app.screen.query_one(KeyTable).text)
            await pilot.press("escape")
        assert tables[0] == tables[1]  # the same help in every focus
        table = tables[0]
        assert "space" in table and "Page down the text" in table
        assert "In the contents" in table and "Open the highlighted entry (a part opens its first measure)" in table
        assert "In the text" in table and "Top of the text" in table
        for expected in ("Next", "Go to a measure", "Who acts", "Role lens", "Find in measure", "? / f1"):
            assert expected in table, expected


async def test_space_pages_the_text_from_the_contents_too(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        reader(app).open(28)
        await pilot.pause()
        view = app.screen.query_one(MeasureView)
        assert isinstance(app.focused, ContentsList) and view.scroll_y == 0
        await pilot.press("space")
        await pilot.wait_for_scheduled_animations()
        assert view.scroll_y > 0 and isinstance(app.focused, ContentsList)
