"""What `bj30 serve` tells the app in each browser tab, and how that app reads it. No Textual, no aiohttp.

The server (tui/web.py) starts one app process per tab, without a shell, and passes who the tab's
user is through that process's environment (readable only by its owner and root, unlike a command
line). A password never travels this way: with `--login` the app asks for the database login
itself, in the tab, and keeps it in its own memory (see tui/dialogs/sign_in.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# The user's name as the trusted reverse proxy said it (`--user-header`), already checked.
USER_ENV = "BJ30_SERVE_USER"
# "1": the app asks the tab's user for a team-store login before anything else (`--login`).
LOGIN_ENV = "BJ30_SERVE_LOGIN"
# Set by the server for every tab, so that the app knows it is served even before its driver is up.
SERVED_ENV = "BJ30_SERVED"


@dataclass(frozen=True)
class Served:
    """How this app process is served: `user` named by the proxy, or `login` asked in the tab."""

    user: str | None = None
    login: bool = False

    @property
    def identified(self) -> bool:
        """Whether changes are recorded under the tab user's own name (else the server's)."""
        return bool(self.user) or self.login


def served(environ: dict[str, str] | None = None) -> Served | None:
    """How `bj30 serve` started this process; None when it did not (a terminal)."""
    env = os.environ if environ is None else environ
    if env.get(SERVED_ENV) != "1":
        return None
    return Served(user=env.get(USER_ENV) or None, login=env.get(LOGIN_ENV) == "1")
