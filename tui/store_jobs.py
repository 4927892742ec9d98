"""Store work off the event loop (issue 20, 5): one thread does it, one job at a time, in order.

Opening a team store connects over the network (up to 5 s when it is away), a save may wait for a
colleague's lock on the item (up to 10 s), and a checklist's state is a few reads; on the event
loop each froze the screen for as long. Here each is a job for the store thread, run by a Textual
worker that waits for it without blocking; what the job returns is shown on the event loop by
`done`. A job that fails with a Bj30Error (a clear, one-line problem) goes to `failed`, or is shown
as an error; anything else is a bug and propagates as it would have on the event loop.

One thread, not one per job: jobs run in the order asked (a tick, then the note saved after it),
and the store sees one call at a time (the workbench's store is locked as well, for the quick
reads that stay on the event loop).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.errors import Bj30Error

if TYPE_CHECKING:
    from textual.app import App

T = TypeVar("T")


class StoreJobs:
    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._executor: ThreadPoolExecutor | None = None
        self.pending = 0  # jobs asked for and not yet done (their `done` included)

    def run(
        self,
        job: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[Bj30Error], None] | None = None,
    ) -> None:
        """Run `job` in the store thread; then `done(result)`, or `failed(error)`, on the event loop."""
        self.pending += 1
        self._app.run_worker(self._run(job, done, failed), group="store", exit_on_error=True)

    async def _run(
        self, job: Callable[[], T], done: Callable[[T], None] | None, failed: Callable[[Bj30Error], None] | None
    ) -> None:
        try:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bj30-store")
            try:
                result = await asyncio.get_running_loop().run_in_executor(self._executor, job)
            except Bj30Error as exc:
                if failed is not None:
                    failed(exc)
                else:
                    self._app.notify(str(exc), severity="error", timeout=8)
                return
            if done is not None:
                done(result)
        finally:
            self.pending -= 1

    @property
    def busy(self) -> bool:
        return self.pending > 0

    async def wait(self) -> None:
        """Until every job asked for so far is done (tests, and the app before it quits)."""
        while self.pending:
            await asyncio.sleep(0.005)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)  # a save under way is finished, never cut off
            self._executor = None
