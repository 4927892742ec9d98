"""Profiles that stay put, and the user's settings: `bj30 profile use`, `bj30 config`. Core only: no Textual."""

from __future__ import annotations

import argparse

from tui.cli_checklists import workbench
from tui.core.config import KEYS
from tui.core.textout import emit


def register_profile_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    use = actions.add_parser("use", help="work in this profile from now on (remembered until changed)")
    use.add_argument("name", metavar="NAME")
    use.set_defaults(handler=cmd_profile_use)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = commands.add_parser("config", help="your settings: name (who makes changes), profile (the one in use)")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    set_ = actions.add_parser("set", help="set a setting, e.g. bj30 config set name \"Wang Li\"")
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
            print(f"{args.key} = {value}")
        elif args.config_action == "unset":
            wb.set_config(args.key, "")
            print(f"{args.key} cleared" + (f"; changes are recorded as {wb.who!r} (the login name)"
                                           if args.key == "name" else ""))
        else:
            shown = {"name": wb.config.get("name"), "profile": wb.config.get("profile")}
            effective = {"name": wb.who, "profile": wb.profile_name}
            keys = [args.key] if args.key else list(KEYS)
            emit("\n".join(f"{key} = {shown[key] or '(not set)'}"
                           + (f"  (in use: {effective[key]})" if effective[key] != shown[key] else "")
                           for key in keys))
    return 0
