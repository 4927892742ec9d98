"""The command table: every command's name, help and arguments, and where its handler lives.

Building the parser imports nothing of the core (and no command module): a handler is named as
"module:function" in tui/cli/ and imported only when its command runs (main). So `bj30 --help`
and `bj30 --version` cost a few milliseconds. The few values the core also defines (statuses,
formats, search groups, setting names) are written out here; tests/test_cli_parser.py checks
that they are the core's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

from tui import __version__
from tui.cli.common import FORMATS, by_option, profile_option

Commands = argparse._SubParsersAction  # type: ignore[type-arg]

STATUSES = ("todo", "doing", "done", "na")  # tui.core.progress.status.STATUSES
SEARCH_GROUPS = ("policy", "items", "notes")  # tui.core.workbench.SEARCH_GROUPS
SORTS = ("due", "owner")  # tui.core.progress.actions.SORTS
EXPORT_FORMATS = ("md", "json", "csv", "xlsx")  # tui.core.export.rows.FORMATS
CONFIG_KEYS = ("name", "profile", "store")  # tui.core.config.KEYS
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8030
DEFAULT_MAX_SESSIONS = 8  # tui.web.DEFAULT_MAX_SESSIONS
_HEADER = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")  # an HTTP header name (an RFC 9110 token)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bj30",
        description=(
            "Beijing's 30 Measures on science and technology reform (16 October 2019): "
            "read, search and check compliance in the terminal. "
            "With no command, starts the full-screen app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"bj30 {__version__}")
    parser.add_argument(
        "--profile",
        default=None,
        help="institution profile to use (default: the one in use: chosen last with `bj30 profile use` or P in the app, "
        "else 'default')",
    )
    parser.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="where progress is kept: a file, or postgresql://user@host:5432/db for a team store "
        "(default: BJ30_STORE, then `bj30 config get store`, then the file in the data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (_reference, _checklists, _actions, _evidence, _config, _export, _provisions, _serve, _store):
        group(commands)
    return parser


# Argument types -------------------------------------------------------------------------------


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from tui.core.store.model import date_problem  # only when refusing: the table imports no core

        raise argparse.ArgumentTypeError(f"{value[:40]!r} {date_problem(value)}") from None


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port {text!r} is not a number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not between 1 and 65535")
    return port


def _shown(text: str) -> str:
    """An argument quoted in an error: repr() shows control and bidi characters as escapes."""
    return repr(text[:80])


def public_url(text: str) -> str:
    """An http(s) address with a host (and perhaps a path), without its trailing slash."""
    parts = urlsplit(text.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not (parts.query or parts.fragment)
    except ValueError:
        valid = False
    if not valid:
        raise argparse.ArgumentTypeError(
            f"{_shown(text)} is not an address such as https://bj30.example.edu or http://192.0.2.2:8030"
        )
    return parts.geturl().rstrip("/")


def session_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a number") from None
    if not 1 <= count <= 1000:
        raise argparse.ArgumentTypeError(f"{count} is not between 1 and 1000")
    return count


def header_name(text: str) -> str:
    if not _HEADER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a header name (e.g. Remote-User)")
    return text


def network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(text.strip("[]"), strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not an address or network (e.g. 10.0.0.5 or 10.0.0.0/24)") from None


# The commands, by group (each group's handlers in tui/cli/<group>.py) ---------------------------


def _reference(commands: Commands) -> None:
    toc = commands.add_parser("toc", help="list the parts and their measures")
    toc.add_argument("--format", choices=FORMATS, default="text")
    toc.set_defaults(handler="reference:cmd_toc")

    show = commands.add_parser("show", help="print one measure, the notice or preamble, or a checklist item")
    show.add_argument(
        "what",
        metavar="N",
        help="a measure number 1-30, a part numeral I-V (its first measure), 'notice', 'preamble', or an item id (uni-089)",
    )
    show.add_argument("--format", choices=("text", "json", "md"), default="text")
    show.set_defaults(handler="reference:cmd_show")

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
    search.add_argument("--limit", type=positive, default=10, metavar="K", help="at most K hits per group (default 10)")
    search.add_argument("--format", choices=FORMATS, default="text")
    search.add_argument("--profile", default=argparse.SUPPRESS, help="whose notes to search (default: the profile in use)")
    search.set_defaults(handler="reference:cmd_search")

    paths = commands.add_parser("paths", help="where bj30 reads content and keeps your data")
    paths.add_argument("--format", choices=FORMATS, default="text")
    paths.add_argument("--store", default=argparse.SUPPRESS, metavar="URL", help="show where this store is")
    paths.set_defaults(handler="reference:cmd_paths")


def _checklists(commands: Commands) -> None:
    with_profile = [profile_option()]
    lists = commands.add_parser("checklists", parents=with_profile, help="list the role checklists with your progress")
    lists.add_argument("--format", choices=FORMATS, default="text")
    lists.set_defaults(handler="checklists:cmd_checklists")

    one = commands.add_parser("checklist", parents=with_profile, help="print one role's checklist items with status and notes")
    one.add_argument("role", metavar="ROLE", help="a role id, e.g. university (see: bj30 checklists)")
    one.add_argument("--format", choices=FORMATS, default="text")
    one.set_defaults(handler="checklists:cmd_checklist")

    mark = commands.add_parser(
        "mark", parents=[*with_profile, by_option()], help="set an item's status (and note); exits 0 once the change is committed"
    )
    mark.add_argument("role", metavar="ROLE")
    mark.add_argument("item", metavar="ITEM_ID")
    mark.add_argument("status", metavar="STATUS", help=f"one of: {', '.join(STATUSES)} (na needs --note)")
    mark.add_argument("--note", default=None, help="the note (for na: why the item does not apply)")
    mark.add_argument("--owner", default=None, help="who is responsible")
    mark.add_argument("--due", default=None, help="due date, e.g. 2026-12-31")
    mark.set_defaults(handler="checklists:cmd_mark")

    _profiles(commands)

    validate = commands.add_parser("validate", help="check checklist files; exit 1 with one line per problem")
    validate.add_argument("files", nargs="+", metavar="FILE", type=Path)
    validate.set_defaults(handler="checklists:cmd_validate")


def _profiles(commands: Commands) -> None:
    profiles = commands.add_parser("profiles", help="list institution profiles")
    profiles.add_argument("--format", choices=FORMATS, default="text")
    profiles.set_defaults(handler="profiles:cmd_profiles")

    profile = commands.add_parser("profile", help="create or edit an institution profile")
    actions = profile.add_subparsers(dest="profile_action", metavar="ACTION", required=True)
    for name, helptext in (("create", "create a profile"), ("set", "change a profile's institution")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("name", metavar="NAME")
        action.add_argument("--institution", required=name == "create", default=None)
        action.add_argument("--department", default="")
        action.set_defaults(handler="profiles:cmd_profile")

    use = actions.add_parser("use", help="work in this profile from now on (remembered until changed)")
    use.add_argument("name", metavar="NAME")
    use.set_defaults(handler="profiles:cmd_profile_use")

    rename = actions.add_parser("rename", help="give a profile a new name (an id), with all it holds")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(handler="profiles:cmd_profile_rename")

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
    delete.set_defaults(handler="profiles:cmd_profile_delete")


def _config(commands: Commands) -> None:
    config = commands.add_parser("config", help="your settings: name (who makes changes), profile (the one in use)")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    set_ = actions.add_parser("set", help='set a setting, e.g. bj30 config set name "Wang Li"')
    set_.add_argument("key", metavar="KEY", choices=list(CONFIG_KEYS), help=f"one of: {', '.join(CONFIG_KEYS)}")
    set_.add_argument("value", metavar="VALUE")
    set_.set_defaults(handler="profiles:cmd_config")
    get = actions.add_parser("get", help="print the settings (or one)")
    get.add_argument("key", metavar="KEY", nargs="?", choices=list(CONFIG_KEYS), default=None)
    get.set_defaults(handler="profiles:cmd_config")
    unset = actions.add_parser("unset", help="clear a setting (name: the login name is used again)")
    unset.add_argument("key", metavar="KEY", choices=list(CONFIG_KEYS))
    unset.set_defaults(handler="profiles:cmd_config")


def _actions(commands: Commands) -> None:
    actions = commands.add_parser(
        "actions", parents=[profile_option()], help="every open item (to do, doing) of the profile, by due date, with owner"
    )
    actions.add_argument("--owner", default=None, metavar="NAME", help="only this owner's (case aside)")
    actions.add_argument(
        "--due-before", type=date, default=None, metavar="DATE", help="only items due before DATE (e.g. 2026-12-31)"
    )
    actions.add_argument("--overdue", action="store_true", help="only items due before today")
    actions.add_argument(
        "--role", action="append", default=None, metavar="ROLE", help="only this role's checklist (repeat for several)"
    )
    actions.add_argument("--sort", choices=SORTS, default="due", help="by due date (default) or by owner")
    actions.add_argument("--format", choices=FORMATS, default="text")
    actions.set_defaults(handler="actions:cmd_actions")


def _evidence(commands: Commands) -> None:
    evidence = commands.add_parser("evidence", help="evidence per item: files, URLs, references")
    actions = evidence.add_subparsers(dest="evidence_action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[profile_option(), by_option()],
        help="attach a file (path, size, SHA-256, time recorded), a URL or a reference",
    )
    add.add_argument("role", metavar="ROLE")
    add.add_argument("item", metavar="ITEM_ID")
    add.add_argument("target", metavar="TARGET", help="a file, a URL (https://...) or a reference (a document number)")
    add.add_argument("--note", default="", help="what it shows, e.g. 'signed by the vice-president'")
    kind = add.add_mutually_exclusive_group()
    kind.add_argument("--file", dest="kind", action="store_const", const="file", help="TARGET is a file")
    kind.add_argument("--url", dest="kind", action="store_const", const="url", help="TARGET is a URL")
    kind.add_argument(
        "--ref",
        dest="kind",
        action="store_const",
        const="reference",
        help="TARGET is a reference, even if it looks like a file name",
    )
    add.set_defaults(handler="evidence:cmd_evidence_add", kind=None)

    listing = actions.add_parser("list", parents=[profile_option()], help="the evidence of a role's items (or one)")
    listing.add_argument("role", metavar="ROLE")
    listing.add_argument("item", metavar="ITEM_ID", nargs="?", default=None)
    listing.add_argument("--format", choices=FORMATS, default="text")
    listing.set_defaults(handler="evidence:cmd_evidence_list")

    remove = actions.add_parser(
        "remove",
        parents=[profile_option(), by_option()],
        help="remove an item's evidence number N (as `evidence list` numbers it)",
    )
    remove.add_argument("role", metavar="ROLE")
    remove.add_argument("item", metavar="ITEM_ID")
    remove.add_argument("number", metavar="N", type=int)
    remove.set_defaults(handler="evidence:cmd_evidence_remove")

    check = actions.add_parser(
        "check", parents=[profile_option()], help="read attached files again: which changed or went missing since attached"
    )
    check.add_argument("role", metavar="ROLE", nargs="?", default=None)
    check.add_argument("--format", choices=FORMATS, default="text")
    check.set_defaults(handler="evidence:cmd_evidence_check")


def _export(commands: Commands) -> None:
    export = commands.add_parser(
        "export", parents=[profile_option()], help="checklists with progress as a Markdown report, JSON, CSV or xlsx"
    )
    export.add_argument(
        "roles",
        nargs="+",
        metavar="ROLE",
        help="one role, or several for one report across them (university medical-institution)",
    )
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default=None,
        help="md (default), json, csv or xlsx; with -o and no --format, the file's extension "
        "decides, and one that is not a format bj30 writes is refused",
    )
    export.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help="write to FILE (atomically) instead of standard output"
    )
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(handler="export:cmd_export")

    imp = commands.add_parser(
        "import", parents=[profile_option(), by_option()], help="restore progress from a JSON export (newer changes are kept)"
    )
    imp.add_argument("file", metavar="FILE.json", type=Path)
    imp.add_argument(
        "--into",
        default=None,
        metavar="PROFILE",
        help="import into this profile, when it is not the profile the file was exported from",
    )
    imp.set_defaults(handler="export:cmd_import")


def _provisions(commands: Commands) -> None:
    cmd = commands.add_parser(
        "provisions",
        help="the provision register: every clause, who acts, what kind; with --role, which checklist items cover each",
    )
    cmd.add_argument(
        "--role",
        default=None,
        metavar="ROLE",
        help="only the provisions concerning ROLE, with the items of its checklist that cover each, or why it is excluded",
    )
    cmd.add_argument("--measure", type=int, default=None, metavar="N", help="only measure N")
    cmd.add_argument("--format", choices=FORMATS, default="text")
    cmd.set_defaults(handler="provisions:cmd_provisions")


def _serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[profile_option()],
        help="serve the full app to a web browser (needs bj30[web]); loopback only unless --public",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}); one other machines can reach needs --public",
    )
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument(
        "--public",
        action="store_true",
        help="allow a --host other machines reach: anyone who reaches the port uses bj30; "
        "put a reverse proxy with authentication in front",
    )
    serve.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        type=public_url,
        help="the address browsers use to reach bj30 when it is not the one they connect to "
        "(behind a reverse proxy, the proxy's); default: the address each browser used",
    )
    serve.add_argument(
        "--user-header",
        default=None,
        metavar="NAME",
        type=header_name,
        help="the request header in which the reverse proxy names the user (e.g. Remote-User); "
        "each tab records that user as who makes its changes",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        default=None,
        metavar="ADDRESS",
        type=network,
        help="an address (or network, e.g. 10.0.0.0/24) whose --user-header and X-Forwarded-* "
        "headers are believed; may be repeated (default: loopback)",
    )
    serve.add_argument(
        "--login",
        action="store_true",
        help="with a team store: each browser user signs in with their own database login",
    )
    serve.add_argument(
        "--max-sessions",
        type=session_count,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"at most N browser tabs at once, each its own app process (default {DEFAULT_MAX_SESSIONS})",
    )
    serve.set_defaults(handler="serve:cmd_serve")


def _store(commands: Commands) -> None:
    store = commands.add_parser("store", help="the progress store: where it is, copy it, give officers access")
    actions = store.add_subparsers(dest="store_action", metavar="ACTION", required=True)

    info = actions.add_parser("info", help="where the store is, who you are there, whether you can change it")
    info.add_argument("--store", default=argparse.SUPPRESS, metavar="URL")
    info.add_argument("--format", choices=FORMATS, default="text")
    info.set_defaults(handler="store:cmd_info")

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
    copy.set_defaults(handler="store:cmd_copy")

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
    grant.set_defaults(handler="store:cmd_grant")
