"""`bj30 serve`: the full app in a browser, through textual-serve (the optional `bj30[web]` extra).

No Textual at import time: textual-serve is imported only when the command runs, so the rest of
the command line stays light and a missing extra is one line saying what to install.

Each browser tab gets its own `python -m tui` process, started by the server (tui/web.py) without a
shell, with this process's environment and working folder: the same XDG folders, so the same store,
checklists and UI state as `bj30` and every other command, and exports land where `bj30 serve` was
started. Who the tab's user is reaches that process as tui/served.py says.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import socket
import sys

from tui.cli.common import workbench
from tui.core.errors import Bj30Error
from tui.core.text.safe_text import visible

INSTALL_HINT = "pip install 'bj30[web]'"


def is_loopback(address: str) -> bool:
    """Whether an IP address is one only this machine reaches. A name is not an address: see listen_addresses."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def listen_addresses(host: str) -> list[str]:
    """The addresses `--host` means: an address as given ("" is every address); a name as it
    resolves now. A name is never trusted as such: where `localhost` resolves to 0.0.0.0, serving
    on it would listen to every machine. The server listens on exactly the addresses checked."""
    if host == "":
        return ["0.0.0.0"]
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return [host]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not addresses:
        raise OSError(f"{host} has no IPv4 or IPv6 address")
    return list(dict.fromkeys(addresses))


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): say it generically
        return "the user who started it"


def refusal(host: str, addresses: list[str] | None = None) -> str:
    resolved = f" ({host} is {', '.join(addresses)} here)" if addresses and addresses != [host] else ""
    return (
        f"refusing to serve on {host}{resolved} without --public: anyone who reaches it would use bj30 as "
        f"{_user()}; serve on 127.0.0.1, or put a reverse proxy with authentication in front and add --public"
    )


def public_warning(host: str, port: int, identified: bool) -> str:
    if identified:
        return (
            f"warning: serving on {host}:{port} beyond this machine: only a reverse proxy with "
            f"authentication should reach this port; it runs bj30 as {_user()}, with that user's files"
        )
    return (
        f"warning: serving on {host}:{port} beyond this machine: anyone who reaches this port uses bj30 as "
        f"{_user()}, with that user's checklists, store and files; a reverse proxy with authentication "
        f"belongs in front of it"
    )


def app_argv(profile: str | None) -> list[str]:
    """The command the server runs for each browser tab, as arguments (no shell ever reads it):
    this interpreter's installed bj30. On 3.11+ -P keeps a `tui` folder in the working folder from
    shadowing the installed package."""
    argv = [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-m", "tui"]
    if profile:
        argv += ["--profile", profile]
    return argv


def _announce(host: str, addresses: list[str], port: int, public_url: str | None) -> str:
    """Where the start-up line says bj30 is: the public URL, or an address a browser can open."""
    if public_url:
        return public_url
    if any(ipaddress.ip_address(a.split("%", 1)[0]).is_unspecified for a in addresses):
        return f"port {port} of every address of this machine"
    shown = host if host and not host[0].isdigit() and ":" not in host else addresses[0]
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def cmd_serve(args: argparse.Namespace) -> int:
    host: str = args.host.strip("[]")  # [::1] as in a URL is ::1 to bind to
    try:
        addresses = listen_addresses(host)
    except (OSError, UnicodeError) as exc:
        print(f"bj30: cannot serve on {visible(host, one_line=True)}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    local = all(is_loopback(address) for address in addresses)
    if not local and not args.public:
        print(f"bj30: {visible(refusal(host, addresses), one_line=True)}", file=sys.stderr)
        return 2
    profile: str | None = getattr(args, "profile", None)
    extra_env: dict[str, str] = {}
    store_text: str | None = getattr(args, "store", None)
    with workbench(args) as wb:
        team = wb.location.is_team
        if args.user_header and team:
            raise Bj30Error(
                "--user-header cannot say who changes a team store: the database records its own user "
                "for each change; use --login, so that each browser user signs in as themselves"
            )
        if args.login and not team:
            raise Bj30Error(
                f"--login is for a team store (postgresql://...); the store here is the file {wb.location}: "
                "use --user-header behind a reverse proxy to record who makes each change"
            )
        if args.login:
            # Each tab signs in as its user: it gets the store without the server's own login.
            from tui.core.store.location import with_login

            extra_env["BJ30_STORE"] = with_login(wb.location.url, None)
        else:
            wb.use_profile(wb.profile_name)  # an unknown --profile fails here, not in every browser tab
            if store_text:
                # The app in each tab inherits it through the environment: off every command line.
                extra_env["BJ30_STORE"] = store_text
    try:
        from tui.web import LOOPBACK_NETWORKS, Settings, serve
    except ImportError as exc:
        missing = f" ({exc.name} is not installed)" if exc.name else ""
        print(f"bj30: serving in a browser needs the web extra{missing}: {INSTALL_HINT}", file=sys.stderr)
        return 1
    if not local:
        print(f"bj30: {public_warning(host, args.port, bool(args.user_header or args.login))}", file=sys.stderr)
    public_url: str | None = args.public_url
    settings = Settings(
        argv=tuple(app_argv(profile)),
        addresses=tuple(addresses),
        port=args.port,
        public_url=public_url,
        user_header=args.user_header,
        trusted_proxies=tuple(args.trusted_proxy) if args.trusted_proxy else LOOPBACK_NETWORKS,
        login=args.login,
        max_sessions=args.max_sessions,
        announce=_announce(host, addresses, args.port, public_url),
        extra_env=extra_env,
    )
    return serve(settings)
