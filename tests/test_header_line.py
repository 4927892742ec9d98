"""Every screen says where you are: app, place, institution and role lens, in one line."""

from __future__ import annotations

from pathlib import Path

from tui.app import Bj30App
from tui.core.content.places import NOTICE, PREAMBLE, where_label
from tui.core.content.policy import Policy
from tui.core.store.sqlite import Store
from tui.widgets.header_line import HeaderLine, header_text


def header(app: Bj30App) -> str:
    return app.screen.query_one(HeaderLine).render().plain


def test_where_label(policy: Policy) -> None:
    assert where_label(policy, 17) == "Measure 17 · Part IV"
    assert where_label(policy, 1) == "Measure 1 · Part I"
    assert (where_label(policy, NOTICE), where_label(policy, PREAMBLE)) == ("Notice", "Preamble")


def test_header_text_keeps_where_and_cuts_the_right_side_at_a_word() -> None:
    line = header_text("Measure 17 · Part IV", "Peking University · lens: university", 80).plain
    assert line.startswith(" bj30 · Measure 17 · Part IV ") and line.endswith(" Peking University · lens: university ")
    assert len(line) == 80
    line = header_text("Measure 17 · Part IV", "Peking University · lens: university", 50).plain
    assert len(line) == 50 and line.rstrip().endswith("   Peking University…")
    line = header_text("Measure 17 · Part IV", "Peking University · lens: university", 36).plain
    assert line.strip() == "bj30 · Measure 17 · Part IV"  # no room worth having: the right side goes


async def test_the_reader_header_follows_the_place_and_names_the_institution(tmp_path: Path, make_app) -> None:
    store = Store.open(tmp_path / "progress.sqlite3").store
    store.update_profile("default", "Peking University", "Technology Transfer Office")
    store.close()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "bj30 · Preamble" in header(app)
        assert "Peking University · Technology Transfer Office" in header(app)
        assert app._workbench is None  # named without opening the store
        await pilot.press("g", "1", "7", "enter")
        assert "bj30 · Measure 17 · Part IV" in header(app)
        await pilot.press("n")
        assert "Measure 18 · Part IV" in header(app)


async def test_a_profile_without_institution_is_named_and_the_lens_is_shown(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert header(app).rstrip().endswith("profile default · you: officer (login name)")
        app.set_role_lens("soe")
        await pilot.pause()
        assert header(app).rstrip().endswith("profile default · lens: soe · you: officer (login name)")


async def test_every_screen_has_a_header_line(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        assert "bj30 · Search" in header(app)
        await pilot.press("escape", "l")
        assert "bj30 · Checklists" in header(app)
        roles = app.screen.query_one("#roles")
        roles.highlighted = [o.id for o in roles.options].index("university")
        await pilot.press("enter")
        await pilot.pause()
        assert "bj30 · Checklist university · 0/" in header(app) and "done (0%)" in header(app)
        await pilot.press("space")  # tick the first item: the header's progress follows
        await pilot.pause()
        assert "bj30 · Checklist university · 1/" in header(app)


async def test_switching_profile_updates_every_header(tmp_path: Path, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.workbench.create_profile("thu", "Tsinghua University")
        await pilot.press("l", "P")
        choices = app.screen.query_one("#choices")
        choices.highlighted = [i for i, (value, _) in enumerate(app.screen.choices) if value == "thu"][0]
        await pilot.press("enter")
        await pilot.pause()
        assert header(app).rstrip().endswith("Tsinghua University · you: officer (login name)")
        await pilot.press("escape")
        assert header(app).rstrip().endswith("Tsinghua University · you: officer (login name)")  # the reader's too


def test_user_text_in_the_header_is_literal_and_on_one_line() -> None:
    line = header_text("Checklist [b]x[/b]\x1b]0;owned\x07", "Evil\u202eU · lens: r\nx", 100).plain
    assert "\x1b" not in line and "\u202e" not in line and "\n" not in line
    assert "Checklist [b]x[/b]\\x1b]0;owned\\x07" in line and "Evil\\u202eU · lens: r x" in line
    assert len(line) == 100
