"""Serving the app to browsers with textual-serve. Importing this module needs the `bj30[web]` extra.

textual-serve runs one app process per browser tab. On Ctrl+C (or SIGTERM) aiohttp would wait up
to a minute for those tabs' websockets before giving up on them, so shutdown ends every session
itself: textual-serve then tells each app to quit, and the server waits (a few seconds at most)
until the processes have exited. Whatever app process is still running after that (hung, or slow
to quit) is terminated with psutil, so no bj30 outlives the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import threading
from typing import Any

import psutil
from aiohttp import web
from textual_serve.server import Server

# How long a tab's websocket gets to close once the server stops (a hung tab is not waited for
# longer); how long the apps get to quit on their own (a normal quit takes well under a second,
# and the wait ends as soon as they have: the grace is for a machine under load, where starting
# Python and Textual's shutdown can take seconds); how long a terminated one gets before it is
# killed.
SESSION_GRACE_S = 3.0
QUIT_GRACE_S = 15.0
TERMINATE_GRACE_S = 5.0


class Bj30Server(Server):
    """textual-serve's server that says what it serves in one line and ends its sessions on exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sessions: set[asyncio.Task[Any]] = set()

    async def on_startup(self, app: web.Application) -> None:
        print(f"bj30: serving the app on {self.public_url} (Ctrl+C stops)", file=sys.stderr, flush=True)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        # Each open websocket is one browser tab driving one app process; remembered so that
        # shutdown can end it. textual-serve handles the cancellation by stopping its app.
        task = asyncio.current_task()
        if task is not None:
            self._sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self._sessions.discard(task)

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
        # textual-serve is done with an app when its output ends, a moment before its process has
        # exited (and on Ctrl+C in a terminal the apps get the signal too and quit on their own).
        # Wait until asyncio has reaped them (not merely seen them exit), while its event loop
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


def serve(command: str, *, host: str, port: int, public_url: str | None = None) -> int:
    try:
        # Bind once first: a taken port or a foreign address is then one line before anything is
        # announced (textual-serve announces on start-up, before aiohttp binds).
        socket.create_server((host, port), reuse_port=False).close()
    except OSError as exc:
        print(f"bj30: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    server = Bj30Server(command, host=host, port=port, title="bj30", public_url=public_url)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"bj30: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except web.GracefulExit:
        pass  # a second Ctrl+C while stopping: stop waiting for the apps (they are ended below)
    finally:
        leftovers = end_processes(psutil.Process().children(recursive=True))
        if leftovers:
            print(f"bj30: stopped {len(leftovers)} app process(es) that did not quit in time", file=sys.stderr)
    print("bj30: stopped serving", file=sys.stderr)
    return 0
