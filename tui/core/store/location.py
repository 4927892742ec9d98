"""Where the store is, and opening it: a path or a URL picks the backend.

    /path/to/progress.sqlite3   or   sqlite:///path/to/progress.sqlite3   the SQLite file
    postgresql://user@host:5432/db?sslmode=require                       the team store

Core: no Textual. A backend's module (and the PostgreSQL driver) is imported only when a store
of its kind is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from tui.core.errors import Bj30Error
from tui.core.store.model import Opened

TEAM_EXTRA = "pip install 'bj30[team]'"
PG_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class StoreLocation:
    """A store's location. `url` may hold a password: print `display`, never `url`."""

    kind: Literal["sqlite", "postgresql"]
    url: str
    path: Path | None = None
    display: str = ""
    secrets: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.display

    @property
    def is_team(self) -> bool:
        return self.kind == "postgresql"

    def exists(self) -> bool:
        """False only for a SQLite file not made yet (searching notes must not create one)."""
        return self.path.exists() if self.path is not None else True

    def scrub(self, text: str) -> str:
        """`text` (an error message from the driver or the server) with any secret of the URL hidden."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text


def parse_location(text: str) -> StoreLocation:
    """A store location from a path or a URL; a Bj30Error for one that cannot be a store."""
    text = text.strip()
    if not text:
        raise Bj30Error("the store location is empty: give a file path or postgresql://user@host:5432/db")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in PG_SCHEMES:
        return _pg_location(text)
    if scheme == "sqlite":
        text = text[len("sqlite://") :]
        if not text:
            raise Bj30Error("sqlite:// needs a path, e.g. sqlite:///home/me/progress.sqlite3")
    elif scheme:
        raise Bj30Error(f"unknown store URL scheme {scheme[:20]!r}: use a file path or postgresql://user@host:5432/db")
    path = Path(text).expanduser()
    return StoreLocation("sqlite", str(path), path, str(path))


def _pg_location(url: str) -> StoreLocation:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise Bj30Error(f"the store URL is not valid ({exc}): use postgresql://user@host:5432/db") from None
    secrets: list[str] = []
    netloc = parts.netloc
    userinfo, at, hostinfo = netloc.rpartition("@")
    if at and ":" in userinfo:
        user, _, password = userinfo.partition(":")
        secrets += [password, unquote(password)]
        netloc = f"{user}:***@{hostinfo}"
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() == "password":
            secrets.append(value)
            value = "***"
        query.append(f"{key}={value}")
    display = f"{parts.scheme}://{netloc}{parts.path}" + (f"?{'&'.join(query)}" if query else "")
    # Longest first, so that a password containing another secret is hidden whole.
    ordered = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
    return StoreLocation("postgresql", url, None, display, ordered)


# The connection parameters that say who connects or carry a secret: a URL handed to a browser
# user to sign in with keeps none of the server's (its password, password file, service entry,
# client certificate).
LOGIN_PARAMETERS = ("user", "password", "passfile", "service", "sslcert", "sslkey", "sslpassword")


def with_login(url: str, user: str | None, password: str | None = None) -> str:
    """The team store `url` as `user` with `password`, whatever login it named (none when `user` is
    None: the URL without any login, for handing on). Every other way the URL could log in goes
    too (LOGIN_PARAMETERS).

    For `bj30 serve --login`: each browser user signs in as themselves. The result may hold a
    password: keep it in memory, open it with parse_location (whose display hides it)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in PG_SCHEMES:
        raise Bj30Error("signing in is for a team store (postgresql://host:5432/db)")
    hostinfo = parts.netloc.rpartition("@")[2]
    login = ""
    if user is not None:
        login = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "") + "@"
    query = "&".join(
        f"{quote(key, safe='')}={quote(value, safe='')}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in LOGIN_PARAMETERS
    )
    return parts._replace(netloc=login + hostinfo, query=query).geturl()


def redact(url: str) -> str:
    """A URL as it may be printed: any password replaced by ***."""
    try:
        return parse_location(url).display
    except Bj30Error:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def team_driver_missing() -> str | None:
    """None when psycopg 3 is importable; else the one line saying what to install."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return f"a PostgreSQL store needs the team extra: {TEAM_EXTRA}"
    return None


def open_store(location: StoreLocation) -> Opened:
    """Open the store at `location`; never raises for a bad file or an unreachable server (a
    read-only session says why), only for a PostgreSQL URL without the driver installed."""
    if location.kind == "sqlite":
        from tui.core.store.sqlite import Store

        assert location.path is not None
        return Store.open(location.path)
    missing = team_driver_missing()
    if missing:
        raise Bj30Error(missing)
    from tui.core.store.postgres import PgStore

    return PgStore.open(location)


# The interface ------------------------------------------------------------------------
