"""Running `bj30 serve` for the serve and browser tests: a real server process on a free loopback port,
with the test's XDG folders (conftest.py), so the CLI and the served app share one store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

START_TIMEOUT_S = 60.0  # only so that a broken server fails the test instead of hanging it


def require(available: bool, reason: str) -> None:
    """Skip with a one-line reason, except under CI, where these tests must run."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (under CI the browser and serve tests must run)", pytrace=False)
    pytest.skip(reason)


def require_web_extra() -> None:
    try:
        import psutil  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError as exc:
        require(False, f"{exc.name} is not installed (pip install -e '.[test,web]')")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def bj30(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command line, in a fresh process, with this test's environment (and store)."""
    return subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, text=True, cwd=cwd, timeout=60)


@contextmanager
def serving(workdir: Path, *extra: str) -> Iterator[Served]:
    """`bj30 serve` in `workdir`, up and answering; stopped (and any stragglers killed) afterwards.

    Its own session (process group), so that a test can send SIGINT to the whole group the way a
    terminal's Ctrl+C does, and so that cleanup can never reach the test runner."""
    port = free_port()
    log = workdir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", "--port", str(port), *extra],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "serving the app on" not in served.output() or not _answers(port):
            if process.poll() is not None:
                pytest.fail(f"bj30 serve exited with {process.returncode}: {served.output()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"bj30 serve did not start: {served.output()}", pytrace=False)
            time.sleep(0.05)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def assert_stopped_cleanly(served: Served) -> None:
    """Exit 0, said so, and nothing that reads like a problem: no traceback, no warning or error
    logged, no app that had to be terminated."""
    output = served.output()
    assert served.process.returncode == 0, output
    assert "bj30: stopped serving" in output, output
    for trouble in ("Traceback", "Exception ignored", "WARNING", "ERROR", "did not quit in time"):
        assert trouble not in output, output


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_for_exit(process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"bj30 serve still running {timeout:.0f} s after the signal", pytrace=False)


class HeaderProxy:
    """A reverse proxy in front of `bj30 serve` that names its user in a header, as an
    authenticating proxy (nginx with auth_request, Caddy with forward_auth) does once the user
    has signed in. It passes every request and websocket on, with `header: user` added and the
    browser's Host and Origin kept. Runs its own event loop in a thread; `url` is where to browse."""

    HOP = {"connection", "upgrade", "keep-alive", "transfer-encoding", "content-length", "host"}

    def __init__(self, upstream: str, user: str, header: str = "Remote-User") -> None:
        import asyncio
        import threading

        self.upstream, self.user, self.header = upstream, user, header
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"proxy-{user}", daemon=True)

    def __enter__(self) -> HeaderProxy:
        self._thread.start()
        assert self._ready.wait(30), "the test proxy did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)

    def _run(self) -> None:
        import asyncio

        from aiohttp import web

        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def _headers(self, request) -> dict[str, str]:  # type: ignore[no-untyped-def]
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in self.HOP and not k.lower().startswith("sec-websocket")
        }
        headers["Host"] = request.host  # the browser's, so bj30 sends it back here
        headers[self.header] = self.user
        return headers

    async def _handle(self, request):  # type: ignore[no-untyped-def]
        import asyncio

        import aiohttp
        from aiohttp import web

        target = self.upstream + str(request.rel_url)
        headers = self._headers(request)
        async with aiohttp.ClientSession(auto_decompress=False) as http:
            if request.headers.get("Upgrade", "").lower() == "websocket":
                browser = web.WebSocketResponse()
                await browser.prepare(request)
                async with http.ws_connect(target, headers=headers, max_msg_size=0) as server:

                    async def down() -> None:
                        async for message in server:
                            if message.type == aiohttp.WSMsgType.BINARY:
                                await browser.send_bytes(message.data)
                            elif message.type == aiohttp.WSMsgType.TEXT:
                                await browser.send_str(message.data)
                        await browser.close()

                    relay = asyncio.create_task(down())
                    async for message in browser:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            await server.send_str(message.data)
                    relay.cancel()
                return browser
            async with http.request(
                request.method, target, headers=headers, data=await request.read(), allow_redirects=False
            ) as answer:
                response = web.StreamResponse(status=answer.status)
                for key, value in answer.headers.items():
                    if key.lower() not in self.HOP:
                        response.headers[key] = value
                await response.prepare(request)
                async for chunk in answer.content.iter_chunked(65536):
                    await response.write(chunk)
                await response.write_eof()
                return response
