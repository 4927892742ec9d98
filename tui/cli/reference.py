"""Reference commands: toc, show, paths. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tui.cli.common import print_json, workbench
from tui.cli.parser import SEARCH_GROUPS
from tui.core import locations
from tui.core.content.places import read_place
from tui.core.content.policy import Measure, Policy
from tui.core.content.policy_loader import load_policy
from tui.core.export.markdown import escape_inline
from tui.core.text.safe_text import visible
from tui.core.text.textout import bold, emit, warn, width_for, wrap

if TYPE_CHECKING:
    from tui.core.content.checklist import Checklist, ChecklistItem
    from tui.core.search.units import Found, SearchHit


def measure_json(policy: Policy, m: Measure) -> dict[str, Any]:
    return {
        "number": m.number,
        "title": m.title,
        "part": m.part,
        "part_title": policy.part_of(m).title,
        "text": m.text,
        "errata": list(m.errata),
    }


def cmd_toc(args: argparse.Namespace) -> int:
    policy = load_policy()
    if args.format == "json":
        print_json(
            [
                {"numeral": p.numeral, "title": p.title, "measures": [{"number": m.number, "title": m.title} for m in p.measures]}
                for p in policy.parts
            ]
        )
        return 0
    width = width_for(sys.stdout)
    lines = [bold(wrap(policy.info.title, width), sys.stdout), ""]
    for p in policy.parts:
        lines.append(bold(wrap(p.label, width), sys.stdout))
        for m in p.measures:
            lines.append(wrap(f"{m.number:>2}. {m.title}", width, indent="  "))
    emit("\n".join(lines))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from tui.core.errors import UnknownMeasure

    policy = load_policy()
    try:
        place = read_place(policy, args.what)  # the same words as the app's go-to dialog (`g`)
    except UnknownMeasure as exc:
        if not _show_item(args):
            raise UnknownMeasure(
                str(exc) if str(exc).startswith("no measure") else f"{exc}, or a checklist item's id (e.g. uni-089)"
            ) from None
        return 0
    if isinstance(place, str):
        return _show_front_matter(policy, place, args.format)
    m = policy.measure(place)
    if args.format == "json":
        print_json(measure_json(policy, m))
    elif args.format == "md":
        emit(
            f"## Measure {m.number}. {escape_inline(m.title)}\n\n"
            f"*Part {m.part}. {escape_inline(policy.part_of(m).title)}*\n\n"
            f"{escape_inline(m.text)}\n\n"
            f"— {escape_inline(policy.info.title)}, {escape_inline(policy.info.issuer)}, "
            f"{policy.info.date_issued.isoformat()}"
        )
    else:
        width = width_for(sys.stdout)
        out = [
            wrap(f"Part {policy.part_of(m).label}", width),
            bold(wrap(f"Measure {m.label}", width), sys.stdout),
            "",
            wrap(m.text, width),
        ]
        for note in m.errata:
            out += ["", wrap(f"Note on the translation: {note}", width)]
        emit("\n".join(out))
    return 0


def _show_item(args: argparse.Namespace) -> bool:
    """Print the checklist item(s) that `args.what` names by id; False when none does."""
    with workbench(args) as wb:
        found = [(wb.checklist(doc.split("/", 1)[0]), doc.split("/", 1)[1]) for _, doc in wb.item_ids_in(args.what)]
        items = [(c, it) for c, item_id in found if (it := c.item(item_id)) is not None]
    if not items or " " in args.what.strip():
        return False
    if args.format == "json":
        print_json([item_json(c, it) for c, it in items] if len(items) > 1 else item_json(*items[0]))
        return True
    blocks = []
    for c, it in items:
        if args.format == "md":
            blocks.append(
                f"## {escape_inline(it.id)} · {escape_inline(c.title)}\n\n{escape_inline(it.text)}\n\n"
                f"*Measures {', '.join(map(str, it.measures))}*"
                + (f"\n\n{escape_inline(it.guidance)}" if it.guidance else "")
                + (f"\n\n> {escape_inline(it.quote)}" if it.quote else "")
            )
            continue
        width = width_for(sys.stdout)
        measures = "measure" + ("s " if len(it.measures) > 1 else " ") + ", ".join(map(str, it.measures))
        out = [bold(wrap(visible(f"{it.id} · {c.title} ({c.role}), {measures}", one_line=True), width), sys.stdout), ""]
        out.append(wrap(visible(it.text), width))
        if it.guidance:
            out += ["", wrap(visible(f"Guidance: {it.guidance}"), width)]
        if it.quote:
            out += ["", wrap(visible(f"The policy says: \u201c{it.quote}\u201d"), width)]
        blocks.append("\n".join(out))
    emit("\n\n".join(blocks))
    return True


def item_json(c: Checklist, it: ChecklistItem) -> dict[str, Any]:
    return {
        "id": it.id,
        "role": c.role,
        "checklist": c.title,
        "text": it.text,
        "measures": list(it.measures),
        "guidance": it.guidance,
        "quote": it.quote,
        "categories": list(it.categories),
        "provisions": list(it.provisions),
    }


def _show_front_matter(policy: Policy, what: str, fmt: str) -> int:
    if what == "notice":
        n = policy.notice
        paragraphs = list(n.paragraphs)
        obj: dict[str, Any] = {
            "number": 0,
            "title": "Notice",
            "part": None,
            "text": n.text,
            "addressees": n.addressees,
            "issuer": n.issuer,
            "date": n.date,
        }
    else:
        paragraphs = [policy.preamble]
        obj = {"number": 0, "title": "Preamble", "part": None, "text": policy.preamble}
    if fmt == "json":
        print_json(obj)
    elif fmt == "md":
        emit("\n\n".join([f"## {obj['title']}"] + [escape_inline(p) for p in paragraphs]))
    else:
        width = width_for(sys.stdout)
        emit("\n\n".join([bold(obj["title"], sys.stdout)] + [wrap(p, width) for p in paragraphs]))
    return 0


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """Matched words in bold on a colour terminal; unchanged when piped."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], bold(text[start:end], sys.stdout)]
        last = end
    return "".join(out) + text[last:]


