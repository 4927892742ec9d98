"""Small UI state remembered across runs: last place read, theme, role lens, export folder.

A damaged state file is moved aside (never deleted) and the app starts fresh,
with a message saying where the old file went.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tui.core.files.atomic import move_aside, write_atomic
from tui.core.files.read import NO_SUCH_FILE, FileProblem, parse_json, read_text
from tui.core.text.safe_text import json_text


@dataclass
class UiState:
    last_place: Any = None
    theme: str | None = None
    role: str | None = None  # the role lens of a state file from before lenses were kept per profile
    export_dir: str | None = None  # the folder the last export went to: the next one starts there
    lenses: dict[str, str] = field(default_factory=dict)  # each profile's role lens (issue 21, 9)
    asked_first_run: bool = False  # the first run's question (institution, name): asked once

    def lens(self, profile: str) -> str | None:
        """The role lens of `profile`: a university's lens does not follow the officer to a hospital."""
        if profile in self.lenses:
            return self.lenses[profile] or None
        return None if self.lenses else self.role  # an older file: its one lens, until one is chosen

    def set_lens(self, profile: str, role: str | None) -> None:
        if not self.lenses and self.role:
            self.lenses = {}  # from now on per profile; the old single lens is left for the others
        self.lenses[profile] = role or ""


@dataclass
class ListPlace:
    """Where an officer was in a checklist: the item, the filter, the scroll (kept for the session)."""

    item_id: str | None
    filter: str
    scroll_y: float


@dataclass
class LoadedState:
    state: UiState
    warning: str | None = None


def load_ui_state(path: Path) -> LoadedState:
    """The saved state, or defaults with a one-line warning. A file that cannot be state (not
    UTF-8, not JSON, nested too deeply, over 5 MB, a FIFO) is moved aside, never deleted."""
    try:
        data = parse_json(read_text(path))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except FileProblem as exc:
        if exc.problem == NO_SUCH_FILE:
            return LoadedState(UiState())
        if exc.problem.startswith("cannot read"):  # permissions: the file may be fine, leave it
            return LoadedState(UiState(), f"{exc}; using defaults")
        return _moved_aside(path, exc.problem)
    except ValueError as exc:
        return _moved_aside(path, str(exc))
    theme = data.get("theme")
    role = data.get("role")
    export_dir = data.get("export_dir")
    lenses = data.get("lenses")
    asked = data.get("asked_first_run")
    return LoadedState(
        UiState(
            last_place=data.get("last_place"),
            theme=theme if isinstance(theme, str) else None,
            role=role if isinstance(role, str) else None,
            export_dir=export_dir if isinstance(export_dir, str) else None,
            asked_first_run=asked is True,
            lenses={k: v for k, v in lenses.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(lenses, dict)
            else {},
        )
    )


def _moved_aside(path: Path, problem: str) -> LoadedState:
    try:
        moved = move_aside(path)
    except OSError:
        return LoadedState(UiState(), f"{path}: damaged ({problem}); using defaults")
    return LoadedState(UiState(), f"{path}: damaged ({problem}); moved aside to {moved}")


def save_ui_state(path: Path, state: UiState) -> str | None:
    """Save; return a one-line error instead of raising (a read-only home must not crash the app)."""
    try:
        write_atomic(path, json_text(asdict(state)) + "\n")
    except OSError as exc:
        return f"cannot save {path}: {exc.strerror or exc}"
    return None
