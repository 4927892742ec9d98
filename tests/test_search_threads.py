"""Search while the app's warm-up builds the index in its thread (issue 21, 3): no crash, same hits.

The app starts a worker a moment after start-up that builds the policy's index (and with it the
thesaurus, stemming every phrase); the first `/` may come while it runs. Before stemming was made
thread-safe, the two threads shared one Snowball stemmer and the search failed inside
snowballstemmer with "IndexError: string index out of range" in most rounds of this test.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from tui.core.content.policy import Policy
from tui.core.search import analysis
from tui.core.search import index as search

ROUNDS = 12
QUERIES = ("how much overhead can a grant charge", "commercialisation of inventions", "purchasing instruments quickly")


def test_searches_while_the_warm_up_runs(policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app import Bj30App
    from tui.core import locations
    from tui.core.workbench import Workbench

    expected = {q: [h.place for h in search.index_for(policy).search(q, 5)] for q in QUERIES}
    failures: list[str] = []
    results: list[dict[str, list[object]]] = []
    for _ in range(ROUNDS):
        # A fresh process as far as search knows: no index, no stem cached, so both threads stem.
        monkeypatch.setattr(search, "_INDEX", None)
        analysis.stem.cache_clear()
        start = threading.Barrier(3)

        def warm(start: threading.Barrier) -> None:
            start.wait()
            try:
                Bj30App._warm_search(SimpleNamespace(policy=policy))  # type: ignore[arg-type]  # the app's own warm-up
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                failures.append(f"warm-up: {exc!r}")

        def searcher(n: int, start: threading.Barrier) -> None:
            wb = Workbench(
                policy, store_path=tmp_path / f"p{n}.sqlite3", builtin_dir=locations.builtin_checklists_dir(), user_dir=None
            )
            start.wait()
            try:
                results.append({q: [h.place for h in wb.search(q, ["policy"], limit=5)] for q in QUERIES})
            except Exception as exc:  # noqa: BLE001
                failures.append(f"search: {exc!r}")
            finally:
                wb.close()

        threads = [
            threading.Thread(target=warm, args=(start,)),
            threading.Thread(target=searcher, args=(1, start)),
            threading.Thread(target=searcher, args=(2, start)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    assert all(r == expected for r in results) and len(results) == 2 * ROUNDS


def test_the_index_is_built_once_when_two_threads_ask_at_once(policy: Policy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_INDEX", None)
    start = threading.Barrier(4)
    built: list[search.SearchIndex] = []

    def ask() -> None:
        start.wait()
        built.append(search.index_for(policy))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 4 and all(b is built[0] for b in built)


def test_each_thread_stems_with_its_own_stemmer() -> None:
    seen: list[object] = []

    def grab() -> None:
        seen.append(analysis._stemmer())
        seen.append(analysis._stemmer())

    t = threading.Thread(target=grab)
    t.start()
    t.join()
    assert seen[0] is seen[1] and analysis._stemmer() is not seen[0]
