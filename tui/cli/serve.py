"""`bj30 serve`: the full app in a browser, through textual-serve (the optional `bj30[web]` extra).

No Textual at import time: textual-serve is imported only when the command runs, so the rest of
the command line stays light and a missing extra is one line saying what to install.

Each browser tab gets its own `python -m tui` process, started by textual-serve with this
process's environment and working folder: the same XDG folders, so the same store, checklists
and UI state as `bj30` and every other command, and exports land where `bj30 serve` was started.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import shlex
import socket
import sys

from tui.cli.common import workbench

INSTALL_HINT = "pip install 'bj30[web]'"


def is_loopback(host: str) -> bool:
    """Only addresses that other machines cannot reach count; a name other than localhost does not,
    because what it resolves to can change (and 0.0.0.0 or '' listen everywhere)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_public_url(host: str, port: int) -> str:
    """Where browsers find the server; the page tells them to open its websocket there. A wildcard
    address is no place to connect to, so other machines are pointed at this machine's name."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host == "" or (address is not None and address.is_unspecified):
        host = socket.getfqdn()
    elif address is not None and address.version == 6:
        host = f"[{address}]"
    return f"http://{host}:{port}"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): say it generically
        return "the user who started it"


def refusal(host: str) -> str:
    return (
        f"refusing to serve on {host} without --public: anyone who reaches it would use bj30 as "
        f"{_user()}; serve on 127.0.0.1, or put a reverse proxy with authentication in front and add --public"
    )


def public_warning(host: str, port: int) -> str:
    return (
        f"warning: serving on {host}:{port} beyond this machine: anyone who reaches this port uses bj30 as "
        f"{_user()}, with that user's checklists, store and files; a reverse proxy with authentication "
        f"belongs in front of it"
    )


def app_command(profile: str | None) -> str:
    """The shell command textual-serve runs per browser tab: this interpreter's installed bj30.

    `exec` replaces the shell textual-serve starts it with, so the process it stops on exit is the
    app itself and no shell is left waiting. On 3.11+ -P keeps a `tui` folder in the working
    folder from shadowing the installed package."""
    argv = [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-m", "tui"]
    if profile:
        argv += ["--profile", profile]
    return "exec " + shlex.join(argv)


def cmd_serve(args: argparse.Namespace) -> int:
    host: str = args.host.strip("[]")  # [::1] as in a URL is ::1 to bind to
    if not is_loopback(host) and not args.public:
        print(f"bj30: {refusal(host)}", file=sys.stderr)
        return 2
    profile: str | None = getattr(args, "profile", None)
    if getattr(args, "store", None):
        # The app in each tab inherits the environment: a URL's password stays off command lines.
        os.environ["BJ30_STORE"] = args.store
    with workbench(args) as wb:
        wb.use_profile(wb.profile_name)  # an unknown --profile fails here, not in every browser tab
    try:
        from tui.web import serve
    except ImportError as exc:
        missing = f" ({exc.name} is not installed)" if exc.name else ""
        print(f"bj30: serving in a browser needs the web extra{missing}: {INSTALL_HINT}", file=sys.stderr)
        return 1
    if not is_loopback(host):
        print(f"bj30: {public_warning(host, args.port)}", file=sys.stderr)
    public_url = args.public_url or default_public_url(host, args.port)
    return serve(app_command(profile), host=host, port=args.port, public_url=public_url.rstrip("/"))
