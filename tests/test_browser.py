"""The app in a real browser: `bj30 serve` driven through the machine's headless Chromium by Playwright.

Chromium is Debian's (/usr/bin/chromium; .ci/run installs it), never a browser Playwright downloads,
and it is kept off the network: the page may reach only the test's server. Under CI (CI=true)
these tests must run and fail when Chromium cannot start; elsewhere they skip with the reason.

textual-serve draws with xterm.js on a canvas, so the text is read from xterm's own buffer: a
script added before the page loads keeps each xterm Terminal that textual.js stores on its
`terminal` property, and the tests read the visible rows with the Terminal's public buffer API.
"""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serving import Served, assert_stopped_cleanly, bj30, require, require_web_extra, serving, wait_for_exit

# Slow (a real browser, a real server): left out of the quick loop, `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS_SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "browser.png"
WAIT_MS = 30_000  # only so that a broken page fails the test instead of hanging it

KEEP_TERMINALS = """
(() => {
  const terminals = [];
  window.__bj30Terminals = terminals;
  Object.defineProperty(Object.prototype, 'terminal', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
      if (value && value.buffer && value.buffer.active && typeof value.write === 'function') terminals.push(value);
    },
  });
})();
"""

SCREEN_TEXT = """() => {
  const terminal = (window.__bj30Terminals || [])[0];
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""

SCREEN_HAS = "(wanted) => { const text = (" + SCREEN_TEXT + ")(); return text !== null && wanted.every(w => text.includes(w)); }"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        require(False, "playwright is not installed (pip install -e '.[test,web]')")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        except Error as exc:
            require(False, f"Chromium at {CHROMIUM} did not start: {str(exc).splitlines()[0]}")
        yield chromium
        chromium.close()


class Tab:
    """One browser tab on the served app: keys in, screen text out."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def screen(self) -> str:
        return str(self.page.evaluate(SCREEN_TEXT) or "")

    def wait_for(self, *wanted: str) -> str:
        """Polls the terminal until every string in `wanted` is on the screen; the screen then."""
        from playwright.sync_api import TimeoutError

        try:
            self.page.wait_for_function(SCREEN_HAS, arg=list(wanted), polling=50, timeout=WAIT_MS)
        except TimeoutError:
            pytest.fail(f"not on the screen: {wanted!r}; the screen:\n{self.screen()}", pytrace=False)
        return self.screen()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def click_line(self, starting: str, column: int) -> None:
        """Clicks with the mouse on the screen line that starts with `starting`, at `column`."""
        lines = self.screen().splitlines()
        row = next(index for index, line in enumerate(lines) if line.startswith(starting))
        box = self.page.locator(".xterm-screen").bounding_box()
        cell_height = box["height"] / len(lines)
        cell_width = box["width"] / max(len(line) for line in lines)
        self.page.mouse.click(box["x"] + cell_width * (column + 0.5), box["y"] + cell_height * (row + 0.5))


