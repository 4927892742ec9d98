"""Progress store speed and safety, on both backends: the SQLite file and the PostgreSQL team store.

For each backend:
- one committed status change, p50/p99 (goal p99 <= 10 ms, PostgreSQL over loopback too);
- loading a checklist's whole state, p50/p99;
- 4 writer processes x 500 changes at once (each its own items and, every fifth change, one item
  they all change): how many acknowledged changes were lost (goal 0) and the history rows
  (goal: exactly one per acknowledged change).

Baselines, in the same run: for SQLite, keeping all progress in one JSON file rewritten atomically
(temp file, fsync, rename) per change, on the same disk; for PostgreSQL, one bare row inserted and
committed on the same server (the floor any durable change there stands on).

    python benchmarks/store.py [--changes 500] [--writers 4] [--writer-changes 500] [--dir DIR]
                               [--pg URL]   (default: BJ30_TEST_POSTGRES or postgresql://postgres@127.0.0.1:5432/test)
The PostgreSQL run uses a schema of its own, dropped at the end; no server: that half is skipped.
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tui.core.content.checklist_loader import load_default_catalog
from tui.core.content.policy_loader import load_policy
from tui.core.files.atomic import write_atomic
from tui.core.progress.state import checklist_state
from tui.core.progress.status import STATUSES
from tui.core.store.api import ProgressStore
from tui.core.store.location import open_store, parse_location
from tui.core.store.model import DEFAULT_PROFILE

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
SHARED = "shared"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def open_or_die(location: str) -> ProgressStore:
    opened = open_store(parse_location(location))
    if opened.warnings:
        raise SystemExit(f"{parse_location(location)}: {'; '.join(opened.warnings)}")
    return opened.store


# One writer process -----------------------------------------------------------------------


def writer(location: str, k: int, count: int) -> None:
    """Change w{k}-0..49 (a new note each time) and, every fifth change, the shared item; print
    'ack I' after change I is committed."""
    store = open_or_die(location)
    for i in range(count):
        item = SHARED if i % 5 == 4 else f"w{k}-{i % 50}"
        store.update(DEFAULT_PROFILE, "burst", item, note=f"w{k} change {i}", fingerprint="fp")
        print(f"ack {i}", flush=True)
    store.close()


def writers(location: str, n: int, count: int) -> dict[str, int | float]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", location, str(k), str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for k in range(n)
    ]
    acked: list[list[int]] = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        if p.returncode != 0:
            raise SystemExit(f"writer failed: {err.strip().splitlines()[-1:]}")
        acked.append([int(line.split()[1]) for line in out.splitlines() if line.startswith("ack ")])
    seconds = time.perf_counter() - start
    store = open_or_die(location)
    history = store.history(DEFAULT_PROFILE, "burst")
    state = store.progress(DEFAULT_PROFILE, "burst")
    store.close()
    notes = {h.new for h in history if h.field == "note"}
    lost = 0
    for k, acks in enumerate(acked):
        lost += sum(1 for i in acks if f"w{k} change {i}" not in notes)  # an acknowledged change with no record
        last: dict[str, int] = {}
        for i in acks:
            if i % 5 != 4:
                last[f"w{k}-{i % 50}"] = i
        # Only this writer changes its items: each must hold its last acknowledged note.
        lost += sum(1 for item, i in last.items() if state.get(item) is None or state[item].note != f"w{k} change {i}")
    total = sum(len(a) for a in acked)
    return {
        "acked": total,
        "lost": lost,
        "history_rows": len(history),
        "seconds": round(seconds, 2),
        "changes_per_s": round(total / seconds),
    }


# The measurements ---------------------------------------------------------------------------


def measure(name: str, location: str, args: argparse.Namespace, checklist, json_path: Path | None) -> dict:
    store = open_or_die(location)
    items = checklist.items
    change_ms: list[float] = []
    json_ms: list[float] = []
    json_state: dict[str, dict[str, str]] = {}
    for i in range(args.changes):
        item = items[i % len(items)]
        status = STATUSES[(i // len(items)) % 3]  # todo, doing, done: every call is a real change
        note = f"change {i}"
        start = time.perf_counter()
        store.update(DEFAULT_PROFILE, checklist.role, item.id, status=status, note=note, fingerprint=item.fingerprint)
        change_ms.append((time.perf_counter() - start) * 1000)
        if json_path is not None:
            start = time.perf_counter()
            json_state[item.id] = {"status": status, "note": note}
            write_atomic(json_path, json.dumps(json_state))
            json_ms.append((time.perf_counter() - start) * 1000)
    load_ms = []
    for _ in range(200):
        start = time.perf_counter()
        checklist_state(store, DEFAULT_PROFILE, checklist)
        load_ms.append((time.perf_counter() - start) * 1000)
    history = len(store.history(DEFAULT_PROFILE, checklist.role))
    store.close()
    if name == "postgresql":
        json_ms = bare_commits(location, args.changes)  # the server's own cost of a durable commit
    result = {
        "backend": name,
        "change_p50_ms": round(statistics.median(change_ms), 3),
        "change_p99_ms": round(pct(change_ms, 99), 3),
        "load_p50_ms": round(statistics.median(load_ms), 3),
        "load_p99_ms": round(pct(load_ms, 99), 3),
        "history_rows_after_changes": history,
    }
    if json_ms:
        result["baseline"] = "atomic JSON rewrite" if name == "sqlite" else "bare INSERT + COMMIT, same server"
        result["baseline_change_p50_ms"] = round(statistics.median(json_ms), 3)
        result["baseline_change_p99_ms"] = round(pct(json_ms, 99), 3)
    result["writers"] = writers(location, args.writers, args.writer_changes)
    return result


def bare_commits(location: str, count: int) -> list[float]:
    """The floor under a PostgreSQL change: one row inserted and committed, nothing else, on a
    connection of its own (the server's fsync and the loopback round trips)."""
    import psycopg

    times = []
    with psycopg.connect(location, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_floor (n integer)")
        for i in range(count):
            start = time.perf_counter()
            with conn.transaction():
                conn.execute("INSERT INTO bench_floor VALUES (%s)", (i,))
            times.append((time.perf_counter() - start) * 1000)
    return times


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    import psycopg
    from psycopg import sql

    name = f"bj30_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query), options=f"-csearch_path={name}")
    try:
        yield urlunsplit(parts._replace(query=urlencode(query)))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        writer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--writer-changes", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files (default: a temp folder)")
    parser.add_argument("--pg", default=os.environ.get("BJ30_TEST_POSTGRES") or DEFAULT_PG, metavar="URL")
    args = parser.parse_args()

    policy = load_policy()
    checklist = max(load_default_catalog(policy).checklists, key=lambda c: len(c.items))
    results = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        results.append(measure("sqlite", str(Path(tmp) / "progress.sqlite3"), args, checklist, Path(tmp) / "progress.json"))
    skipped = ""
    server = ""
    try:
        with pg_schema(args.pg) as url:
            results.append(measure("postgresql", url, args, checklist, None))
            import psycopg

            with psycopg.connect(url) as conn:
                settings = conn.execute(
                    "SELECT name || '=' || setting FROM pg_settings WHERE name IN "
                    "('fsync', 'synchronous_commit', 'server_version') ORDER BY name"
                ).fetchall()
                server = ", ".join(row[0] for row in settings)
    except ImportError:
        skipped = "psycopg is not installed (pip install 'bj30[team]')"
    except Exception as exc:  # noqa: BLE001 - no server: say so, keep the SQLite figures
        skipped = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

    print(
        f"checklist {checklist.role}: {len(checklist.items)} items; {args.changes} changes each; "
        f"{args.writers} writers x {args.writer_changes} changes"
    )
    print(f"{'':38}{'p50 ms':>9}{'p99 ms':>9}")
    for r in results:
        print(f"{r['backend'] + ': one committed change':38}{r['change_p50_ms']:9.3f}{r['change_p99_ms']:9.3f}")
        if "baseline_change_p99_ms" in r:
            print(
                f"{'  baseline: ' + r['baseline']:38}{r['baseline_change_p50_ms']:9.3f}"
                f"{r['baseline_change_p99_ms']:9.3f}   (x{r['change_p50_ms'] / r['baseline_change_p50_ms']:.2f} "
                f"p50, x{r['change_p99_ms'] / r['baseline_change_p99_ms']:.2f} p99)"
            )
        print(f"{r['backend'] + ': load a checklist state':38}{r['load_p50_ms']:9.3f}{r['load_p99_ms']:9.3f}")
    for r in results:
        w = r["writers"]
        print(
            f"{r['backend']}: {args.writers} writers: {w['acked']} acknowledged, {w['lost']} lost (goal 0), "
            f"{w['history_rows']} history rows (goal {w['acked']}), {w['changes_per_s']} changes/s"
        )
    if skipped:
        print(f"postgresql: skipped: {skipped}")
    if server:
        print(f"postgresql server: {server} (a change is durable when it returns)")
    print("goal: change p99 <= 10 ms on each backend")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
