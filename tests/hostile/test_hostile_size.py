"""Issue 12, section 7 (size): a tick costs the same in a big checklist as in a small one.

No wall-clock limits here (benchmarks/tick.py measures: goal p99 <= 50 ms at 10,000 items);
these tests check the shape of the cost: a tick reloads nothing, refills nothing and measures
no other row, and the view it leaves is the one a full reload would draw.
"""

from __future__ import annotations

import random

import pytest
from textual.visual import Visual
from textual.widgets import OptionList

from tests.helpers import plain
from tests.hostile.common import write_user_checklist
from tui.core.content.checklist import ChecklistItem
from tui.core.progress.state import ChecklistState, ItemState, checklist_state
from tui.core.store.model import ItemProgress
from tui.screens.checklist import ChecklistScreen

ITEMS = 400


def big_checklist(items: int = ITEMS) -> str:
    quotes = [(17, "shall not exceed 30 per cent"), (22, "expand the scope of employee ownership")]
    out = ['role = "big"', 'title = "Big"', 'audience = "Us"', 'description = "Many items"', ""]
    for i in range(items):
        measure, quote = quotes[(i // 50) % 2]
        out += ["[[items]]", f'id = "big-{i:04}"', f'text = "Item {i}"', f"measures = [{measure}]", f'quote = "{quote}"', ""]
    return "\n".join(out)


def test_updating_one_item_keeps_counts_and_review_flags_exact() -> None:
    items = [ChecklistItem(f"i-{n}", "t", (1,), "q", fingerprint="now") for n in range(60)]
    from tui.core.content.checklist import Checklist

    state = ChecklistState(Checklist("r", "R", "a", "d", tuple(items)), [ItemState(it, ItemProgress(it.id)) for it in items], [])
    rng = random.Random(12)
    for _ in range(500):
        it = rng.choice(items)
        status = rng.choice(["todo", "doing", "done", "na"])
        state.update(ItemProgress(it.id, status, fingerprint=rng.choice(["now", "old", ""])))
        fresh = ChecklistState(state.checklist, list(state.items), [])  # counted from scratch
        assert state.counts == fresh.counts
        assert [s.item.id for s in state.needing_review] == [s.item.id for s in fresh.needing_review]
    assert state.update(ItemProgress("not-in-it", "done")) is None


async def _open(app, pilot, filter: str = "all") -> ChecklistScreen:
    app.push_screen(ChecklistScreen("big"))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ChecklistScreen) and screen.state is not None
    screen.filter = filter
    await pilot.pause()
    return screen


def _shown(screen: ChecklistScreen) -> list[tuple[str | None, str, bool]]:
    listing = screen.query_one("#items", OptionList)
    return [(o.id, str(o.prompt), o.disabled) for o in listing.options]


@pytest.mark.parametrize("filter", ["all", "open"])
async def test_a_tick_reloads_nothing_and_measures_no_other_row(make_app, monkeypatch, filter: str) -> None:
    write_user_checklist("big.toml", big_checklist())
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, filter)
        await pilot.press("down", "down", "down")
        calls = {"state": 0, "fill": 0, "height": 0}
        real_state, real_fill, real_height = checklist_state, ChecklistScreen._fill, Visual.get_height

        def counting(name, real):
            def wrapper(*args, **kwargs):
                calls[name] += 1
                return real(*args, **kwargs)

            return wrapper

        monkeypatch.setattr("tui.core.workbench.checklist_state", counting("state", real_state))
        monkeypatch.setattr(ChecklistScreen, "_fill", counting("fill", real_fill))
        monkeypatch.setattr(Visual, "get_height", counting("height", real_height))
        ticked = screen.current_id
        for key in ("space", "d", "u", "space"):
            await pilot.press(key)
        await pilot.pause()
        assert calls["state"] == 0 and calls["fill"] == 0
        assert calls["height"] < 40  # the ticked rows, the detail: not the 400 others
        monkeypatch.undo()

        after_ticks = (_shown(screen), plain(screen.query_one("#checklist-progress")), screen.current_id)
        screen.reload()  # what a full reload draws, for comparison
        await pilot.pause()
        assert (_shown(screen), plain(screen.query_one("#checklist-progress")), screen.current_id) == after_ticks
        assert app.workbench.state("big").state_of(ticked).status == "done"


async def test_a_tick_the_filter_hides_removes_the_row_and_an_empty_heading(make_app) -> None:
    write_user_checklist("big.toml", big_checklist(3))  # three items under one heading
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, "open")
        listing = screen.query_one("#items", OptionList)
        assert [o.id for o in listing.options] == ["measure-17", "big-0000", "big-0001", "big-0002"]
        await pilot.press("space")  # big-0000 done: gone; the highlight moves to the next item
        assert [o.id for o in listing.options] == ["measure-17", "big-0001", "big-0002"]
        assert screen.current_id == "big-0001" and "big-0001" in plain(screen.query_one("#item-detail-text"))
        await pilot.press("down", "space")  # the last one: the highlight moves up
        assert screen.current_id == "big-0001"
        await pilot.press("space")
        assert [o.id for o in listing.options] == []  # the heading went with its last item
        assert "No items match the filter 'open'" in plain(screen.query_one("#item-detail-text"))
        assert "3/3 done" in plain(screen.query_one("#checklist-progress"))