def open_app(browser: Any, served: Served, *, first_run: bool = True) -> Tab:
    """A tab with the app; on a fresh store the first run asks the institution and the name: skipped
    here as a new officer may (escape), which the app says, and does not ask again."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(KEEP_TERMINALS)
    # Only the test's server: textual-serve's page also asks for a web font, which must not leave the machine.
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served.url + "/") else route.abort())
    page.goto(served.url + "/")
    page.wait_for_function("() => (window.__bj30Terminals || []).length > 0", timeout=WAIT_MS)
    tab = Tab(page)
    tab.wait_for("Preamble", "g Go to")  # the reader, on a fresh store
    page.focus("textarea.xterm-helper-textarea")  # where xterm.js takes the keyboard
    if first_run:
        tab.wait_for("Welcome to bj30", "Institution", "Your name")
        tab.press("Escape")
        tab.wait_for("Skipped")
    return tab


def notification(screen: str) -> str:
    """The text of the notifications (right of their ▌ edge), without whitespace, since a
    notification wraps its text anywhere, a path included, and without block characters, since
    a scrollbar of the pane behind it can show at its right."""
    parts = [line.rsplit("▌", 1)[1] for line in screen.splitlines() if "▌" in line]
    text = "".join("".join(parts).split())
    return "".join(char for char in text if not "\u2580" <= char <= "\u259f")


def item_counts(cwd: Path) -> dict[str, int]:
    """Items per role, as the command line reports them (the checklists change; the test need not)."""
    result = bj30("checklists", "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return {entry["role"]: entry["items"] for entry in json.loads(result.stdout)}


def test_the_app_in_a_browser(browser: Any, tmp_path: Path) -> None:
    require_web_extra()
    import psutil

    items = item_counts(tmp_path)["university"]
    with serving(tmp_path) as served:
        tab = open_app(browser, served)

        tab.press("g")
        tab.wait_for("Go to", "e.g. 17, III, notice")
        tab.press("1", "7", "Enter")
        screen = tab.wait_for(
            "bj30 · Measure 17 · Part IV",
            "17. Increase Incentives for the Scientific Research Projects Funding",
            "the approved proportion of indirect expenses shall not exceed 30 per cent",
        )
        assert "e.g. 17, III, notice" not in screen

        tab.press("l")
        tab.wait_for("bj30 · Checklists", "Profile default", "university", f"0/{items} done")
        tab.press("Enter")
        screen = tab.wait_for("Universities and institutions of higher learning", f"0/{items} done", "Status: to do")
        # The highlighted item is the one the detail pane below the list describes.
        match = re.search(r"^ (uni-\d{3}) · measure", screen, re.MULTILINE)
        assert match, screen
        item = match.group(1)
        tab.press("Space")
        tab.wait_for(f"1/{items} done", f"[x] {item}", "Status: done")

        # Committed: the command line, a separate process on the same store, sees the tick.
        result = bj30("checklist", "university", "--format", "json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        done = [entry["id"] for entry in json.loads(result.stdout)["items"] if entry["status"] == "done"]
        assert done == [item]

        # Export writes on the serving machine (where `bj30 serve` runs) and the browser says where.
        tab.press("x")
        tab.wait_for("Export the university checklist")
        tab.press("Enter")
        screen = tab.wait_for("Exported")
        [written] = list(tmp_path.glob("bj30-university-default-*.md"))
        assert f"- [x] **{item}**" in written.read_text(encoding="utf-8")
        wrote = f"Exported Wrote {items} items (md) to {written} on the machine serving bj30"
        assert "".join(wrote.split()) in notification(screen), screen

        shot = tmp_path / "browser.png"
        tab.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("BJ30_UPDATE_DOCS") == "1":  # the README's picture, refreshed on request
            DOCS_SCREENSHOT.write_bytes(shot.read_bytes())

        # Ctrl+C with the tab still open: the server stops and takes its app process with it.
        apps = psutil.Process(served.process.pid).children(recursive=True)
        assert len(apps) == 1
        served.process.send_signal(signal.SIGINT)
        assert wait_for_exit(served.process) == 0, served.output()
        assert not apps[0].is_running()
        assert_stopped_cleanly(served)
        tab.page.close()


def test_each_tab_runs_its_own_app_on_the_same_store(browser: Any, tmp_path: Path) -> None:
    require_web_extra()
    soe_items = item_counts(tmp_path)["soe"]
    with serving(tmp_path) as served:
        first = open_app(browser, served)
        second = open_app(browser, served, first_run=False)  # asked once, in the first tab
        # The mouse: a click on a measure in the contents opens it.
        first.click_line("  17.", column=10)
        first.wait_for(
            "Part IV. Deepen the Reform of Scientific Research Management",
            "17. Increase Incentives for the Scientific Research Projects Funding",
        )
        assert "Part IV." not in second.screen()  # the second tab's app did not move

        # The palette (ctrl+p, which the browser would otherwise keep for printing).
        second.press("Control+p")
        second.wait_for("Search for commands")
        second.page.keyboard.type("customs")
        second.wait_for("Measure 27. Improve the Facilitation of Customs Clearance")
        second.press("Enter")
        second.wait_for("Part V. Optimize Ecosystem", "27. Improve the Facilitation of Customs Clearance")

        assert bj30("mark", "soe", "soe-001", "done", cwd=tmp_path).returncode == 0
        second.press("l")
        second.wait_for("bj30 · Checklists", "Profile default", f"1/{soe_items} done")
