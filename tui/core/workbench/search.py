"""Search, as the Workbench answers it: the policy, the items and the notes in one answer, and
item ids typed in a query (`uni-089`) found first. The indexes themselves are the Workbench's
(search_index); tui/core/search/ builds them. Core: no Textual."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.search.units import Found, SearchHit
    from tui.core.workbench import Workbench

# The search groups, as tui.core.search.units.GROUPS says (that module, with its stemmer, is
# imported on the first search, not with the workbench).
SEARCH_GROUPS = ("policy", "items", "notes")


def answer(wb: Workbench, query: str, groups: Sequence[str], limit: int) -> Found:
    from tui.core.search.units import Found

    """Hits for `query` in each of `groups`, in that order, at most `limit` per group; the
    words the policy never uses; whether the policy addresses the query. An item id in the
    query (`uni-089`) finds that item first, and is not searched for as words."""
    ids = item_ids_in(wb, query)
    words = " ".join(t for t in query.split() if _id_token(t) not in {i for i, _ in ids}) if ids else query
    hits: list[SearchHit] = []
    never: tuple[str, ...] = ()
    addressed: bool | None = None
    for group in SEARCH_GROUPS:
        if group not in groups:
            continue
        index = wb.search_index(group)
        if group == "items" and ids:
            named = [h for i, doc in ids if (h := index.doc_hit(doc, i)) is not None]
            rest = [h for h in index.search(words, limit) if (h.role, h.item) not in {(n.role, n.item) for n in named}]
            hits += (named + rest)[: max(limit, len(named))]
            continue
        found = index.answer(words, limit)
        hits += found.hits
        if group == "policy":
            never, addressed = found.never, (found.addressed if found.key or found.hits else None)
    return Found(query, hits, never, addressed, tuple(dict.fromkeys(i for i, _ in ids)))


def item_ids_in(wb: Workbench, query: str) -> list[tuple[str, str]]:
    """The item ids typed in `query` that name items of the catalog, each with its
    document ("role/item-id"), in the order typed (an id two checklists share: both)."""
    if len(query) > 400:
        return []
    known: dict[str, list[str]] = {}
    for c in wb.catalog.checklists:
        for it in c.items:
            known.setdefault(it.id.lower(), []).append(f"{c.role}/{it.id}")
    return [(token, doc) for t in query.split() if (token := _id_token(t)) in known for doc in known[token]]


def _id_token(token: str) -> str:
    """A word of a query as an item id would be typed: lower-cased, without the punctuation
    around it ("uni-089," or "(uni-089)")."""
    return token.strip(".,;:!?()[]{}\"'").lower()
