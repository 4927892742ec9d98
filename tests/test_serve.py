"""`bj30 serve`: who may reach it, what it says without the web extra, and that Ctrl+C leaves no app behind."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli
from tests.serving import assert_stopped_cleanly, bj30, require_web_extra, serving, wait_for_exit
from tui.cli import serve as cli_serve


class FakeServe:
    """Stands in for tui.web.serve: records what the command would have served."""

    def __init__(self) -> None:
        self.calls: list[Any] = []

    def __call__(self, settings: Any) -> int:
        self.calls.append(settings)
        return 0


@pytest.fixture
def fake_serve(monkeypatch: pytest.MonkeyPatch) -> FakeServe:
    require_web_extra()
    import tui.web

    fake = FakeServe()
    monkeypatch.setattr(tui.web, "serve", fake)
    return fake


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1"])
def test_loopback_addresses(address: str) -> None:
    assert cli_serve.is_loopback(address)


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "", "192.168.1.20", "10.0.0.1", "localhost", "my-laptop"])
def test_other_addresses_and_every_name_are_not_loopback_as_such(address: str) -> None:
    assert not cli_serve.is_loopback(address)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", ""])
def test_non_loopback_host_is_refused_without_public(capsys: pytest.CaptureFixture[str], host: str) -> None:
    code, out, err = run_cli(capsys, "serve", "--host", host)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"bj30: refusing to serve on {host}")
    assert " without --public: anyone who reaches it would use bj30 as" in err and "reverse proxy with authentication" in err


def fake_resolver(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> None:
    """getaddrinfo as a machine whose hosts file says `names` (name -> addresses)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in names[host]]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_is_trusted_only_for_what_it_resolves_to(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fake_serve: FakeServe
) -> None:
    # Where localhost resolves to 0.0.0.0, serving "on localhost" would listen to every machine.
    fake_resolver(monkeypatch, {"localhost": ["0.0.0.0"], "lab-box": ["127.0.0.1", "::1"], "intranet": ["10.1.2.3"]})
    code, out, err = run_cli(capsys, "serve", "--host", "localhost")
    assert code == 2 and out == "" and fake_serve.calls == []
    assert err.startswith("bj30: refusing to serve on localhost (localhost is 0.0.0.0 here) without --public: ")
    assert len(err.splitlines()) == 1
    assert run_cli(capsys, "serve", "--host", "intranet")[0] == 2 and fake_serve.calls == []
    # A name that resolves to loopback only is served, on exactly the addresses checked.
    assert run_cli(capsys, "serve", "--host", "lab-box")[0] == 0
    assert fake_serve.calls[-1].addresses == ("127.0.0.1", "::1")
    # With --public, a name is served where it resolves, with the warning.
    code, _, err = run_cli(capsys, "serve", "--host", "localhost", "--public")
    assert code == 0 and fake_serve.calls[-1].addresses == ("0.0.0.0",) and "warning: serving on localhost" in err


def test_a_name_that_does_not_resolve_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fails)
    code, _, err = run_cli(capsys, "serve", "--host", "no-such-host\x1b]0;x")
    assert "\x1b" not in err  # a control character is shown, not sent
    assert code == 2 and err.startswith("bj30: cannot serve on no-such-host") and len(err.splitlines()) == 1


