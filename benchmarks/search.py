"""Search latency and relevance: bj30's index against the straightforward baseline.

The baseline is rapidfuzz.process.extract(query, sentences, scorer=fuzz.partial_ratio),
run in the same process on the same queries. Two corpora: the real policy, and a
synthetic one 100 times larger whose vocabulary also grows (each copy rewrites a
share of its words into new ones), so a word index cannot win by caching.

    python benchmarks/search.py [--queries 1000] [--baseline-100x-queries 300]

The last line is one JSON object with p50_ms, p99_ms, p99_100x_ms, baseline_p99_100x_ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from tui.core import toml
from tui.core.places import Place
from tui.core.policy_loader import load_policy
from tui.core.search import SearchIndex, Unit, policy_units, words_with_spans

RELEVANCE = Path(__file__).resolve().parent.parent / "tests" / "data" / "relevance.toml"


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def make_queries(units: Sequence[Unit], n: int, seed: int = 7) -> list[str]:
    """Queries people type: 1-4 consecutive words of the text, some misspelt or cut short."""
    rng = random.Random(seed)
    table = [q["q"] for q in toml.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]]
    queries = list(table)
    texts = [u.text for u in units]
    while len(queries) < n:
        words = [w for w, _, _ in words_with_spans(rng.choice(texts))]
        if not words:
            continue
        k = rng.choice((1, 1, 2, 2, 3, 4))
        start = rng.randrange(max(1, len(words) - k + 1))
        chosen = words[start:start + k]
        roll = rng.random()
        if roll < 0.3:
            chosen = [typo(w, rng) for w in chosen]
        elif roll < 0.45:
            chosen[-1] = chosen[-1][: max(3, len(chosen[-1]) * 2 // 3)]
        queries.append(" ".join(chosen))
    return queries[:n]


def grow(units: Sequence[Unit], factor: int, seed: int = 11) -> list[Unit]:
    """`factor` copies of the corpus; each copy rewrites ~30% of words into new words."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = list(units)
    for copy in range(1, factor):
        for u in units:
            words = u.text.split(" ")
            for i, w in enumerate(words):
                if len(w) >= 4 and w.isalpha() and rng.random() < 0.3:
                    words[i] = w[: rng.randrange(2, len(w))] + "".join(rng.choice(letters) for _ in range(rng.randrange(2, 5)))
            place: Place = u.place if isinstance(u.place, str) else u.place + 100 * copy
            out.append(Unit(place, u.kind, " ".join(words), u.offset))
    return out


def timed(fn: Callable[[str], object], queries: Sequence[str], before: Callable[[], None] = lambda: None) -> list[float]:
    times = []
    for q in queries:
        before()
        start = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def baseline(units: Sequence[Unit]) -> Callable[[str], list[Place]]:
    sentences = [u.text for u in units]

    def run(query: str, limit: int = 10) -> list[Place]:
        found = process.extract(query, sentences, scorer=fuzz.partial_ratio, limit=limit * 4)
        places: list[Place] = []
        for _, _, i in found:
            if units[i].place not in places:
                places.append(units[i].place)
        return places[:limit]

    return run


def top3_rate(search: Callable[[str], list[Place]]) -> float:
    table = toml.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]
    return sum(1 for c in table if c["measure"] in search(c["q"])[:3]) / len(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--baseline-100x-queries", type=int, default=300,
                        help="the baseline is slow at 100x; time it on this many of the queries")
    args = parser.parse_args()

    policy = load_policy()
    units = policy_units(policy)
    titles = {u.place: u.text for u in units if u.kind == "title"}
    queries = make_queries(units, args.queries)

    start = time.perf_counter()
    index = SearchIndex(units, titles)
    build_ms = (time.perf_counter() - start) * 1000
    clear = index._matches.cache_clear  # measure cold queries, not the live-typing cache
    ours = timed(lambda q: index.search(q, 10), queries, clear)
    base = baseline(units)
    theirs = timed(base, queries)

    big_units = grow(units, 100)
    big_titles = titles | {u.place: u.text for u in big_units if u.kind == "title"}
    start = time.perf_counter()
    big = SearchIndex(big_units, big_titles)
    big_build_ms = (time.perf_counter() - start) * 1000
    # The index lives as long as the process: move it out of the cyclic GC's way, as the
    # app does after building its index. Without this, full collections scanning millions
    # of index objects, not the search, set the 100x p99.
    gc.collect()
    gc.freeze()
    ours_big = timed(lambda q: big.search(q, 10), queries, big._matches.cache_clear)
    base_big = baseline(big_units)
    theirs_big = timed(base_big, queries[: args.baseline_100x_queries])

    rel_ours = top3_rate(lambda q: [h.place for h in index.search(q, 3)])
    rel_base = top3_rate(base)

    print(f"corpus 1x: {len(units)} units, {len(index._vocab)} words; index built in {build_ms:.1f} ms")
    print(f"corpus 100x: {len(big_units)} units, {len(big._vocab)} words; index built in {big_build_ms:.0f} ms")
    print(f"{'':24}{'p50 ms':>10}{'p99 ms':>10}{'queries':>9}")
    for name, t in (("bj30 1x", ours), ("baseline 1x", theirs), ("bj30 100x", ours_big), ("baseline 100x", theirs_big)):
        print(f"{name:24}{statistics.median(t):10.3f}{pct(t, 99):10.3f}{len(t):9d}")
    print(f"speed-up at 100x (baseline p99 / bj30 p99): {pct(theirs_big, 99) / pct(ours_big, 99):.1f}x")
    print(f"relevance, share of the table's measures in the top 3: bj30 {rel_ours:.0%}, baseline {rel_base:.0%}")
    print(json.dumps({
        "p50_ms": round(statistics.median(ours), 3), "p99_ms": round(pct(ours, 99), 3),
        "p50_100x_ms": round(statistics.median(ours_big), 3), "p99_100x_ms": round(pct(ours_big, 99), 3),
        "baseline_p99_ms": round(pct(theirs, 99), 3), "baseline_p99_100x_ms": round(pct(theirs_big, 99), 3),
        "relevance_top3": round(rel_ours, 3), "baseline_relevance_top3": round(rel_base, 3),
    }))


if __name__ == "__main__":
    main()
