"""What the commands share: the --profile/--store and --by options, the Workbench every command
goes through, and printing (JSON, profile headings).

Cheap to import (the parser uses the options): the core is imported inside the functions that
need it, when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.progress.profile import Profile
    from tui.core.workbench import Workbench

FORMATS = ("text", "json")


def profile_option() -> argparse.ArgumentParser:
    """--profile after the command too (`bj30 mark ... --profile pku`), not only before it."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--profile",
        default=argparse.SUPPRESS,
        help="institution profile (default: the one in use: chosen last with `bj30 profile use` or P in the app, else 'default')",
    )
    parent.add_argument(
        "--store",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="the store: a file or postgresql://user@host:5432/db (see bj30 --help)",
    )
    return parent


def by_option() -> argparse.ArgumentParser:
    """--by NAME: who makes the change, when it is not the configured name (bj30 config set name)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--by", default=None, metavar="NAME", help="who makes the change (default: bj30 config set name, else the login name)"
    )
    return parent


@contextmanager
def workbench(args: argparse.Namespace) -> Iterator[Workbench]:
    """The same workbench the app drives, for --profile and --store. Problems with user checklist
    files and the store (damaged, read-only) go to stderr, even when the command fails; nothing stops."""
    from tui.core.content.policy_loader import load_policy
    from tui.core.store.model import READ_ONLY, ReadOnlyStore
    from tui.core.text.textout import warn
    from tui.core.workbench import Workbench

    wb = Workbench.at_default_locations(
        load_policy(), profile=getattr(args, "profile", None), by=getattr(args, "by", None), store=getattr(args, "store", None)
    )
    refused = False
    try:
        yield wb
    except ReadOnlyStore:
        refused = True  # the error says why (a full disk, a read-only folder): once is enough
        raise
    finally:
        for warning in wb.take_warnings():
            if not (refused and warning.startswith(READ_ONLY)):
                warn(warning)
        wb.close()


def print_json(value: Any) -> None:
    from tui.core.text.safe_text import json_text
    from tui.core.text.textout import ascii_json, can_encode, emit

    text = json_text(value)
    emit(text if can_encode(text, sys.stdout) else ascii_json(text))


def profile_heading(profile: Profile) -> str:
    """How CLI text names the profile in its heading: the institution, and the profile's id."""
    if not profile.institution:
        return f"Profile {profile.name} (no institution set)"
    return f"{profile.label()} (profile {profile.name})"
