"""A writer process for the store's crash and concurrency tests (either backend).

    python tests/store_writer.py STORE_PATH_OR_URL PROFILE COUNT [shared]
Marks items w-0 .. w-(COUNT-1) of role "burst" done, one committed change each, and
prints "ack N" only after change N has been committed. With "shared", every change is
instead a new note on the one item "shared" of the default profile, which all writers change.
"""

from __future__ import annotations

import sys

from tui.core.store.location import open_store, parse_location


def main() -> None:
    location, profile, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    shared = sys.argv[4:] == ["shared"]
    opened = open_store(parse_location(location))
    store = opened.store
    assert not opened.warnings, opened.warnings
    store.ensure_profile(profile)
    for i in range(count):
        if shared:
            store.update("default", "burst", "shared", note=f"{profile} {i}", fingerprint="fp")
        else:
            store.update(profile, "burst", f"w-{i}", status="done", note=f"note {i}", fingerprint="fp")
        print(f"ack {i}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
