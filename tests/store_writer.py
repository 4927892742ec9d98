"""A writer process for the store's crash and concurrency tests.

    python tests/store_writer.py STORE_PATH PROFILE COUNT
Marks items w-0 .. w-(COUNT-1) of role "burst" done, one committed change each, and
prints "ack N" only after change N has been committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.store import Store


def main() -> None:
    path, profile, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    opened = Store.open(path)
    store = opened.store
    assert not opened.warnings, opened.warnings
    store.ensure_profile(profile)
    for i in range(count):
        store.update(profile, "burst", f"w-{i}", status="done", note=f"note {i}", fingerprint="fp")
        print(f"ack {i}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
