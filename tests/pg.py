"""The PostgreSQL server the team-store tests use, and a TCP proxy to take it away mid-session.

The server: BJ30_TEST_POSTGRES if set, else postgresql://postgres@127.0.0.1:5432/test (what CI
starts). Each test gets its own schema, created and dropped by the fixture (tests/conftest.py).
Under CI (CI=true) these tests must run: no server, or no psycopg, fails them. Elsewhere they
skip with one line naming the variable to set.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
ENV = "BJ30_TEST_POSTGRES"
_checked: dict[str, str | None] = {}  # admin URL -> why it cannot be used (None: fine)


def admin_url() -> str:
    """The server's URL, or skip (fail under CI) with the reason in one line."""
    url = os.environ.get(ENV) or DEFAULT_URL
    if url not in _checked:
        _checked[url] = _problem(url)
    problem = _checked[url]
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem} (under CI the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(f"{problem}: set {ENV}=postgresql://user@host:5432/db to run the team-store tests")
    return url


def _problem(url: str) -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test,web,team]')"
    try:
        psycopg.connect(url, connect_timeout=3, autocommit=True).close()
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at {url.split('@')[-1]} ({str(exc).strip().splitlines()[0]})"
    return None


def with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def with_user(url: str, user: str, password: str | None = None) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    auth = f"{user}:{password}" if password is not None else user
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    auth, at, host = parts.netloc.rpartition("@")
    hostname = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return urlunsplit(parts._replace(netloc=f"{auth}{at}{hostname}:{port}"))


def in_schema(url: str, schema: str) -> str:
    return with_params(url, options=f"-csearch_path={schema}")


def admin():  # -> psycopg.Connection
    import psycopg

    return psycopg.connect(admin_url(), autocommit=True)


@contextlib.contextmanager
def fresh_schema() -> Iterator[str]:
    """A schema of its own for one test: yields the store URL in it; dropped afterwards."""
    from psycopg import sql

    url = admin_url()
    name = f"bj30_test_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield in_schema(url, name)
    finally:
        with admin() as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@contextlib.contextmanager
def roles(*kinds: str) -> Iterator[list[str]]:
    """Login roles made for one test (trust authentication: no password needed), dropped after."""
    from psycopg import sql

    names = [f"bj30_{kind}_{uuid.uuid4().hex[:8]}" for kind in kinds]
    with admin() as conn:
        for name in names:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
    try:
        yield names
    finally:
        with admin() as conn:
            for name in names:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def schema_of(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["options"].split("=", 1)[1]


class Proxy:
    """A TCP proxy in front of the server: stop() is the server going away (every connection
    through it breaks, new ones are refused); start() again is the server coming back."""

    def __init__(self, target_url: str) -> None:
        parts = urlsplit(target_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.port = _free_port()
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def url(self, url: str) -> str:
        return with_port(url, self.port)

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(a, b), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    for s in (source, sink):
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
