"""The bj30 app in a browser tab of `bj30 serve` (tui/served.py): who the tab's user is, signing
in, downloads that failed. Kept out of tui/app.py; in a terminal `served_as` is None and none of
this changes anything."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ReturnType

from tui.core import locations

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.workbench import Workbench
    from tui.served import Served


class ServedApp(App[ReturnType]):
    """What a served tab adds to the app. `served_as` is set by Bj30App's constructor."""

    served_as: Served | None = None
    _workbench: Workbench | None
    _store: str | None
    _profile: str | None

    @property
    def signing_in(self) -> bool:
        """A tab of `bj30 serve --login` whose user has not signed in yet: nothing touches the store."""
        return bool(self.served_as and self.served_as.login) and self._workbench is None

    @property
    def profile_asked(self) -> str | None:
        """The profile given with --profile, if any."""
        return self._profile

    def store_text(self) -> str:
        """Where the store is, as given (--store, BJ30_STORE, the config, the default): may hold a password."""
        from tui.core.config import load_config, store_choice

        return store_choice(self._store, load_config(locations.config_file()), locations.store_path()).text

    def served_words(self, recorded: str) -> str:
        """What the header says about who makes the changes in a browser tab, where the server's
        user is not the tab's: "you: NAME" only when the tab's user was named (--user-header) or
        signed in (--login); otherwise, so that no colleague is surprised, whose name their changes
        go under."""
        assert self.served_as is not None
        if not recorded or self.signing_in:
            return ""
        return f"you: {recorded}" if self.served_as.identified else f"changes recorded as {recorded}"

    def team_user_expected(self, config: Config) -> str:
        """The database user a team store not opened yet will record: the URL's, else libpq's default."""
        from urllib.parse import unquote, urlsplit

        from tui.core.config import login_name, store_choice

        try:
            user = urlsplit(store_choice(self._store, config, locations.store_path()).text).username
        except ValueError:
            user = None
        return unquote(user) if user else (os.environ.get("PGUSER") or login_name())

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """A download (bj30 serve) that did not reach the browser: said, as a download that did is."""
        self.notify(f"{event.name or 'The file'} did not reach your browser: {event.exception}", severity="error", timeout=10)
