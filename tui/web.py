"""Serving the app to browsers with textual-serve. Importing this module needs the `bj30[web]` extra.

textual-serve runs one app process per browser tab and relays its screen and keys over a
websocket. bj30 keeps its protocol, its app side (Textual's web driver) and its JavaScript, and
replaces the parts of its server that decide who may connect and what the page asks for:

- The page: bj30's copy of textual-serve's template (tui/web_page/index.html), with every address
  taken from the request (the Host the browser used, or a trusted proxy's X-Forwarded-Host and
  -Proto) unless `--public-url` says otherwise, and the font served from here, never Google's.
- Who may connect: a Host that names this machine (not some other name pointing at it, as in DNS
  rebinding), a websocket whose Origin is the page's own (any other site's page is refused:
  cross-site websocket hijacking), and with `--user-header` a request from a trusted proxy that
  names its user. At most `--max-sessions` tabs at once.
- Each tab's app runs without a shell, with its user's name in its environment, the Textual
  driver of tui/web_driver.py (it ends when this server does), and a bounded size; when the tab
  goes, its app is asked to quit and is ended if it does not.
- The log: one line per request or event, control characters shown, never a traceback.

Shutdown (Ctrl+C or SIGTERM) ends every session itself, since aiohttp would wait a minute for the
tabs' websockets: each app is told to quit, the server waits a few seconds, and whatever app
process is still running after that is terminated with psutil, so no bj30 outlives the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ipaddress
import json
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import psutil
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

from tui.core.config import ConfigError, check_person
from tui.core.text.safe_text import visible
from tui.served import LOGIN_ENV, SERVED_ENV, USER_ENV

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK_NETWORKS: tuple[IPNetwork, ...] = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))

# How long a tab's websocket gets to close once the server stops (a hung tab is not waited for
# longer); how long the apps get to quit on their own (a normal quit takes well under a second,
# and the wait ends as soon as they have: the grace is for a machine under load, where starting
# Python and Textual's shutdown can take seconds); how long a terminated one gets before it is
# killed.
SESSION_GRACE_S = 3.0
QUIT_GRACE_S = 15.0
TERMINATE_GRACE_S = 5.0
# Each tab is one app process (57 MB measured once drawn); 40 tabs once took 1.2 GB or more. Enough for an office.
DEFAULT_MAX_SESSIONS = 8
# The largest screen a tab may ask for: a 4K display in a small font. 4000 x 4000 cells made an app
# draw 16 MB per frame, without end.
MAX_COLUMNS = 500
MAX_ROWS = 200
DRIVER = "tui.web_driver:Bj30WebDriver"
# With --login: libpq's variables that would let a tab log in as someone other than who signs in.
NO_LOGIN_ENV = ("PGUSER", "PGPASSWORD", "PGSERVICE", "PGSSLPASSWORD")
_NOWHERE = "/nonexistent/bj30-no-server-login"
NOWHERE_ENV = {"PGPASSFILE": _NOWHERE, "PGSERVICEFILE": _NOWHERE, "PGSSLCERT": _NOWHERE, "PGSSLKEY": _NOWHERE}
# A Host header: a name or IPv4 address, or a bracketed IPv6 address, and a port.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?")
PR_SET_PDEATHSIG = 1

log = logging.getLogger("bj30.serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Settings:
    """What `bj30 serve` was asked for, checked by tui/cli/serve.py."""

    argv: tuple[str, ...]  # the app each tab runs, as a list of arguments: no shell ever reads it
    addresses: tuple[str, ...]  # the addresses to listen on (names resolved and checked already)
    port: int
    public_url: str | None = None  # where browsers reach bj30 when not where they connect (a proxy)
    user_header: str | None = None  # the request header naming the user (--user-header)
    trusted_proxies: tuple[IPNetwork, ...] = LOOPBACK_NETWORKS
    login: bool = False  # each tab asks for its user's team-store login
    max_sessions: int = DEFAULT_MAX_SESSIONS
    title: str = "bj30"
    announce: str = ""  # where the start-up line says it serves
    extra_env: dict[str, str] = field(default_factory=dict)


class Refused(Exception):
    """A request bj30 will not serve: the status and one line saying why (the log's and the page's)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# Addresses and names ------------------------------------------------------------------


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def machine_addresses() -> set[str]:
    """Every IP address of this machine's network interfaces."""
    found: set[str] = set()
    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if entry.family in (socket.AF_INET, socket.AF_INET6):
                found.add(entry.address.split("%", 1)[0])
    return found


