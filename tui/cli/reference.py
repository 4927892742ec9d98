"""Reference commands: toc, show, paths. Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tui.core import locations
from tui.core.content.places import read_place
from tui.core.content.policy import Measure, Policy
from tui.core.content.policy_loader import load_policy
from tui.core.export.markdown import escape_inline
from tui.core.text.safe_text import json_text, visible
from tui.core.text.textout import ascii_json, bold, can_encode, emit, warn, width_for, wrap
from tui.core.workbench import SEARCH_GROUPS

if TYPE_CHECKING:
    from tui.core.search.index import SearchHit

FORMATS = ("text", "json")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    toc = commands.add_parser("toc", help="list the parts and their measures")
    toc.add_argument("--format", choices=FORMATS, default="text")
    toc.set_defaults(handler=cmd_toc)

    show = commands.add_parser("show", help="print one measure, or the notice or preamble")
    show.add_argument(
        "what", metavar="N", help="a measure number 1-30, a part numeral I-V (its first measure), 'notice' or 'preamble'"
    )
    show.add_argument("--format", choices=("text", "json", "md"), default="text")
    show.set_defaults(handler=cmd_show)

    search = commands.add_parser("search", help="search the policy, the checklist items and your notes")
    search.add_argument("query", nargs="+", metavar="QUERY", help="words to look for, in your own words; typos are forgiven")
    search.add_argument(
        "--in",
        dest="groups",
        action="append",
        choices=SEARCH_GROUPS,
        metavar="GROUP",
        help="where to look: policy, items or notes (repeat for more; default: all three)",
    )
    search.add_argument("--limit", type=_positive, default=10, metavar="K", help="at most K hits per group (default 10)")
    search.add_argument("--format", choices=FORMATS, default="text")
    search.add_argument("--profile", default=argparse.SUPPRESS, help="whose notes to search (default: 'default')")
    search.set_defaults(handler=cmd_search)

    paths = commands.add_parser("paths", help="where bj30 reads content and keeps your data")
    paths.add_argument("--format", choices=FORMATS, default="text")
    paths.add_argument("--store", default=argparse.SUPPRESS, metavar="URL", help="show where this store is")
    paths.set_defaults(handler=cmd_paths)


def print_json(value: Any) -> None:
    text = json_text(value)
    emit(text if can_encode(text, sys.stdout) else ascii_json(text))


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
    policy = load_policy()
    place = read_place(policy, args.what)  # the same words as the app's go-to dialog (`g`)
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


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


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
    }
    if h.group != "policy":
        out.update(role=h.role, item=h.item)
    return out


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    groups = list(dict.fromkeys(args.groups or SEARCH_GROUPS))
    if groups == ["policy"]:
        from tui.core.search.index import index_for

        index = index_for(load_policy())
        for problem in index.take_warnings():
            warn(problem)
        hits = index.search(query, limit=args.limit)
    else:
        from tui.cli.checklists import workbench

        with workbench(args) as wb:
            hits = wb.search(query, groups, limit=args.limit)
    if args.format == "json":
        print_json([hit_json(h) for h in hits])
        return 0
    if not hits:
        print(visible(f"no match for {query[:80]!r}", one_line=True), file=sys.stderr)
        return 1
    width = width_for(sys.stdout)
    if width is None:
        # Piped: one line per hit, tab-separated, so `grep` keeps the measure number
        # (a fourth field says how the thesaurus led there, when it did).
        emit(
            "\n".join(
                "\t".join([str(h.measure), _line(h.title), _line(h.snippet)] + ([_line(h.via)] if h.via else [])) for h in hits
            )
        )
        return 0
    lines: list[str] = []
    for group in SEARCH_GROUPS:
        in_group = [h for h in hits if h.group == group]
        if not in_group:
            continue
        if len(groups) > 1:
            lines += ([""] if lines else []) + [bold(GROUP_HEADINGS[group], sys.stdout)]
        for h in in_group:
            label = f"{h.measure:>2}" if h.measure else ""
            head = f"{label}  {_line(h.title)}" if h.measure or h.group != "policy" else h.title
            lines.append(bold(head, sys.stdout))
            lines.append(
                wrap(
                    _marked(h.snippet, h.snippet_spans) if h.snippet == _line(h.snippet) else _line(h.snippet),
                    width,
                    indent="    ",
                )
            )
            if h.via:
                lines.append(wrap(f"(via {h.via})", width, indent="    "))
    emit("\n".join(lines))
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    from tui.core.config import load_config, store_choice
    from tui.core.store.api import redact

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
