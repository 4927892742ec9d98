"""UI state is saved atomically; a damaged file is moved aside, never deleted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.ui_state import UiState, load_ui_state, save_ui_state


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "ui-state.json"
    assert load_ui_state(path).state == UiState()
    assert save_ui_state(path, UiState(last_place=17, theme="nord", role="soe")) is None
    loaded = load_ui_state(path)
    assert loaded.warning is None
    assert (loaded.state.last_place, loaded.state.theme, loaded.state.role) == (17, "nord", "soe")
    assert [p.name for p in path.parent.iterdir()] == ["ui-state.json"]  # no temp files left


@pytest.mark.parametrize("garbage", ["{not json", "[1, 2]", "\x00\x01"])
def test_damaged_file_is_moved_aside(tmp_path: Path, garbage: str) -> None:
    path = tmp_path / "ui-state.json"
    path.write_text(garbage, encoding="utf-8")
    loaded = load_ui_state(path)
    assert loaded.state == UiState()
    assert loaded.warning and "moved aside to" in loaded.warning
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("ui-state.json.damaged-")]
    assert len(moved) == 1 and moved[0].read_text(encoding="utf-8") == garbage
    assert str(moved[0]) in loaded.warning


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_reports_instead_of_raising(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        error = save_ui_state(folder / "ui-state.json", UiState(last_place=3))
        assert error and "cannot save" in error
    finally:
        folder.chmod(0o700)


def test_unwritable_path_reports_instead_of_raising(tmp_path: Path) -> None:
    # A file where the folder should be fails for root too.
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    error = save_ui_state(blocker / "ui-state.json", UiState(last_place=3))
    assert error and "cannot save" in error and "blocker" in error


def test_atomic_write_gives_normal_permissions(tmp_path: Path) -> None:
    from tui.core.files.atomic import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.md", "x")
        assert (tmp_path / "report.md").stat().st_mode & 0o777 == 0o644
        (tmp_path / "kept.md").write_text("old")
        (tmp_path / "kept.md").chmod(0o640)
        write_atomic(tmp_path / "kept.md", "new")
        assert (tmp_path / "kept.md").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
