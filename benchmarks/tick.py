"""A tick in the TUI (space on an item), in a 10,000-item checklist, through the app's own code path.

The app runs headless (Textual's run_test). Each tick runs the action the space key is bound
to on the open ChecklistScreen (commit, state, row, header, detail), then Textual's own
layout and paint of what changed, at once rather than on its refresh timer: the time until
the frame is drawn. (Pilot.press is not timed: it sleeps in 20 ms steps waiting for idle.)
Baseline, in the same process and app: the same tick in the smallest built-in checklist. A
tick that costs time proportional to the checklist shows as a large ratio; the goal is
p99 <= 50 ms for the big one.

    python benchmarks/tick.py [--items 10000] [--ticks 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def big_checklist(items: int) -> str:
    """A valid user checklist of `items` items, quoting the built-in items' quotes in turn."""
    from tui.core.content.checklist_loader import load_default_catalog
    from tui.core.content.policy_loader import load_policy

    sources = [it for c in load_default_catalog(load_policy()).checklists for it in c.items]
    out = ['role = "big"', 'title = "A big checklist"', 'audience = "Benchmarks"', 'description = "Many items"', ""]
    for i in range(items):
        it = sources[i % len(sources)]
        quote = it.quote.replace("\\", "\\\\").replace('"', '\\"')
        out += [
            "[[items]]",
            f'id = "big-{i:05}"',
            f'text = "Item {i}: {it.id}"',
            f"measures = [{', '.join(str(n) for n in it.measures)}]",
            f'quote = "{quote}"',
            "",
        ]
    return "\n".join(out)


async def ticks(app, pilot, role: str, count: int, filter: str = "all") -> list[float]:
    from tui.screens.checklist import ChecklistScreen

    app.push_screen(ChecklistScreen(role))
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen) and app.screen.state is not None
    app.screen.filter = filter
    await pilot.pause()
    await pilot.press("down", "down")  # some item, not the first
    screen = app.screen
    times = []
    for _ in range(count):
        start = time.perf_counter()
        await screen.run_action("toggle_done")
        screen._on_timer_update()  # the frame: layout and paint, now instead of on the timer
        times.append((time.perf_counter() - start) * 1000)
        await pilot.pause()  # let the messages the tick posted settle, untimed
    app.pop_screen()
    await pilot.pause()
    return times


async def run(items: int, count: int) -> dict[str, float]:
    from tui.app import Bj30App

    app = Bj30App(state_path=Path(os.environ["XDG_DATA_HOME"]) / "ui-state.json")
    async with app.run_test(size=(120, 40)) as pilot:
        big_items = len(app.workbench.checklist("big").items)
        assert big_items == items, big_items
        small_role = min(app.workbench.catalog.checklists, key=lambda c: len(c.items)).role
        small = await ticks(app, pilot, small_role, count)
        big = await ticks(app, pilot, "big", count)
        # With the filter "open", a tick hides the item: the list is filled again (not O(1)).
        hiding = await ticks(app, pilot, "big", max(5, count // 4), filter="open")
        small_items = len(app.workbench.checklist(small_role).items)
    print(f"{'':40}{'p50 ms':>9}{'p99 ms':>9}")
    print(f"{f'tick, {small_role} ({small_items} items)':40}{statistics.median(small):9.2f}{pct(small, 99):9.2f}")
    print(f"{f'tick, big ({items} items)':40}{statistics.median(big):9.2f}{pct(big, 99):9.2f}")
    print(f"{'tick hiding the item (filter open), big':40}{statistics.median(hiding):9.2f}{pct(hiding, 99):9.2f}")
    print(f"ratio big/small p99: {pct(big, 99) / pct(small, 99):.2f}x   (goal: big p99 <= 50 ms)")
    return {
        "hiding_p50_ms": round(statistics.median(hiding), 2),
        "hiding_p99_ms": round(pct(hiding, 99), 2),
        "items": items,
        "small_items": small_items,
        "small_p50_ms": round(statistics.median(small), 2),
        "small_p99_ms": round(pct(small, 99), 2),
        "big_p50_ms": round(statistics.median(big), 2),
        "big_p99_ms": round(pct(big, 99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--ticks", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        from tui.core import locations

        folder = locations.user_checklists_dir()
        folder.mkdir(parents=True)
        (folder / "big.toml").write_text(big_checklist(args.items), encoding="utf-8")
        start = time.perf_counter()
        result = asyncio.run(run(args.items, args.ticks))
        result["total_s"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