def machine_names() -> set[str]:
    names = {"localhost"}
    with contextlib.suppress(OSError):
        names.add(socket.gethostname().lower())
        names.add(socket.getfqdn().lower())
    return names


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL or an Origin header, the port filled in; None if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def content_disposition(file_name: str) -> str:
    """An attachment header any browser reads right, whatever the name holds (RFC 6266, RFC 5987)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in file_name) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


# The log ------------------------------------------------------------------------------


class OneLine(logging.Formatter):
    """Every record on one line, control characters shown (a header can hold anything), and an
    exception as its type and message, never a traceback (nor the locals rich would print:
    keystrokes, a password typed in a tab, pass through this server)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message = f"{message} ({type(exc).__name__}: {exc})"
        message = visible(" ".join(message.split()), one_line=True)
        return message if record.name == "aiohttp.access" else f"bj30: {message}"


def setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # textual-serve's own messages (an app that failed to start) say the same in fewer words here.
    logging.getLogger("textual-serve").setLevel(logging.WARNING)


# One tab ------------------------------------------------------------------------------


def _end_with_server(server_pid: int) -> Callable[[], None]:
    """In the app's process before it starts (Linux): SIGTERM it when the server dies, whatever the
    way (kill -9 included). The app's driver also quits when the server's pipe closes."""

    def arrange() -> None:
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != server_pid:  # the server died before the request took effect
            os._exit(1)

    return arrange


