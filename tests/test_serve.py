"""`bj30 serve`: who may reach it, what it says without the web extra, and that Ctrl+C leaves no app behind."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
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
        self.calls: list[dict[str, Any]] = []

    def __call__(self, command: str, **kwargs: Any) -> int:
        self.calls.append({"command": command, **kwargs})
        return 0


@pytest.fixture
def fake_serve(monkeypatch: pytest.MonkeyPatch) -> FakeServe:
    require_web_extra()
    import tui.web

    fake = FakeServe()
    monkeypatch.setattr(tui.web, "serve", fake)
    return fake


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]"])
def test_loopback_hosts(host: str) -> None:
    assert cli_serve.is_loopback(host.strip("[]"))


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "192.168.1.20", "10.0.0.1", "example.org", "my-laptop"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not cli_serve.is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_non_loopback_host_is_refused_without_public(capsys: pytest.CaptureFixture[str], host: str) -> None:
    code, out, err = run_cli(capsys, "serve", "--host", host)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"bj30: refusing to serve on {host} without --public: ")
    assert "anyone who reaches it would use bj30 as" in err and "reverse proxy with authentication" in err


def test_public_serves_with_a_warning(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    code, out, err = run_cli(capsys, "serve", "--host", "0.0.0.0", "--port", "9001", "--public")
    assert code == 0
    assert err.startswith(
        "bj30: warning: serving on 0.0.0.0:9001 beyond this machine: anyone who reaches this port uses bj30 as "
    )
    assert "a reverse proxy with authentication belongs in front of it" in err
    [call] = fake_serve.calls
    assert call["host"] == "0.0.0.0" and call["port"] == 9001
    # A wildcard address is nowhere to connect to: browsers are sent to this machine's name.
    assert call["public_url"].startswith("http://") and "0.0.0.0" not in call["public_url"]


def test_loopback_by_default_without_warning(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    code, _, err = run_cli(capsys, "serve")
    assert code == 0 and "warning" not in err
    [call] = fake_serve.calls
    assert (call["host"], call["port"], call["public_url"]) == ("127.0.0.1", 8030, "http://127.0.0.1:8030")
    # The served command is this interpreter's installed bj30, with no profile unless asked.
    argv = shlex.split(call["command"])
    assert argv[0] == "exec" and argv[1] == sys.executable and argv[-2:] == ["-m", "tui"]


def test_profile_and_public_url_reach_the_served_app(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    # A name with a space, as bj30 allowed before profile names became ids: still quoted right.
    from tui.core import locations
    from tui.core.store.sqlite import Store

    store = Store.open(locations.store_path()).store
    store.create_profile("pku lab", "Peking University")
    store.close()
    code, _, _ = run_cli(capsys, "serve", "--profile", "pku lab", "--port", "8100", "--public-url", "https://bj30.example.edu/")
    assert code == 0
    [call] = fake_serve.calls
    assert shlex.split(call["command"])[-2:] == ["--profile", "pku lab"]
    assert call["public_url"] == "https://bj30.example.edu"


def test_ipv6_loopback_url_has_brackets(capsys: pytest.CaptureFixture[str], fake_serve: FakeServe) -> None:
    assert run_cli(capsys, "serve", "--host", "::1")[0] == 0
    assert fake_serve.calls[0]["public_url"] == "http://[::1]:8030" and fake_serve.calls[0]["host"] == "::1"


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
    ws = await http.ws_connect(url.replace("http:", "ws:") + "/ws?width=100&height=30")
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
