"""Profiles and settings: `bj30 profiles`, `bj30 profile create|set|use|rename|delete`, `bj30 config`. Core only: no Textual."""

from __future__ import annotations

import argparse

from tui.cli.common import print_json, workbench
from tui.core.config import KEYS
from tui.core.store.location import redact
from tui.core.text.safe_text import visible
from tui.core.text.textout import emit


def cmd_profiles(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        profiles = wb.profiles()
        active = wb.profile_name
    if args.format == "json":
        print_json(
            [
                {"name": p.name, "institution": p.institution, "department": p.department, "active": p.name == active}
                for p in profiles
            ]
        )
        return 0
    emit("\n".join(visible(f"{'*' if p.name == active else ' '} {p.name:<20} {p.label()}", one_line=True) for p in profiles))
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    with workbench(args) as wb:
        if args.profile_action == "create":
            p = wb.create_profile(args.name, args.institution, args.department)
            args.committed = f"profile {p.name}"
            print(visible(f"created profile {p.name!r} ({p.institution})", one_line=True))
        else:
            p = wb.update_profile(args.name, args.institution, args.department or None)
            args.committed = f"profile {p.name}"
            print(visible(f"profile {p.name!r}: {p.label()}", one_line=True))
    return 0


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