def test_public_serves_with_a_warning(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    code, out, err = run_cli(capsys, "serve", "--host", "0.0.0.0", "--port", "9001", "--public")
    assert code == 0
    assert err.startswith(
        "bj30: warning: serving on 0.0.0.0:9001 beyond this machine: anyone who reaches this port uses bj30 as "
    )
    assert "a reverse proxy with authentication belongs in front of it" in err
    [settings] = fake_serve.calls
    assert settings.addresses == ("0.0.0.0",) and settings.port == 9001
    # No fixed address for the page: each browser is sent back where it came from (the request's Host).
    assert settings.public_url is None and "every address" in settings.announce


def test_loopback_by_default_without_warning(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    code, _, err = run_cli(capsys, "serve")
    assert code == 0 and "warning" not in err
    [settings] = fake_serve.calls
    assert (settings.addresses, settings.port, settings.public_url) == (("127.0.0.1",), 8030, None)
    assert settings.announce == "http://127.0.0.1:8030"
    assert (settings.user_header, settings.login, settings.max_sessions) == (None, False, 8)
    # The served command is this interpreter's installed bj30, as arguments no shell reads, no profile unless asked.
    assert settings.argv[0] == sys.executable and list(settings.argv[-2:]) == ["-m", "tui"]


def test_profile_and_public_url_reach_the_served_app(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    # A name with a space and a quote, as bj30 allowed before profile names became ids: one argument, never split.
    from tui.core import locations
    from tui.core.store.sqlite import Store

    store = Store.open(locations.store_path()).store
    store.create_profile("pku lab's", "Peking University")
    store.close()
    code, _, _ = run_cli(capsys, "serve", "--profile", "pku lab's", "--port", "8100", "--public-url", "https://bj30.example.edu/")
    assert code == 0
    [settings] = fake_serve.calls
    assert list(settings.argv[-2:]) == ["--profile", "pku lab's"]
    assert settings.public_url == "https://bj30.example.edu" and settings.announce == "https://bj30.example.edu"


def test_ipv6_loopback(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    assert run_cli(capsys, "serve", "--host", "::1")[0] == 0
    assert fake_serve.calls[0].addresses == ("::1",) and fake_serve.calls[0].announce == "http://[::1]:8030"


def test_who_is_using_it_options(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    import ipaddress

    code, _, err = run_cli(
        capsys, "serve", "--user-header", "Remote-User", "--trusted-proxy", "10.0.0.5", "--trusted-proxy", "fd00::/8",
        "--max-sessions", "3",
    )  # fmt: skip
    assert code == 0, err
    [settings] = fake_serve.calls
    assert settings.user_header == "Remote-User" and settings.max_sessions == 3
    assert settings.trusted_proxies == (ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("fd00::/8"))


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--user-header", "Remote User"], "is not a header name"),
        (["--user-header", "X\x1b[2J"], "is not a header name"),
        (["--trusted-proxy", "proxy.example"], "is not an address or network"),
        (["--max-sessions", "0"], "is not between 1 and 1000"),
        (["--public-url", "bj30.example.edu"], "is not an address such as"),
        (["--public-url", "ftp://bj30.example.edu"], "is not an address such as"),
    ],
)
def test_bad_options_are_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code, _, err = run_cli(capsys, "serve", *argv)
    assert code == 2 and says in err and "\x1b[2J" not in err  # a control character is shown, not sent


def test_login_is_for_a_team_store_and_a_header_cannot_name_a_database_user(
    capsys: pytest.CaptureFixture[str], fake_serve: FakeServe
) -> None:
    code, _, err = run_cli(capsys, "serve", "--login")
    assert code == 1 and err.startswith("bj30: --login is for a team store") and len(err.splitlines()) == 1
    team = "postgresql://bj30@127.0.0.1:1/nowhere"  # never connected to: both are refused before that
    code, _, err = run_cli(capsys, "--store", team, "serve", "--user-header", "Remote-User")
    assert code == 1 and "--user-header cannot say who changes a team store" in err and "use --login" in err
    assert fake_serve.calls == []


def test_login_hands_each_tab_the_store_without_the_servers_login(
    capsys: pytest.CaptureFixture[str], fake_serve: FakeServe
) -> None:
    code, _, err = run_cli(
        capsys, "--store", "postgresql://svc:hunter2@127.0.0.1:1/db?password=x2&sslmode=require", "serve", "--login"
    )
    assert code == 0, err
    [settings] = fake_serve.calls
    assert settings.login and settings.extra_env == {"BJ30_STORE": "postgresql://127.0.0.1:1/db?sslmode=require"}
    assert "hunter2" not in repr(settings) and "x2" not in repr(settings)


def test_unknown_profile_is_refused_before_serving(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    code, _, err = run_cli(capsys, "serve", "--profile", "nope")
    assert code == 1 and err.startswith("bj30: no profile 'nope'") and len(err.splitlines()) == 1
    assert fake_serve.calls == []


@pytest.mark.parametrize("port", ["0", "70000", "web"])
def test_bad_port_is_a_usage_error(capsys: pytest.CaptureFixture[str], port: str) -> None:
    code, _, err = run_cli(capsys, "serve", "--port", port)
    assert code == 2 and "argument --port: port" in err


@pytest.mark.parametrize("missing", ["textual_serve", "textual_serve.server", "psutil"])
def test_without_the_web_extra_one_line_says_what_to_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    import socket

    monkeypatch.delitem(sys.modules, "tui.web", raising=False)
    # None in sys.modules makes `import name` raise ImportError; submodules already imported too.
    for name in [name for name in sys.modules if name == missing or name.startswith(missing + ".")] + [missing]:
        monkeypatch.setitem(sys.modules, name, None)

    def no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("the web extra was importable after all: this test must not start a server")

    monkeypatch.setattr(socket, "create_server", no_server)
    code, out, err = run_cli(capsys, "serve")
    assert code == 1 and out == ""
    assert err.endswith(": pip install 'bj30[web]'\n") and len(err.splitlines()) == 1
    assert err.startswith("bj30: serving in a browser needs the web extra")


def test_taken_port_is_one_line(tmp_path: Path) -> None:
    require_web_extra()
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = bj30("serve", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"bj30: cannot serve on 127.0.0.1:{port}: ")
    assert len(result.stderr.splitlines()) == 1 and "serving the app" not in result.stderr + result.stdout


# Stopping: the server and every app process it started end on Ctrl+C ---------------------------


async def _open_session(url: str, answers: bool = True) -> Any:
    """A browser tab's websocket: the server starts one app for it; returns once the app has drawn.
    A tab that `answers` keeps reading, as a browser does (and so answers the server's close)."""
    import aiohttp

    http = aiohttp.ClientSession()
    ws = await http.ws_connect(url.replace("http:", "ws:") + "/ws?width=100&height=30", origin=url)
    drawn = 0
    while drawn < 1000:  # the reader's first screen is several kilobytes of terminal output
        message = await asyncio.wait_for(ws.receive(), timeout=60)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        drawn += len(message.data)

    async def keep_reading() -> None:
        if not answers:  # a hung tab: reads nothing until the server has gone
            await asyncio.sleep(60)
        async for _ in ws:
            pass

    return http, asyncio.create_task(keep_reading())


@pytest.mark.slow
@pytest.mark.parametrize(
    "to_group, answers",
    [(False, True), (True, True), (False, False)],
    ids=["sigint-to-server", "ctrl-c-to-process-group", "a-tab-that-does-not-answer"],
)
async def test_ctrl_c_stops_the_server_and_every_app(tmp_path: Path, to_group: bool, answers: bool) -> None:
    require_web_extra()
    import psutil

    with serving(tmp_path) as served:
        sessions = [await _open_session(served.url, answers=answers), await _open_session(served.url)]
        apps = psutil.Process(served.process.pid).children(recursive=True)
        assert len(apps) == 2, [app.cmdline() for app in apps]
        assert all(app.cmdline()[-2:] == ["-m", "tui"] for app in apps)  # exec: the app itself, no shell

        started = time.monotonic()
        if to_group:  # a terminal's Ctrl+C reaches the server and its apps at once
            os.killpg(served.process.pid, signal.SIGINT)
        else:  # `kill -INT`: only the server hears it and must stop its apps itself
            served.process.send_signal(signal.SIGINT)
        code = await asyncio.to_thread(wait_for_exit, served.process)
        stopped_in = time.monotonic() - started
        for http, reading in sessions:
            reading.cancel()
            await http.close()

    assert code == 0, served.output()
    left = [app.pid for app in apps if app.is_running()]
    assert left == [], f"app processes left after bj30 serve exited: {left}"
    assert_stopped_cleanly(served)  # the apps quit on their own, none had to be terminated
    print(f"stopped in {stopped_in:.2f} s")


def test_stubborn_processes_are_killed(tmp_path: Path) -> None:
    require_web_extra()
    import psutil

    from tui.web import end_processes

    stubborn = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\ntime.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    polite = subprocess.Popen(
        [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        for process in (stubborn, polite):
            assert process.stdout is not None and process.stdout.readline() == b"ready\n"
        ended = end_processes([psutil.Process(stubborn.pid), psutil.Process(polite.pid)])
        assert sorted(ended) == sorted([stubborn.pid, polite.pid])
        # Both gone, and reaped: the one that ignores SIGTERM could only go by SIGKILL.
        assert not psutil.pid_exists(stubborn.pid) and not psutil.pid_exists(polite.pid)
    finally:
        for process in (stubborn, polite):
            if process.poll() is None:
                process.kill()
                process.wait()


# Who may connect, and what a tab may ask for (issue 27's browser port) ---------------------------


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    """A plain HTTP GET (urllib: no Origin, no cookies): status, body, headers."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


async def _drawn(ws: Any, enough: int = 1000) -> None:
    import aiohttp

    drawn = 0
    while drawn < enough:
        message = await asyncio.wait_for(ws.receive(), timeout=60)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        drawn += len(message.data)


def _apps(served: Any) -> list[Any]:
    import psutil

    return psutil.Process(served.process.pid).children(recursive=True)


def _wait_gone(processes: list[Any], timeout: float = 30.0) -> list[int]:
    """Waits (at most `timeout`, only so that a broken fix fails rather than hangs) for the processes
    to end; the ids of those still running then."""
    import psutil

    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p.pid for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


async def test_a_websocket_from_another_sites_page_is_refused(tmp_path: Path) -> None:
    """Cross-site websocket hijacking: a page on evil.example, in the officer's browser, opened a
    websocket to bj30 serve and ticked items as the officer. Only the page's own origin may."""
    require_web_extra()
    import aiohttp

    with serving(tmp_path) as served:
        ws_url = served.url.replace("http:", "ws:") + "/ws?width=80&height=24"
        async with aiohttp.ClientSession() as http:
            for origin in ("http://evil.example", "null", f"http://127.0.0.1.evil.example:{served.url.rsplit(':', 1)[1]}", None):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(ws_url, origin=origin)
                assert refused.value.status == 403
            assert _apps(served) == []  # no app was ever started for them
            async with http.ws_connect(ws_url, origin=served.url) as ws:  # the page's own origin
                await _drawn(ws)
                assert len(_apps(served)) == 1
    output = served.output()
    assert output.count("refused a session from origin") == 4
    assert "refused a session from origin 'http://evil.example': only pages from " in output


def test_a_host_that_is_not_this_machine_is_refused(tmp_path: Path) -> None:
    """DNS rebinding: a name the attacker controls, pointed at 127.0.0.1, must not reach the app."""
    require_web_extra()
    with serving(tmp_path) as served:
        port = served.url.rsplit(":", 1)[1]
        status, body, _ = _get(served.url + "/", {"Host": f"rebind.evil.example:{port}"})
        assert status == 421 and "not a name of this machine" in body and "--public-url" in body
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            assert _get(served.url + "/", {"Host": host})[0] == 200
        # Listening on loopback, no address beyond it is this server's.
        assert _get(served.url + "/", {"Host": f"192.0.2.99:{port}"})[0] == 421


def page_urls(html: str) -> list[str]:
    """Every address in the page: attributes (href, src, data-*-url) and CSS url(...), quoted or not."""
    urls = re.findall(r'(?:href|src|data-session-websocket-url)="([^"]*)"', html)
    urls += re.findall(r"url\(\s*[\"']?([^\"')]+)", html)
    return urls


def test_the_page_points_where_the_browser_came_from(tmp_path: Path) -> None:
    """`--public` without `--public-url`: the page used to send a colleague's browser to
    http://localhost:PORT (socket.getfqdn()), which it blocked. Every address in the page is now
    the one the browser used."""
    require_web_extra()
    with serving(tmp_path, "--host", "0.0.0.0", "--public") as served:
        port = served.url.rsplit(":", 1)[1]
        status, html, headers = _get(served.url + "/", {"Host": f"192.0.2.2:{port}"})
        assert status == 200, html
        urls = page_urls(html)
        assert len(urls) >= 5, urls  # css, font, script, background, websocket
        for url in urls:
            assert url.startswith((f"http://192.0.2.2:{port}/", f"ws://192.0.2.2:{port}/")), url
        assert "googleapis" not in html and "fonts.g" not in html
        # The browser may load nothing from anywhere else either.
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        # Behind a trusted proxy (loopback by default): its forwarded address and scheme.
        status, html, _ = _get(served.url + "/", {"X-Forwarded-Host": "bj30.example.edu", "X-Forwarded-Proto": "https"})
        assert status == 200
        assert all(u.startswith(("https://bj30.example.edu/", "wss://bj30.example.edu/")) for u in page_urls(html))


def test_public_url_wins(tmp_path: Path) -> None:
    require_web_extra()
    with serving(tmp_path, "--public-url", "https://intranet.example.edu/bj30/") as served:
        status, html, _ = _get(served.url + "/")
        assert status == 200
        urls = page_urls(html)
        assert urls and all(
            u.startswith(("https://intranet.example.edu/bj30/", "wss://intranet.example.edu/bj30/")) for u in urls
        )
        assert '"/bj30" + "/download/"' in html  # downloads too go through the proxy's path


def test_static_has_no_listing(tmp_path: Path) -> None:
    require_web_extra()
    with serving(tmp_path) as served:
        for folder in ("/static/", "/static/fonts/", "/static/js/", "/static"):
            status, body, _ = _get(served.url + folder)
            assert status in (403, 404), (folder, status)
            assert "Index of" not in body and ".ttf" not in body
        status, _, headers = _get(served.url + "/static/css/xterm.css")
        assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
        assert _get(served.url + "/static/../server.py")[0] in (403, 404)


@pytest.mark.slow  # several app processes, or one drawing large screens
async def test_sessions_are_capped_and_the_page_says_so(tmp_path: Path) -> None:
    """40 websockets once started 40 app processes (1.2 GB). Now at most --max-sessions at once."""
    require_web_extra()
    import aiohttp

    with serving(tmp_path, "--max-sessions", "2") as served:
        ws_url = served.url.replace("http:", "ws:") + "/ws?width=80&height=24"
        async with aiohttp.ClientSession() as http:
            first = await http.ws_connect(ws_url, origin=served.url)
            second = await http.ws_connect(ws_url, origin=served.url)
            await _drawn(first)
            await _drawn(second)
            third = await http.ws_connect(ws_url, origin=served.url)
            message = await asyncio.wait_for(third.receive(), timeout=30)
            assert message.type == aiohttp.WSMsgType.CLOSE and message.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER
            assert message.extra == "bj30 is full: 2 of 2 sessions in use. Close a bj30 tab, then Restart."
            assert len(_apps(served)) == 2
            status, body, headers = await asyncio.to_thread(_get, served.url + "/")
            assert status == 503 and body.startswith("bj30 is full: 2 of 2 sessions") and headers["Retry-After"]
            # A tab closes: its place is free again.
            await first.close()
            for _ in range(600):
                if (await asyncio.to_thread(_get, served.url + "/"))[0] == 200:
                    break
                await asyncio.sleep(0.05)
            again = await http.ws_connect(ws_url, origin=served.url)
            await _drawn(again)
            await again.close()
            await second.close()


@pytest.mark.slow  # several app processes, or one drawing large screens
async def test_a_huge_tab_ends_when_its_client_goes_and_logs_one_line(tmp_path: Path) -> None:
    """?width=4000&height=4000: the app drew 16 MB frames, the client gave up (aiohttp's 4 MB
    message limit), the server logged a 100-line traceback and the app kept running. Now the size
    is bounded, the app ends with its tab, and the log says so in one line."""
    require_web_extra()
    import aiohttp

    with serving(tmp_path) as served:
        ws_url = served.url.replace("http:", "ws:") + "/ws?width=4000&height=4000"
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(ws_url, origin=served.url)  # aiohttp's default 4 MB message limit
            first = await asyncio.wait_for(ws.receive(), timeout=60)
            [app] = _apps(served)
            environ = app.environ()
            assert int(environ["COLUMNS"]) <= 500 and int(environ["ROWS"]) <= 200
            if first.type == aiohttp.WSMsgType.BINARY:
                await ws.close()
        assert await asyncio.to_thread(_wait_gone, [app]) == []
        for _ in range(600):  # the line comes once the app has gone
            if "ended:" in served.output():
                break
            await asyncio.sleep(0.05)
    output = served.output()
    assert "Traceback" not in output and "│" not in output and "Error" not in output.replace("ended: the tab closed it", "")
    assert len([line for line in output.splitlines() if "session" in line]) == 1, output


def _raw_websocket(port: int, path: str) -> socket.socket:
    """A websocket by hand, on a socket with a tiny receive buffer that is then never read: the
    server's writes back up, as to a browser tab that froze."""
    import base64

    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += raw.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return raw


def _frame(text: str) -> bytes:
    import struct

    data, mask = text.encode(), os.urandom(4)
    size = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data))
    return bytes([0x81]) + size + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


@pytest.mark.slow  # several app processes, or one drawing large screens
def test_a_dropped_websocket_is_one_line(tmp_path: Path) -> None:
    """A tab that stops reading and then drops (a reset, not a close) while the app draws."""
    require_web_extra()
    import json
    import struct

    with serving(tmp_path) as served:
        port = int(served.url.rsplit(":", 1)[1])
        raw = _raw_websocket(port, "/ws?width=500&height=200")
        for i in range(200):  # each a full redraw of a large screen, none of it read
            raw.sendall(_frame(json.dumps(["resize", {"width": 300 + i % 200, "height": 100 + i % 100}])))
        time.sleep(2)
        apps = _apps(served)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.close()  # a reset
        assert _wait_gone(apps) == []
        deadline = time.monotonic() + 30
        while "ended:" not in served.output() and time.monotonic() < deadline:
            time.sleep(0.05)
    output = served.output()
    assert "Traceback" not in output and "│" not in output, output
    assert len([line for line in output.splitlines() if "ended:" in line]) == 1, output


@pytest.mark.slow  # several app processes, or one drawing large screens
def test_after_kill_9_of_the_server_its_apps_end(tmp_path: Path) -> None:
    """kill -9 leaves no server to stop the apps: they used to live on, reparented to PID 1 and
    holding the store open. Each app now ends when its server's pipe closes."""
    require_web_extra()

    async def open_tabs(url: str) -> list[Any]:
        return [await _open_session(url), await _open_session(url)]

    with serving(tmp_path) as served:
        loop = asyncio.new_event_loop()
        try:
            sessions = loop.run_until_complete(open_tabs(served.url))
            apps = _apps(served)
            assert len(apps) == 2
            served.process.send_signal(signal.SIGKILL)
            served.process.wait()
            left = _wait_gone(apps)
            for app in apps:  # a failing run must not leave them behind either
                if app.is_running():
                    app.kill()
            assert left == [], "app processes outlived a killed server"
        finally:
            for http, reading in sessions:
                reading.cancel()
                loop.run_until_complete(http.close())
            loop.close()


def test_the_user_header_is_believed_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    require_web_extra()
    with serving(tmp_path, "--user-header", "Remote-User", "--trusted-proxy", "10.9.9.9") as served:
        status, body, _ = _get(served.url + "/", {"Remote-User": "Wang Li"})
        assert status == 403 and "trusted proxies only" in body
    assert "refused 127.0.0.1: bj30 takes who you are from the Remote-User header" in served.output()
    with serving(tmp_path, "--user-header", "Remote-User") as served:  # loopback trusted by default
        assert _get(served.url + "/", {"Remote-User": "Wang Li"})[0] == 200
        status, body, _ = _get(served.url + "/")
        assert status == 403 and "names no usable user" in body
        status, body, _ = _get(served.url + "/", {"Remote-User": "W" * 500})
        assert status == 403 and "at most" in body
        # A control character in a header: aiohttp refuses the request itself (400).
        assert _get(served.url + "/", {"Remote-User": "Wang\x1bLi"})[0] in (400, 403)
    assert "\x1b" not in served.output()  # the log shows control characters, never sends them


def test_a_download_is_always_an_attachment_with_its_name_intact() -> None:
    require_web_extra()
    from tui.web import content_disposition

    assert content_disposition("bj30-university-default-2026-01-02.md") == (
        "attachment; filename=\"bj30-university-default-2026-01-02.md\"; filename*=UTF-8''bj30-university-default-2026-01-02.md"
    )
    header = content_disposition('报告 "final";\r\nX: y.md')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert header.endswith("filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22final%22%3B%0D%0AX%3A%20y.md")


def test_a_signing_in_tab_gets_none_of_the_servers_ways_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """With --login, libpq in a tab must not log in with the server user's password, password file,
    service file or client certificate, whatever user name is typed."""
    require_web_extra()
    from textual_serve.download_manager import DownloadManager

    from tui.web import Session, Settings

    for name, value in (("PGPASSWORD", "server-secret"), ("PGUSER", "svc"), ("PGSERVICE", "bj30"), ("BJ30_SERVE_USER", "x")):
        monkeypatch.setenv(name, value)
    settings = Settings(argv=("python",), addresses=("127.0.0.1",), port=8030, login=True)
    env = Session(settings, None, DownloadManager(), None)._build_environment(80, 24)  # type: ignore[arg-type]
    assert {"PGPASSWORD", "PGUSER", "PGSERVICE", "BJ30_SERVE_USER"}.isdisjoint(env)
    assert env["BJ30_SERVE_LOGIN"] == "1" and env["BJ30_SERVED"] == "1"
    for name in ("PGPASSFILE", "PGSERVICEFILE", "PGSSLCERT", "PGSSLKEY"):
        assert not Path(env[name]).exists()
    # Without --login the server's own login is the point: left as it is.
    env = Session(
        Settings(argv=("python",), addresses=("127.0.0.1",), port=8030), None, DownloadManager(), "Wang Li"
    )._build_environment()  # type: ignore[arg-type]
    assert env["PGPASSWORD"] == "server-secret" and env["BJ30_SERVE_USER"] == "Wang Li" and "BJ30_SERVE_LOGIN" not in env
