"""Profiles that stay put, and the user's settings: `bj30 profile use`, `bj30 config`. Core only: no Textual."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli.checklists import workbench
from tui.core.config import KEYS
from tui.core.store.location import redact
from tui.core.text.safe_text import visible
from tui.core.text.textout import emit


def register_profile_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    use = actions.add_parser("use", help="work in this profile from now on (remembered until changed)")
    use.add_argument("name", metavar="NAME")
    use.set_defaults(handler=cmd_profile_use)
    register_more(actions)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = commands.add_parser("config", help="your settings: name (who makes changes), profile (the one in use)")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    set_ = actions.add_parser("set", help='set a setting, e.g. bj30 config set name "Wang Li"')
    set_.add_argument("key", metavar="KEY", choices=list(KEYS), help=f"one of: {', '.join(KEYS)}")
    set_.add_argument("value", metavar="VALUE")
    set_.set_defaults(handler=cmd_config)
    get = actions.add_parser("get", help="print the settings (or one)")
    get.add_argument("key", metavar="KEY", nargs="?", choices=list(KEYS), default=None)
    get.set_defaults(handler=cmd_config)
    unset = actions.add_parser("unset", help="clear a setting (name: the login name is used again)")
    unset.add_argument("key", metavar="KEY", choices=list(KEYS))
    unset.set_defaults(handler=cmd_config)


def cmd_profile_use(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        p = wb.remember_profile(args.name)
    print(f"using profile {p.name!r} from now on: {p.label()}")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        if args.config_action == "set":
            value = wb.set_config(args.key, args.value)
            print(f"{args.key} = {redact(value) if args.key == 'store' else value}")  # never a password
        elif args.config_action == "unset":
            wb.set_config(args.key, "")
            print(
                f"{args.key} cleared" + (f"; changes are recorded as {wb.who!r} (the login name)" if args.key == "name" else "")
            )
        else:
            shown = {
                "name": wb.config.get("name"),
                "profile": wb.config.get("profile"),
                "store": redact(wb.config.get("store")) if wb.config.get("store") else "",
            }
            effective = {"name": wb.who, "profile": wb.profile_name, "store": wb.location.display}
            keys = [args.key] if args.key else [k for k in KEYS if k != "store" or shown["store"] or wb.store_source != "default"]
            emit(
                "\n".join(
                    f"{key} = {shown[key] or '(not set)'}"
                    + (f"  (in use: {effective[key]})" if effective[key] != shown[key] else "")
                    for key in keys
                )
            )
    return 0


def register_more(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rename = actions.add_parser("rename", help="give a profile a new name (an id), with all it holds")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(handler=cmd_profile_rename)
    delete = actions.add_parser("delete", help="delete a profile; one that holds progress needs --archive FILE.json")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument(
        "--archive",
        type=Path,
        default=None,
        metavar="FILE.json",
        help="write the profile's JSON export here first (bj30 import restores it)",
    )
    delete.add_argument("--force", action="store_true", help="overwrite the archive file if it exists")
    delete.set_defaults(handler=cmd_profile_delete)


def cmd_profile_rename(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        p = wb.rename_profile(args.old, args.new)
        args.committed = f"the rename of profile {args.old}"
    print(visible(f"profile {args.old!r} is now {p.name!r}: {p.label()}", one_line=True))
    return 0


def cmd_profile_delete(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        archived = wb.delete_profile(args.name, args.archive, args.force)
        args.committed = f"the deletion of profile {args.name}"
    where = f"; its export is in {archived} (bj30 import {archived} --into NAME restores it)" if archived else ""
    print(visible(f"deleted profile {args.name!r}{where}", one_line=True))
    return 0
