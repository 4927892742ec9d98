"""Store commands: store info|copy|grant (settings, the store's location among them: cli_profiles's
`bj30 config`). Core only: no Textual import."""

from __future__ import annotations

import argparse
import sys

from tui.cli.reference import FORMATS, print_json
from tui.core import config, locations
from tui.core.errors import Bj30Error
from tui.core.store.api import ProgressStore
from tui.core.store.copy import copy_store
from tui.core.store.location import StoreLocation, open_store, parse_location, team_driver_missing
from tui.core.text.safe_text import visible
from tui.core.text.textout import warn


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store = commands.add_parser("store", help="the progress store: where it is, copy it, give officers access")
    actions = store.add_subparsers(dest="store_action", metavar="ACTION", required=True)

    info = actions.add_parser("info", help="where the store is, who you are there, whether you can change it")
    info.add_argument("--store", default=argparse.SUPPRESS, metavar="URL")
    info.add_argument("--format", choices=FORMATS, default="text")
    info.set_defaults(handler=cmd_info)

    copy = actions.add_parser(
        "copy",
        help="copy every profile, item and history entry into another store (again: adds only what is new)",
        description="Copy a store into another: profiles, items and history. What the target has already is "
        "kept; an item it changed later than the source is kept and reported. Running it again "
        "adds nothing. --from defaults to your local file (bj30 paths shows it).",
    )
    copy.add_argument(
        "--from", dest="source", default=None, metavar="URL|FILE", help="the store to copy (default: the local SQLite file)"
    )
    copy.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="URL|FILE",
        help="the store to copy into: postgresql://user@host:5432/db or a file (made if missing)",
    )
    copy.set_defaults(handler=cmd_copy)

    grant = actions.add_parser("grant", help="let a database role use the team store (as its owner)")
    grant.add_argument("role", metavar="ROLE", help="a PostgreSQL role, e.g. wangli or compliance_manager")
    kind = grant.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--officer",
        dest="kind",
        action="store_const",
        const="officer",
        help="read and change progress; read and add history (never change or delete it)",
    )
    kind.add_argument("--reader", dest="kind", action="store_const", const="reader", help="read only")
    grant.add_argument("--store", default=argparse.SUPPRESS, metavar="URL")
    grant.set_defaults(handler=cmd_grant)


def _current(args: argparse.Namespace) -> StoreLocation:
    settings = config.load_config(locations.config_file())
    if settings.warning:
        warn(settings.warning)
    return parse_location(config.store_choice(getattr(args, "store", None), settings, locations.store_path()).text)


def _open(location: StoreLocation, *, label: str) -> ProgressStore:
    opened = open_store(location)
    for warning in opened.warnings:
        warn(f"{label}: {warning}")
    return opened.store


def cmd_info(args: argparse.Namespace) -> int:
    location = _current(args)
    store = _open(location, label="store")
    try:
        user = getattr(store, "user", "")
        facts = {
            "store": location.display,
            "kind": "team (PostgreSQL)" if location.is_team else "file (SQLite)",
            "user": user,
            "read_only": store.read_only_reason or "",
        }
    finally:
        store.close()
    if args.format == "json":
        print_json(facts)
    else:
        print("\n".join(f"{k:<10} {visible(v)}" for k, v in facts.items() if v))
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    source = parse_location(args.source) if args.source else parse_location(str(locations.store_path()))
    target = parse_location(args.target)
    if source.url == target.url:
        raise Bj30Error(f"--from and --to are the same store ({source})")
    if source.kind == "sqlite" and source.path is not None and not source.path.exists():
        raise Bj30Error(f"{source}: no such store file")
    from_store = _open(source, label="from")
    try:
        to_store = _open(target, label="to")
        try:
            report = copy_store(from_store, to_store, source.display)
        finally:
            to_store.close()
    finally:
        from_store.close()
    for line in report.kept_newer:
        print(f"bj30: kept newer: {visible(line, one_line=True)}", file=sys.stderr)
    print(visible(f"copied {source} -> {target}" + ("" if report.changed else " (nothing new)")))
    print("\n".join(report.lines()))
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    location = _current(args)
    if not location.is_team:
        raise Bj30Error(f"{location} is a file: grant is for a team store (postgresql://...)")
    missing = team_driver_missing()
    if missing:
        raise Bj30Error(missing)
    from tui.core.store.postgres import PgStore

    opened = PgStore.open(location)
    store = opened.store
    assert isinstance(store, PgStore)
    try:
        if store._link is None:
            raise Bj30Error(opened.warnings[0] if opened.warnings else f"{location} cannot be reached")
        store.grant(args.role, args.kind)
    finally:
        store.close()
    what = "read and change progress, read and add history" if args.kind == "officer" else "read"
    print(visible(f"{args.role} may now {what} in {location}"))
    return 0
