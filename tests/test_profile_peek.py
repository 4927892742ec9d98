"""The header line names the institution without opening the store for writing."""

from __future__ import annotations

from pathlib import Path

from tui.core.progress.profile import Profile, peek_profile
from tui.core.store.sqlite import Store


def test_peek_reads_the_profile_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    assert peek_profile(path, "default") is None
    assert list(tmp_path.iterdir()) == []  # no store made just to look
    store = Store.open(path).store
    store.create_profile("pku", "Peking University", "Technology Transfer Office")
    # While another bj30 holds the store open (WAL files present) ...
    assert peek_profile(path, "pku") == Profile("pku", "Peking University", "Technology Transfer Office")
    store.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    # ... and once it is closed.
    assert peek_profile(path, "pku") == Profile("pku", "Peking University", "Technology Transfer Office")
    assert peek_profile(path, "default") == Profile("default")
    assert peek_profile(path, "nobody") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_peek_at_a_damaged_file_is_none_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    assert peek_profile(path, "default") is None
    assert path.read_bytes() == b"not a database at all" * 100
