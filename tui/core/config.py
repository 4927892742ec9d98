"""The user's settings, kept in the config folder: who they are and which profile they work in. Core: no Textual.

`config.toml` (beside the user's checklists) holds three keys, all set by commands and all
readable and editable by hand:

    name = "Wang Li"          # who makes the changes: `bj30 config set name "Wang Li"`
    profile = "pku-hospital"  # the profile chosen last: `bj30 profile use`, or P in the app
    store = "postgresql://wangli@db.uni.edu:5432/bj30"   # a team store (issue 16)

The file is written atomically, and kept private (0600) once it names a store: a store URL may
hold a password. A damaged one is moved aside (never deleted), the user is told where, and the
defaults are used: no name (the login name stands in), the default profile, the local store.

Where the store is, first found wins: `--store`, then BJ30_STORE, then `store` here, then the
SQLite file in the data folder (store_choice).
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import Bj30Error
from tui.core.files import toml
from tui.core.files.atomic import move_aside, write_atomic

KEYS = {
    "name": "who makes the changes (history, reports); else the login name",
    "profile": "the profile used when none is given; set by `bj30 profile use` and P in the app",
    "store": "where progress is kept: a file, or postgresql://user@host:5432/db for a team store",
}
STORE_ENV = "BJ30_STORE"
MAX_NAME = 200


class ConfigError(Bj30Error):
    pass


@dataclass
class Config:
    values: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    warning: str | None = None  # a damaged file moved aside, or one that could not be read
    stamp: tuple[int, int] | None = None  # the file as read (file_stamp): a change since shows

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def load_config(path: Path) -> Config:
    config = _load_config(path)
    config.stamp = file_stamp(path)
    return config


def fresh_config(config: Config | None, path: Path | None) -> Config:
    """`config`, or the file read again when it changed since (or `config` is None)."""
    if config is not None and (path is None or file_stamp(path) == config.stamp):
        return config
    return load_config(path) if path is not None else Config()


def _load_config(path: Path) -> Config:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Config(path=path, warning=f"{path}: cannot read ({reason}); using no name and the default profile")
    try:
        data = toml.loads(raw)
        values = {k: v.strip() for k, v in data.items() if k in KEYS and isinstance(v, str)}
        bad = [k for k in data if k not in KEYS or not isinstance(data[k], str)]
        if bad:
            raise ValueError(f"unknown or non-text keys: {', '.join(sorted(bad))}")
    except (toml.TOMLDecodeError, ValueError) as exc:
        try:
            moved = move_aside(path)
        except OSError:
            return Config(path=path, warning=f"{path}: damaged ({exc}); using the defaults")
        return Config(path=path, warning=f"{path}: damaged ({exc}); moved aside to {moved}; using the defaults")
    return Config(values, path)


def file_stamp(path: Path | None) -> tuple[int, int] | None:
    """When and how big `path` was last written (None: no file): a change since a read shows in it."""
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if st is not None else None


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped too.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def save_config(config: Config) -> None:
    assert config.path is not None
    lines = ["# bj30 settings: `bj30 config set KEY VALUE` changes them (keys: name, profile, store)."]
    lines += [f"{key} = {_toml_string(config.values[key])}" for key in KEYS if config.values.get(key)]
    try:
        write_atomic(config.path, "\n".join(lines) + "\n")
        if config.values.get("store"):
            os.chmod(config.path, 0o600)  # a store URL may hold a password
    except OSError as exc:
        raise ConfigError(f"cannot save {config.path}: {exc.strerror or exc}") from None


def check_person(name: str) -> str:
    """A person's name as typed: one line of text, spaces tidied, at most MAX_NAME characters."""
    tidy = " ".join(name.split())
    if not tidy:
        raise ConfigError("a name needs at least one letter")
    if len(tidy) > MAX_NAME:
        raise ConfigError(f"a name is at most {MAX_NAME} characters")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in tidy):
        raise ConfigError("a name cannot hold control characters")
    return tidy


def login_name() -> str:
    """Who is logged in, as the system says; "" when it cannot say (a container with no user entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return os.environ.get("USER", "") or os.environ.get("LOGNAME", "")


def who(by: str | None, config: Config) -> str:
    """Who makes a change: `--by` when given, else the configured name, else the login name."""
    if by is not None and by.strip():
        return check_person(by)
    return config.get("name") or login_name()


@dataclass(frozen=True)
class StoreChoice:
    text: str  # the location as given (it may hold a password: parse it, never print it)
    source: str  # "--store", "BJ30_STORE", the config file, or "default"


def store_choice(explicit: str | None, config: Config, default: Path) -> StoreChoice:
    """Where the store is, and which setting said so."""
    if explicit:
        return StoreChoice(explicit, "--store")
    env = os.environ.get(STORE_ENV, "").strip()
    if env:
        return StoreChoice(env, STORE_ENV)
    if config.get("store"):
        return StoreChoice(config.get("store"), str(config.path) if config.path else "config")
    return StoreChoice(str(default), "default")
