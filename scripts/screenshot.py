"""Regenerate the README's screenshots with the app itself (Textual's SVG export).

    python scripts/screenshot.py        # writes docs/reader.svg
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from tui.app import Bj30App

DOCS = Path(__file__).resolve().parent.parent / "docs"


async def shoot(name: str, size: tuple[int, int], place: int, keys: list[str]) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "ui-state.json"
        state.write_text(json.dumps({"last_place": place}), encoding="utf-8")
        app = Bj30App(state_path=state)
        async with app.run_test(size=size) as pilot:
            await pilot.press(*keys)
            await pilot.pause(0.3)
            DOCS.mkdir(exist_ok=True)
            path = DOCS / f"{name}.svg"
            path.write_text(app.export_screenshot(title=f"bj30 — {name}"), encoding="utf-8")
            return path


async def main() -> None:
    print(await shoot("reader", (120, 34), 17, []))


if __name__ == "__main__":
    asyncio.run(main())
