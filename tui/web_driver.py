"""The driver of a served app (`bj30 serve`): Textual's web driver, which also ends the app when its server is gone.

textual-serve talks to each tab's app over the app's stdin and stdout. Textual's WebDriver stops
reading when stdin ends but keeps the app running, so an app whose server was killed (`kill -9`,
a crash, an OOM kill) lived on, reparented to PID 1 and holding the store open. Here the end of
stdin, the server's pipe, ends the app: quit as usual, and if that does not finish in time (a
store call that hangs), the process exits anyway. The server also asks the kernel to send the
app SIGTERM when the server dies (PR_SET_PDEATHSIG, on Linux): two independent ways out.
"""

from __future__ import annotations

import os
import threading

from textual import messages
from textual.drivers.web_driver import WebDriver

# How long a quit started because the server went away may take before the process just exits.
ORPHAN_EXIT_S = 5.0


class Bj30WebDriver(WebDriver):
    def run_input_thread(self) -> None:
        super().run_input_thread()
        if self.exit_event.is_set():
            return  # the app is stopping as asked; its input ended with it
        # stdin ended on its own: the server is gone, and nobody will ever see this app again.
        self._app.post_message(messages.ExitApp())
        watchdog = threading.Timer(ORPHAN_EXIT_S, os._exit, args=(1,))
        watchdog.daemon = True  # a normal exit does not wait for it
        watchdog.start()
