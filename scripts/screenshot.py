"""Regenerate the README's screenshots with the app itself (Textual's SVG export).

    python scripts/screenshot.py        # writes docs/reader.svg and docs/checklist.svg

Runs against a temporary store and state, never your own.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from tui.app import Bj30App
from tui.core.store.sqlite import Store

DOCS = Path(__file__).resolve().parent.parent / "docs"
SAMPLE = [
    ("uni-017", "done", "Finance signs off every budget change."),
    ("uni-089", "done", ""),
    ("uni-021", "doing", "Waiting for the maths faculty's figures."),
    ("uni-008", "na", "We employ no foreign staff at present."),
    ("uni-001", "done", ""),
]


def sample_app(tmp: Path, place: int) -> Bj30App:
    (tmp / "ui-state.json").write_text(json.dumps({"last_place": place, "role": "university"}), encoding="utf-8")
    app = Bj30App(state_path=tmp / "ui-state.json", store_path=tmp / "progress.sqlite3")
    store = Store.open(tmp / "progress.sqlite3").store
    store.update_profile("default", "Example University", "Science and Technology Office")
    checklist = app.workbench.catalog.require("university")
    for item_id, status, note in SAMPLE:
        item = checklist.item(item_id)
        assert item is not None
        store.update("default", "university", item_id, status=status, note=note, fingerprint=item.fingerprint)
    store.close()
    return app


async def shoot(name: str, size: tuple[int, int], place: int, keys: list[str]) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        app = sample_app(Path(tmp), place)
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.1)
            await pilot.pause(0.3)
            DOCS.mkdir(exist_ok=True)
            path = DOCS / f"{name}.svg"
            path.write_text(app.export_screenshot(title=f"bj30 — {name}"), encoding="utf-8")
            return path


async def main() -> None:
    print(await shoot("reader", (120, 34), 17, []))
    print(await shoot("checklist", (100, 30), 17, ["l", "enter", "j", "j", "j"]))


if __name__ == "__main__":
    asyncio.run(main())
