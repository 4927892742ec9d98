"""Export speed: the largest checklist with a long history, in every format.

Baseline, in the same run: json.dumps of the raw stored rows (what any export must at
least read and serialise), so the figure shows the cost of building the report itself.

    python benchmarks/export.py [--changes 2000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from tui.core.content.checklist_loader import load_default_catalog
from tui.core.content.policy_loader import load_policy
from tui.core.export.render import render
from tui.core.export.rows import FORMATS, build_export
from tui.core.progress.status import STATUSES
from tui.core.store.model import DEFAULT_PROFILE
from tui.core.store.sqlite import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    policy = load_policy()
    checklist = max(load_default_catalog(policy).checklists, key=lambda c: len(c.items))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "progress.sqlite3").store
        for i in range(args.changes):
            item = checklist.items[i % len(checklist.items)]
            status = STATUSES[(i // len(checklist.items)) % 3]
            store.update(
                DEFAULT_PROFILE,
                checklist.role,
                item.id,
                status=status,
                note=f"Change {i}: - [x] not an item | <b>x</b> " + "words " * 20,
                fingerprint=item.fingerprint,
            )
        history_rows = len(store.history(DEFAULT_PROFILE, checklist.role))
        times: dict[str, list[float]] = {fmt: [] for fmt in ("baseline", *FORMATS)}
        sizes: dict[str, int] = {}
        for _ in range(args.runs):  # interleaved, so noise hits every format alike
            start = time.perf_counter()
            rows = [asdict(p) for p in store.progress(DEFAULT_PROFILE, checklist.role).values()]
            rows += [asdict(h) for h in store.history(DEFAULT_PROFILE, checklist.role)]
            json.dumps(rows)
            times["baseline"].append((time.perf_counter() - start) * 1000)
            for fmt in FORMATS:
                start = time.perf_counter()
                text = render(build_export(policy, store, DEFAULT_PROFILE, [checklist]), fmt)
                times[fmt].append((time.perf_counter() - start) * 1000)
                sizes[fmt] = len(text)
        store.close()
    base = statistics.median(times["baseline"])
    print(f"checklist {checklist.role}: {len(checklist.items)} items, {history_rows} history rows")
    print(f"{'':10}{'median ms':>11}{'max ms':>9}{'x baseline':>12}{'size KiB':>10}")
    for name, values in times.items():
        med = statistics.median(values)
        size = f"{sizes[name] / 1024:10.0f}" if name in sizes else ""
        print(f"{name:10}{med:11.2f}{max(values):9.2f}{med / base:12.1f}{size}")
    print(
        json.dumps(
            {fmt: round(statistics.median(times[fmt]), 2) for fmt in FORMATS}
            | {"baseline_ms": round(base, 2), "history_rows": history_rows}
        )
    )


if __name__ == "__main__":
    main()
