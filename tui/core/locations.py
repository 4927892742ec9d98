"""Every path bj30 reads or writes, in one place.

Packaged data (the policy and the built-in checklists) is found with
importlib.resources: in a wheel it lives inside the `tui` package (see the
force-include in pyproject.toml); in a source checkout or an editable install it
is the top-level `content/` and `checklists/` folders beside `tui/`.

User data follows platformdirs, which honours XDG_CONFIG_HOME and XDG_DATA_HOME,
so tests point both at temporary folders and never touch the real home.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "bj30"

_SOURCE_ROOT = Path(__file__).resolve().parents[2]  # tui/core/locations.py -> the checkout


def _packaged(name: str) -> Traversable:
    inside = resources.files("tui").joinpath(name)
    if inside.is_dir():
        return inside
    # Source checkout / editable install: the folders sit beside the package.
    return _SOURCE_ROOT / name


def content_dir() -> Traversable:
    return _packaged("content")


def content_file() -> Traversable:
    return content_dir().joinpath("measures.toml")


def register_file() -> Traversable:
    """The provision register: every clause of the policy, who acts, what kind (tui/core/content/provisions.py)."""
    return content_dir().joinpath("provisions.toml")


def builtin_checklists_dir() -> Traversable:
    return _packaged("checklists")


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    """The user's settings: their name, the profile chosen last, the store (tui/core/config.py)."""
    return config_dir() / "config.toml"


def user_checklists_dir() -> Path:
    return config_dir() / "checklists"


def store_path() -> Path:
    return data_dir() / "progress.sqlite3"


def ui_state_path() -> Path:
    """Small UI state (last measure read, theme, role lens), written atomically."""
    return data_dir() / "ui-state.json"


def screenshot_dir() -> Path:
    """Where the palette's Screenshot saves: the current folder (as exports do) when it can be
    written, else bj30's data folder. Never ~/Downloads, which Textual assumes and which many
    servers reached over SSH do not have."""
    here = Path.cwd()
    if _writable(here):
        return here
    return data_dir() / "screenshots"


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)
