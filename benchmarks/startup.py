"""Time to the first screen of bj30 against a bare Textual app showing one label, at two sizes.

At 120x40 the reader shows its contents beside the text (as most people see it); at 80x24 the
contents start hidden. Each run is a fresh Python process (imports included, as a user pays
them), the two apps interleaved in pairs so machine noise hits both alike. Prints, for each
size, medians and the ratios bj30 / bare for wall time and peak memory (max RSS of the child).

    python benchmarks/startup.py [--runs 21] [--sizes 120x40,80x24]

Bytecode: Textual's modules were compiled to .pyc when pip installed them, and so are bj30's
in an installed wheel. In an editable checkout with PYTHONDONTWRITEBYTECODE set, bj30's
modules would be compiled from source on every run while Textual's are not; the children
therefore run without it, and the warm-up run writes bj30's .pyc as an install would.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD_BARE = """
import sys
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("bare")
    def on_ready(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(int(sys.argv[1]), int(sys.argv[2])))
"""

CHILD_BJ30 = """
import os, pathlib, sys
from tui.app import Bj30App
from tui.screens.reader import ReaderScreen

WIDE = int(sys.argv[1]) >= 100

class Bench(Bj30App):
    def on_ready(self):
        assert isinstance(self.screen, ReaderScreen), self.screen
        # The benchmark measures what it claims: contents shown when wide, hidden when narrow.
        assert bool(self.screen.query("#contents")) == WIDE, self.size
        self.call_after_refresh(self.exit)

Bench(state_path=pathlib.Path(os.environ["BJ30_BENCH_STATE"])).run(
    headless=True, size=(int(sys.argv[1]), int(sys.argv[2])))
"""


def run_child(code: str, size: tuple[int, int], env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds to exit after the first frame, CPU seconds, peak RSS in MiB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(size[0]), str(size[1])], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss is KiB on Linux


def parse_size(text: str) -> tuple[int, int]:
    columns, _, rows = text.partition("x")
    return int(columns), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="pairs per size (default 21)")
    parser.add_argument("--sizes", default="120x40,80x24", help="terminal sizes, comma-separated")
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    summary: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp, BJ30_BENCH_STATE=os.path.join(tmp, "ui-state.json"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # see the docstring: compare like with like
        results = {size: {"bare": [], "bj30": []} for size in sizes}  # type: dict[tuple[int, int], dict[str, list[tuple[float, float, float]]]]
        run_child(CHILD_BARE, sizes[0], env)  # warm the OS file cache for both
        run_child(CHILD_BJ30, sizes[0], env)
        # Sizes interleaved too, so a slow minute of the machine does not land on one size only.
        for _ in range(args.runs):
            for size in sizes:
                results[size]["bare"].append(run_child(CHILD_BARE, size, env))
                results[size]["bj30"].append(run_child(CHILD_BJ30, size, env))
    for size in sizes:
        runs = results[size]
        label = f"{size[0]}x{size[1]}"
        med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
        print(f"== {label}" + ("  (contents shown)" if size[0] >= 100 else "  (contents hidden)"))
        for name, (t, cpu, m) in med.items():
            print(
                f"{name:5}  first screen {t * 1000:7.1f} ms, CPU {cpu * 1000:6.1f} ms (medians of {args.runs})   "
                f"peak RSS {m:6.1f} MiB"
            )
        # The median of each back-to-back pair's ratio: a burst of load on this shared machine
        # hits both runs of a pair, so this is steadier than the ratio of the two medians.
        # CPU time (user + system of the child) is steadier still where other work shares the cores.
        time_ratio = statistics.median(b[0] / a[0] for a, b in zip(runs["bare"], runs["bj30"], strict=True))
        cpu_ratio = statistics.median(b[1] / a[1] for a, b in zip(runs["bare"], runs["bj30"], strict=True))
        mem_ratio = med["bj30"][2] / med["bare"][2]
        print(
            f"ratio  time {time_ratio:.2f}x (median of pairs; of medians {med['bj30'][0] / med['bare'][0]:.2f}x)   "
            f"CPU {cpu_ratio:.2f}x   memory {mem_ratio:.2f}x   (goal: <= 1.3x)"
        )
        summary[label] = {
            "bare_ms": round(med["bare"][0] * 1000, 1),
            "bj30_ms": round(med["bj30"][0] * 1000, 1),
            "time_ratio": round(time_ratio, 3),
            "cpu_ratio": round(cpu_ratio, 3),
            "memory_ratio": round(mem_ratio, 3),
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
