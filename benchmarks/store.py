"""Progress store speed: one committed status change, and loading a profile's whole state.

Baseline, in the same run and on the same disk: the simple alternative of keeping all
progress in one JSON file rewritten atomically (temp file, fsync, rename) per change.

    python benchmarks/store.py [--changes 500] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from tui.core.atomic import write_atomic
from tui.core.checklist_loader import load_default_catalog
from tui.core.policy_loader import load_policy
from tui.core.progress import checklist_state
from tui.core.status import STATUSES
from tui.core.store import DEFAULT_PROFILE, Store


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files (default: a temp folder)")
    args = parser.parse_args()

    policy = load_policy()
    catalog = load_default_catalog(policy)
    checklist = max(catalog.checklists, key=lambda c: len(c.items))
    items = checklist.items
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        store = Store.open(Path(tmp) / "progress.sqlite3").store
        json_path = Path(tmp) / "progress.json"
        json_state: dict[str, dict[str, str]] = {}
        sqlite_ms: list[float] = []
        json_ms: list[float] = []
        for i in range(args.changes):
            item = items[i % len(items)]
            status = STATUSES[(i // len(items)) % 3]  # todo, doing, done: every call is a real change
            note = f"change {i}"
            start = time.perf_counter()
            store.update(DEFAULT_PROFILE, checklist.role, item.id, status=status, note=note,
                         fingerprint=item.fingerprint)
            sqlite_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            json_state[item.id] = {"status": status, "note": note}
            write_atomic(json_path, json.dumps(json_state))
            json_ms.append((time.perf_counter() - start) * 1000)
        load_ms = []
        json_load_ms = []
        for _ in range(200):
            start = time.perf_counter()
            checklist_state(store, DEFAULT_PROFILE, checklist)
            load_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            json.loads(json_path.read_text())
            json_load_ms.append((time.perf_counter() - start) * 1000)
        history = len(store.history(DEFAULT_PROFILE, checklist.role))
        store.close()

    print(f"checklist {checklist.role}: {len(items)} items, {history} history rows after {args.changes} changes")
    print(f"{'':34}{'p50 ms':>9}{'p99 ms':>9}")
    print(f"{'sqlite: one committed change':34}{statistics.median(sqlite_ms):9.3f}{pct(sqlite_ms, 99):9.3f}")
    print(f"{'baseline: atomic JSON rewrite':34}{statistics.median(json_ms):9.3f}{pct(json_ms, 99):9.3f}")
    print(f"{'sqlite: load whole state':34}{statistics.median(load_ms):9.3f}{pct(load_ms, 99):9.3f}")
    print(f"{'baseline: read JSON file':34}{statistics.median(json_load_ms):9.3f}{pct(json_load_ms, 99):9.3f}")
    print(f"ratio sqlite/baseline p99: change {pct(sqlite_ms, 99) / pct(json_ms, 99):.2f}x, "
          f"load {pct(load_ms, 99) / pct(json_load_ms, 99):.2f}x   (goal: change p99 <= 10 ms)")
    print(json.dumps({"change_p50_ms": round(statistics.median(sqlite_ms), 3),
                      "change_p99_ms": round(pct(sqlite_ms, 99), 3),
                      "load_p50_ms": round(statistics.median(load_ms), 3), "load_p99_ms": round(pct(load_ms, 99), 3),
                      "baseline_change_p99_ms": round(pct(json_ms, 99), 3)}))


if __name__ == "__main__":
    main()