class Session(AppService):
    """One browser tab's app: textual-serve's AppService, started without a shell, told who its user
    is, and always ended when the tab goes."""

    def __init__(
        self,
        settings: Settings,
        websocket: web.WebSocketResponse,
        download_manager: DownloadManager,
        user: str | None,
    ) -> None:
        super().__init__(
            shlex.join(settings.argv),
            write_bytes=self._to_browser,
            write_str=self._text_to_browser,
            close=self._close_browser,
            download_manager=download_manager,
        )
        self.settings = settings
        self.websocket = websocket
        self.user = user

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.update(self.settings.extra_env)
        environment["TEXTUAL_DRIVER"] = DRIVER
        environment[SERVED_ENV] = "1"
        # Set or removed for every tab: never a name left over from the server's own environment.
        for name, value in ((USER_ENV, self.user), (LOGIN_ENV, "1" if self.settings.login else None)):
            if value:
                environment[name] = value
            else:
                environment.pop(name, None)
        if self.settings.login:
            # Each user signs in with what they type, never with the server user's own ways in
            # (libpq would use them for any user name typed: a password in the environment,
            # ~/.pgpass, a service file, ~/.postgresql's client certificate).
            for name in NO_LOGIN_ENV:
                environment.pop(name, None)
            environment.update(NOWHERE_ENV)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        preexec = _end_with_server(os.getpid()) if sys.platform.startswith("linux") else None
        self._process = process = await asyncio.create_subprocess_exec(
            *self.settings.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            preexec_fn=preexec,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def _close_browser(self) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.websocket.close()

    async def _to_browser(self, data: bytes) -> None:
        # A tab that has gone gets nothing more; the app's output is still read (and dropped), so
        # that the app never blocks writing and can hear that it should quit.
        if self.websocket.closed:
            return
        try:
            await self.websocket.send_bytes(data)
        except (ConnectionError, RuntimeError):
            pass  # it went while we wrote; the websocket handler says so once

    async def _text_to_browser(self, text: str) -> None:
        if self.websocket.closed:
            return
        try:
            await self.websocket.send_str(text)
        except (ConnectionError, RuntimeError):
            pass

    async def stop(self) -> None:
        """Ask the app to quit; end it if it does not in time. Waits until it has exited."""
        task, process = self._task, self._process
        self._task = None
        if task is None or process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        if not await _within(process.wait(), QUIT_GRACE_S):
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            if not await _within(process.wait(), TERMINATE_GRACE_S):
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if not await _within(asyncio.shield(task), TERMINATE_GRACE_S):
            task.cancel()  # its output is held open by something else: stop reading it


async def _within(awaitable: Awaitable[Any], seconds: float) -> bool:
    """Whether `awaitable` finished within `seconds` (its own errors count as finished)."""
    try:
        await asyncio.wait_for(awaitable, seconds)
    except TimeoutError:
        return False
    except Exception:  # noqa: BLE001 - done, one way or another; the session reports its end itself
        pass
    return True


def _bounded(value: Any, default: int, most: int) -> int:
    try:
        return max(1, min(int(value), most))
    except (TypeError, ValueError, OverflowError):
        return default


def _size(asked: Any) -> tuple[int, int]:
    """The terminal size a tab asks for (a query or a resize message), within MAX_COLUMNS x MAX_ROWS."""
    return _bounded(asked.get("width"), 80, MAX_COLUMNS), _bounded(asked.get("height"), 24, MAX_ROWS)


# The server ---------------------------------------------------------------------------


class Bj30Server(Server):
    """textual-serve's server, deciding who may connect and ending every session it started."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            shlex.join(settings.argv),
            host=settings.addresses[0],
            port=settings.port,
            title=settings.title,
            public_url=settings.public_url,
        )
        self.settings = settings
        self._sessions: dict[asyncio.Task[Any], Session] = {}
        bound = [_ip(address) for address in settings.addresses]
        self._everywhere = any(ip is None or ip.is_unspecified for ip in bound)
        self._loopback_only = all(ip is not None and ip.is_loopback for ip in bound)
        self._names = machine_names() | {a.lower() for a in settings.addresses if _ip(a) is None}
        public = origin_of(settings.public_url) if settings.public_url else None
        if public is not None:
            self._names.add(public[1].strip("[]"))
        self._public_origin = public
        self._page = jinja2.Environment(autoescape=True).from_string(
            files("tui").joinpath("web_page", "index.html").read_text(encoding="utf-8")
        )

    # Start and stop -------------------------------------------------------------------

    def initialize_logging(self) -> None:
        setup_logging()

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                # No listing of the folder (textual-serve showed one), and only what is in it.
                web.static("/static", self.statics_path, show_index=False, follow_symlinks=False, name="static"),
            ]
        )
        app.on_response_prepare.append(self._headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            host=list(self.settings.addresses),
            port=self.settings.port,
            handle_signals=False,
            loop=loop,
            print=lambda *args: None,
            access_log_format='%a "%r" %s %b',
        )

    async def on_startup(self, app: web.Application) -> None:
        where = visible(self.settings.announce or self.public_url, one_line=True)
        print(f"bj30: serving the app on {where} (Ctrl+C stops)", file=sys.stderr, flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        deadline = asyncio.get_running_loop().time() + QUIT_GRACE_S
        sessions = set(self._sessions)
        for task in sessions:
            task.cancel()
        if sessions:
            _, pending = await asyncio.wait(sessions, timeout=SESSION_GRACE_S)
            # Still pending: a tab that does not answer the websocket's close (aiohttp waits 10 s
            # for it) or an app slow to quit (terminated once the server stops). Wait for neither.
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
        # Wait until asyncio has reaped the apps (not merely seen them exit), while its event loop
        # still runs to hear of it and close their pipes; what is left then is ended in serve().
        loop = asyncio.get_running_loop()
        apps = psutil.Process().children()
        while any(process.is_running() for process in apps) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        # The reaping threads' word to the loop comes just after (asyncio's child watcher: one
        # "waitpid-N" thread per app, ending once it has told the loop). On a busy machine that
        # can take a while: wait for them, or a closed loop would be told of an exit later.
        told = loop.time() + 2.0
        while any(t.name.startswith("waitpid-") and t.is_alive() for t in threading.enumerate()) and loop.time() < told:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.05)

    # Who may connect ------------------------------------------------------------------

    def _trusted(self, request: web.Request) -> bool:
        address = _ip(request.remote or "")
        return address is not None and any(address in network for network in self.settings.trusted_proxies)

    def _serves(self, host: str) -> bool:
        """Whether `host` (a Host header's name or address) is this server's. An address is, if the
        server listens beyond loopback (the browser connected to it; no other site's page can
        pose as an address); a name only if it is this machine's or --public-url's, so that a
        name someone else controls cannot be pointed here (DNS rebinding)."""
        address = _ip(host)
        if address is not None:
            return address.is_loopback or not self._loopback_only
        return host.lower() in self._names

    def base_url(self, request: web.Request) -> str:
        """Where the browser reached bj30 (no trailing slash): --public-url, else the request's
        Host (a trusted proxy's X-Forwarded-Host and -Proto), once checked to be this server's."""
        host = request.headers.get("Host", "")
        scheme = request.scheme
        forwarded = ""
        if self._trusted(request):
            forwarded = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
            host = forwarded or host
            proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
            scheme = proto if proto in ("http", "https") else scheme
        match = _HOST.fullmatch(host)
        if match is None:
            raise Refused(400, f"refused a request for host {host[:80]!r}: not a host name")
        name = match.group(1).strip("[]")
        # A trusted proxy's own name for bj30 is believed: the proxy chose to pass the request on.
        if not forwarded and not self._serves(name):
            raise Refused(
                421,
                f"refused a request for {name[:80]}: not a name of this machine; "
                f"to serve under that name, start bj30 serve with --public-url {scheme}://{host[:80]}",
            )
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        return f"{scheme}://{host}"

    def _check_origin(self, request: web.Request, base: str) -> None:
        origin = request.headers.get("Origin")
        seen = origin_of(origin) if origin else None
        allowed = {origin_of(base), self._public_origin}
        if seen is None or seen not in allowed:
            shown = "none" if origin is None else repr(origin[:80])
            raise Refused(403, f"refused a session from origin {shown}: only pages from {base} may drive bj30")

    def _user(self, request: web.Request) -> str | None:
        header = self.settings.user_header
        if not header:
            return None
        if not self._trusted(request):
            raise Refused(
                403,
                f"refused {request.remote}: bj30 takes who you are from the {header} header of its "
                f"trusted proxies only (--trusted-proxy), and this request came from elsewhere",
            )
        value = request.headers.get(header, "")
        try:
            return check_person(value)
        except ConfigError as exc:
            raise Refused(403, f"refused a request whose {header} header names no usable user: {exc}") from None

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            request["bj30_user"] = self._user(request)
            request["bj30_base"] = self.base_url(request)
            return await handler(request)
        except Refused as refused:
            log.warning(refused.reason)
            return web.Response(status=refused.status, text=f"bj30: {refused.reason}\n")

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")  # no page may frame bj30 to steer its clicks

    # The page ---------------------------------------------------------------------------

    @property
    def full(self) -> bool:
        return len(self._sessions) >= self.settings.max_sessions

    def full_reason(self) -> str:
        n = self.settings.max_sessions
        return f"bj30 is full: {n} of {n} sessions in use. Close a bj30 tab, then Restart."

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            log.warning(f"refused a page for {request.remote}: {self.full_reason()}")
            return web.Response(status=503, text=f"{self.full_reason()}\n", headers={"Retry-After": "30"})
        base = request["bj30_base"]
        scheme = base.split(":", 1)[0]
        websocket_base = ("wss:" if scheme == "https" else "ws:") + base.split(":", 1)[1]
        nonce = secrets.token_urlsafe(16)
        font_size = _bounded(request.query.get("fontsize"), 16, 64)
        html = self._page.render(
            title=self.title,
            static_url=f"{base}/static/",
            websocket_url=f"{websocket_base}/ws",
            base_path=urlsplit(base).path.rstrip("/"),
            font_size=font_size,
            nonce=nonce,
        )
        origin = base if not urlsplit(base).path else base[: -len(urlsplit(base).path)]
        policy = "; ".join(
            [
                "default-src 'none'",
                f"script-src 'nonce-{nonce}'",
                f"style-src 'self' {origin} 'unsafe-inline'",
                f"font-src 'self' {origin}",
                f"img-src 'self' {origin} data: blob:",
                f"connect-src 'self' {origin} {websocket_base.split('/', 3)[0]}//{websocket_base.split('/', 3)[2]}",
                "base-uri 'none'",
                "form-action 'none'",
                "frame-ancestors 'none'",
            ]
        )
        return web.Response(
            text=html,
            content_type="text/html",
            headers={"Content-Security-Policy": policy, "Cache-Control": "no-store"},
        )

    # A tab's session --------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:  # type: ignore[override]
        self._check_origin(request, request["bj30_base"])
        width, height = _size(request.query)
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.full:
            log.warning(f"refused a session for {request.remote}: {self.full_reason()}")
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=self.full_reason().encode())
            return websocket
        task = asyncio.current_task()
        assert task is not None
        session = Session(self.settings, websocket, self.download_manager, request["bj30_user"])
        self._sessions[task] = session
        ended = "the tab closed it"
        try:
            await session.start(width, height)
            await self._relay(websocket, session)
        except asyncio.CancelledError:
            ended = "bj30 serve is stopping"
            with contextlib.suppress(Exception):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"bj30 stopped serving.")
        except Exception as exc:  # noqa: BLE001 - a tab that drops mid-write is normal: one line, no traceback
            ended = f"the connection broke ({type(exc).__name__}: {exc})"
        finally:
            try:
                await session.stop()
            finally:
                self._sessions.pop(task, None)
                with contextlib.suppress(Exception):
                    await websocket.close()
        who = f" of {session.user}" if session.user else ""
        log.info(f"session{who} from {request.remote} ended: {ended}")
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """The tab's keys, size and focus to its app; anything malformed is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(*_size(data))
            elif kind == "ping":
                await websocket.send_json(["pong", str(data)[:32]])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            download = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="bj30: this download is over, or was never offered\n") from None
        owner = getattr(download.app_service, "user", None)
        if self.settings.user_header and owner != request["bj30_user"]:
            raise web.HTTPNotFound(text="bj30: this download is over, or was never offered\n")  # another user's
        content_type = download.mime_type or "application/octet-stream"
        if download.encoding and "charset" not in content_type:
            content_type += f"; charset={download.encoding}"
        response = web.StreamResponse(
            headers={
                "Content-Type": content_type,
                # Always a download, never shown in a tab: a file shown here would run in bj30's origin.
                "Content-Disposition": content_disposition(download.file_name),
                "Cache-Control": "no-store",
            }
        )
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response


# Running it ---------------------------------------------------------------------------


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE  # a zombie has quit; only its exit status is left
    except psutil.NoSuchProcess:
        return False


def end_processes(processes: list[psutil.Process]) -> list[int]:
    """Terminate, then kill, those of `processes` still running; the ids of those that were."""
    running = [process for process in processes if _running(process)]
    for process in running:
        try:
            process.terminate()  # the app's web driver quits cleanly on SIGTERM
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(running, timeout=TERMINATE_GRACE_S)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=TERMINATE_GRACE_S)
    return [process.pid for process in running]


def check_bind(addresses: Iterable[str], port: int) -> str | None:
    """Why the server cannot listen on every one of `addresses` (one line), or None."""
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        try:
            # Bind once first: a taken port or a foreign address is then one line before anything
            # is announced.
            socket.create_server((address, port), family=family, reuse_port=False).close()
        except OSError as exc:
            return f"cannot serve on {address}:{port}: {exc.strerror or exc}"
    return None


def serve(settings: Settings) -> int:
    problem = check_bind(settings.addresses, settings.port)
    if problem:
        print(f"bj30: {problem}", file=sys.stderr)
        return 1
    server = Bj30Server(settings)
    try:
        server.serve()
    except OSError as exc:  # the port was taken meanwhile
        print(f"bj30: cannot serve on port {settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except web.GracefulExit:
        pass  # a second Ctrl+C while stopping: stop waiting for the apps (they are ended below)
    finally:
        leftovers = end_processes(psutil.Process().children(recursive=True))
        if leftovers:
            print(f"bj30: stopped {len(leftovers)} app process(es) that did not quit in time", file=sys.stderr)
    print("bj30: stopped serving", file=sys.stderr)
    return 0
