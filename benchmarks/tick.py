"""A tick in the TUI (space on an item), in a 10,000-item checklist, through the app's own code path.

The app runs headless (Textual's run_test). Each tick runs the action the space key is bound
to on the open ChecklistScreen (commit, state, row, header, detail), then Textual's own
layout and paint of what changed, at once rather than on its refresh timer: the time until
the frame is drawn. (Pilot.press is not timed: it sleeps in 20 ms steps waiting for idle.)
Baseline, in the same process and app: the same tick in the smallest built-in checklist. A
tick that costs time proportional to the checklist shows as a large ratio; the goal is
p99 <= 50 ms for the big one.

A team store over a slow link (issue 20, 5): the same app on a PostgreSQL store reached through a
proxy that delays every packet (benchmarks/slow_link.py; --latency-ms per round trip). Measured:
a cursor move until the detail pane shows the item; a tick until its first frame (the screen
answers) and until the row shows the new status (the store has it); and the longest the event loop
went without running (a frozen screen), over the whole run. Skipped when no server answers.

    python benchmarks/tick.py [--items 10000] [--ticks 60] [--team URL] [--latency-ms 50] [--no-team]
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
    screen = app.screen
    assert isinstance(screen, ChecklistScreen)
    await until(lambda: screen.state is not None and screen.current_id is not None)  # read in the store thread
    screen.filter = filter
    await pilot.pause()
    await pilot.press("down", "down")  # some item, not the first
    times = []
    for _ in range(count):
        item = screen.current_id
        before = screen.state.state_of(item).status
        start = time.perf_counter()
        await screen.run_action("toggle_done")
        # The save runs in the store thread: timed until the row shows the new status.
        await until(lambda: screen.state.state_of(item).status != before)  # noqa: B023 (awaited here)
        await settled_frame(screen)
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


class LoopLag:
    """The longest the event loop went without running a 5 ms sleep on time: how long a screen froze."""

    def __init__(self) -> None:
        self.worst_ms = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst_ms = max(self.worst_ms, (time.perf_counter() - start) * 1000 - 5)

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._watch())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def settled_frame(screen) -> None:
    """The frame that shows a change: the refreshes it asked for are handled (a few turns of the
    loop), then layout and paint run now instead of on Textual's timer. (Painting at once, before
    the widgets had handled their refresh requests, painted nothing: 0 ms.)"""
    for _ in range(5):
        await asyncio.sleep(0)
    screen._on_timer_update()


async def until(condition, limit_s: float = 30.0) -> None:
    """Yield to the app until `condition()` holds (the benchmark's own clock does the timing)."""
    deadline = time.perf_counter() + limit_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.001)


async def team_run(url: str, count: int) -> dict[str, float]:
    from tests.helpers import plain
    from tui.app import Bj30App
    from tui.screens.checklist import ChecklistScreen

    app = Bj30App(state_path=Path(os.environ["XDG_DATA_HOME"]) / "ui-state.json", store=url)
    lag = LoopLag()
    async with app.run_test(size=(120, 40)) as pilot:
        lag.start()
        app.push_screen(ChecklistScreen("university"))
        screen = app.screen
        await until(lambda: screen.state is not None and screen.current_id is not None)
        opened_lag, lag.worst_ms = lag.worst_ms, 0.0
        detail = screen.query_one("#item-detail-text")
        listing = screen.query_one("#items")
        moves = []
        for i in range(count):
            start = time.perf_counter()
            listing.action_cursor_down() if i % 2 == 0 else listing.action_cursor_up()
            target = screen.current_id
            await until(lambda: plain(detail).startswith(target))  # noqa: B023 (awaited here)
            await settled_frame(screen)
            moves.append((time.perf_counter() - start) * 1000)
        moves_lag, lag.worst_ms = lag.worst_ms, 0.0
        answer, saved = [], []
        for _ in range(max(5, count // 3)):
            item = screen.current_id
            before = screen.state.state_of(item).status
            start = time.perf_counter()
            await screen.run_action("toggle_done")
            await settled_frame(screen)
            answer.append((time.perf_counter() - start) * 1000)
            await until(lambda: screen.state.state_of(item).status != before)  # noqa: B023
            await settled_frame(screen)
            saved.append((time.perf_counter() - start) * 1000)
            await pilot.pause()
        ticks_lag = lag.worst_ms
        lag.stop()
    rows = [
        ("cursor move, until the detail shows it", moves),
        ("tick, until its first frame", answer),
        ("tick, until the row shows it saved", saved),
    ]
    for name, values in rows:
        print(f"{name:40}{statistics.median(values):9.2f}{pct(values, 99):9.2f}")
    print(f"longest event-loop stall: opening {opened_lag:.0f} ms, cursor moves {moves_lag:.0f} ms, ticks {ticks_lag:.0f} ms")
    return {
        "team_move_p50_ms": round(statistics.median(moves), 2),
        "team_move_p99_ms": round(pct(moves, 99), 2),
        "team_tick_frame_p50_ms": round(statistics.median(answer), 2),
        "team_tick_frame_p99_ms": round(pct(answer, 99), 2),
        "team_tick_saved_p50_ms": round(statistics.median(saved), 2),
        "team_tick_saved_p99_ms": round(pct(saved, 99), 2),
        "team_stall_open_ms": round(opened_lag),
        "team_stall_moves_ms": round(moves_lag),
        "team_stall_ticks_ms": round(ticks_lag),
    }


def team(url: str, latency_ms: float, count: int) -> dict[str, float]:
    """The team-store half: a schema of its own behind the slow link; {} when no server answers."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.helpers, benchmarks.*
    from urllib.parse import urlsplit

    from benchmarks.slow_link import SlowLink
    from benchmarks.store import pg_schema

    try:
        with pg_schema(url) as schema_url:
            parts = urlsplit(schema_url)
            link = SlowLink(parts.hostname or "127.0.0.1", parts.port or 5432, latency_ms).start()
            print(f"\nteam store through a link adding {latency_ms:g} ms per round trip:")
            print(f"{'':40}{'p50 ms':>9}{'p99 ms':>9}")
            result = asyncio.run(team_run(link.url(schema_url), count))
    except OSError as exc:  # psycopg's OperationalError is one: no server
        print(f"team store skipped: {exc}")
        return {}
    result["team_latency_ms"] = latency_ms
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--ticks", type=int, default=60)
    parser.add_argument(
        "--team", default=os.environ.get("BJ30_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"), metavar="URL"
    )
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--no-team", action="store_true", help="only the local store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        from tui.core import locations

        folder = locations.user_checklists_dir()
        folder.mkdir(parents=True)
        (folder / "big.toml").write_text(big_checklist(args.items), encoding="utf-8")
        start = time.perf_counter()
        result: dict[str, float] = asyncio.run(run(args.items, args.ticks))
        if not args.no_team:
            result |= team(args.team, args.latency_ms, args.ticks)
        result["total_s"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
