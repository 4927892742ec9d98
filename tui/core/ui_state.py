"""Small UI state remembered across runs: last place read, theme, role lens.

A damaged state file is moved aside (never deleted) and the app starts fresh,
with a message saying where the old file went.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tui.core.atomic import move_aside, write_atomic


@dataclass
class UiState:
    last_place: Any = None
    theme: str | None = None
    role: str | None = None


@dataclass
class LoadedState:
    state: UiState
    warning: str | None = None


def load_ui_state(path: Path) -> LoadedState:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedState(UiState())
    except OSError as exc:
        return LoadedState(UiState(), f"{path}: cannot read ({exc.strerror}); using defaults")
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        theme = data.get("theme")
        role = data.get("role")
        return LoadedState(UiState(
            last_place=data.get("last_place"),
            theme=theme if isinstance(theme, str) else None,
            role=role if isinstance(role, str) else None,
        ))
    except ValueError as exc:
        try:
            moved = move_aside(path)
        except OSError:
            return LoadedState(UiState(), f"{path}: damaged ({exc}); using defaults")
        return LoadedState(UiState(), f"{path}: damaged ({exc}); moved aside to {moved}")


def save_ui_state(path: Path, state: UiState) -> str | None:
    """Save; return a one-line error instead of raising (a read-only home must not crash the app)."""
    try:
        write_atomic(path, json.dumps(asdict(state), ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        return f"cannot save {path}: {exc.strerror or exc}"
    return None