GROUP_HEADINGS = {"policy": "Policy", "items": "Checklist items", "notes": "Your notes"}


def _line(text: str) -> str:
    """One line of plain text: whitespace runs become one space, control characters show as
    escapes (safe_text.visible: a note may hold anything; a terminal must not act on it)."""
    return visible(" ".join(text.split()), one_line=True)


def hit_json(h: SearchHit) -> dict[str, Any]:
    out: dict[str, Any] = {
        "measure": h.measure,
        "place": str(h.place),
        "title": h.title,
        "score": h.score,
        "snippet": h.snippet,
        "spans": [list(s) for s in h.snippet_spans],
        "group": h.group,
        "via": h.via or None,
        "matched": [{"word": word, "how": how} for word, how in h.matched],
        "missing": list(h.missing),
        "partial": h.partial,
    }
    if h.group != "policy":
        out.update(role=h.role, item=h.item)
    return out


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    groups = list(dict.fromkeys(args.groups or SEARCH_GROUPS))
    if groups == ["policy"]:
        from tui.core.search.index import index_for
        from tui.core.search.units import Found

        index = index_for(load_policy())
        for problem in index.take_warnings():
            warn(problem)
        answer = index.answer(query, limit=args.limit)
        found = Found(query, answer.hits, answer.never, answer.addressed if answer.key or answer.hits else None)
    else:
        with workbench(args) as wb:
            found = wb.answer(query, groups, limit=args.limit)
    hits = found.hits
    # What the policy does not say goes to stderr, before the hits: stdout stays one hit a line
    # (or JSON) for scripts, and a person at a terminal reads it first.
    for line in _not_said(found):
        print(visible(line, one_line=True), file=sys.stderr)
    code = 0 if found.answered else 1
    if args.format == "json":
        print_json([hit_json(h) for h in hits])
        return code
    if not hits:
        if not found.never:
            print(visible(f"no match for {query[:80]!r}", one_line=True), file=sys.stderr)
        return 1
    width = width_for(sys.stdout)
    if width is None:
        # Piped: one line per hit, tab-separated, so `grep` keeps the measure number (a fourth
        # field says how the thesaurus led there, when it did; a last one, "missing: ...", the
        # key words the hit does not match, when it misses some).
        emit(
            "\n".join(
                "\t".join(
                    [str(h.measure), _line(h.title), _line(h.snippet)]
                    + ([_line(h.via)] if h.via else [])
                    + ([_line("missing: " + ", ".join(h.missing))] if h.missing else [])
                )
                for h in hits
            )
        )
        return code
    lines: list[str] = []
    for group in SEARCH_GROUPS:
        in_group = [h for h in hits if h.group == group]
        if not in_group:
            continue
        if len(groups) > 1:
            lines += ([""] if lines else []) + [bold(GROUP_HEADINGS[group], sys.stdout)]
        for h in in_group:
            label = f"{h.measure:>2}" if h.measure else ""
            head = f"{label}  {_line(h.title)}" if h.measure or h.group != "policy" else _line(h.title)
            lines.append(bold(head, sys.stdout) + (" (partial)" if h.partial else ""))
            lines.append(
                wrap(
                    _marked(h.snippet, h.snippet_spans) if h.snippet == _line(h.snippet) else _line(h.snippet),
                    width,
                    indent="    ",
                )
            )
            if h.via:
                lines.append(wrap(_line(f"(via {h.via})"), width, indent="    "))
            if h.missing:
                lines.append(wrap(_line("missing: " + ", ".join(h.missing)), width, indent="    "))
    emit("\n".join(lines))
    return code


def _not_said(found: Found) -> list[str]:
    """The lines that say what the policy does not say about the query, if anything."""
    lines = []
    if found.never:
        lines.append(f"The 30 Measures never mention: {', '.join(found.never)}")
    if found.addressed is False and not found.answered:
        lines.append(
            "Nothing in the policy addresses this; the nearest passages below are partial."
            if found.hits
            else "Nothing in the policy addresses this."
        )
    return lines


def cmd_paths(args: argparse.Namespace) -> int:
    from tui.core.config import load_config, store_choice
    from tui.core.store.location import redact

    choice = store_choice(getattr(args, "store", None), load_config(locations.config_file()), locations.store_path())
    paths = {
        "content": str(locations.content_file()),
        "builtin_checklists": str(locations.builtin_checklists_dir()),
        "user_checklists": str(locations.user_checklists_dir()),
        "store": redact(choice.text),  # a URL's password is never printed
        "store_from": choice.source,
        "config": str(locations.config_file()),
        "ui_state": str(locations.ui_state_path()),
    }
    if args.format == "json":
        print_json(paths)
    else:
        emit("\n".join(f"{k:<19} {v}" for k, v in paths.items()))
    return 0
