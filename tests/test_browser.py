"""The app in a real browser: `bj30 serve` driven through the machine's headless Chromium by Playwright.

Chromium is Debian's (/usr/bin/chromium; .ci/run installs it), never a browser Playwright downloads,
and it is kept off the network: the page may reach only the test's server. Under CI (CI=true)
these tests must run and fail when Chromium cannot start; elsewhere they skip with the reason.
Every request a page makes is recorded, and one to any other origin fails the test: nothing the page
loads may leave the serving machine (the page once asked Google for a font).

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

from tests.serving import (
    HeaderProxy,
    Served,
    assert_stopped_cleanly,
    bj30,
    require,
    require_web_extra,
    serving,
    wait_for_exit,
)

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
    """One browser tab on the served app: keys in, screen text out, every request it made."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url
        self.requests: list[str] = []

    def foreign(self) -> list[str]:
        """The requests (websockets included) that went anywhere but the served origin."""
        ours = (self.url + "/", "ws" + self.url.removeprefix("http") + "/")
        return [url for url in self.requests if not url.startswith(ours)]

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

    def wait_until(self, holds: Any, what: str) -> str:
        """Polls the screen until `holds(screen)`; the screen then."""
        import time

        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            time.sleep(0.05)
        pytest.fail(f"never on the screen: {what}; the screen:\n{self.screen()}", pytrace=False)

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


def open_app(browser: Any, served: Served | str, ready: tuple[str, ...] = ("Preamble", "g Go to")) -> Tab:
    """A new tab (its own browser context) on the served app at `served` (or a URL), once `ready` shows."""
    url = served if isinstance(served, str) else served.url
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    tab = Tab(page, url)
    page.add_init_script(KEEP_TERMINALS)
    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("websocket", lambda websocket: tab.requests.append(websocket.url))
    # Recorded above, then kept off the network: nothing may leave the machine, even in a failing test.
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url + "/") else route.abort())
    page.goto(url + "/")
    page.wait_for_function("() => (window.__bj30Terminals || []).length > 0", timeout=WAIT_MS)
    tab.wait_for(*ready)  # the reader, on a fresh store
    page.focus("textarea.xterm-helper-textarea")  # where xterm.js takes the keyboard
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
        # Back and forward: xterm.js sends alt+arrow as ctrl+arrow, which the reader takes too.
        tab.press("Alt+ArrowLeft")
        tab.wait_for("bj30 · Preamble")
        tab.press("Alt+ArrowRight")
        tab.wait_for("bj30 · Measure 17 · Part IV")

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

        # Export: in a browser, a download by default; its content is the report.
        tab.press("x")
        screen = tab.wait_for("Export the university checklist", "Download it to this browser", "enter downloads")
        with tab.page.expect_download(timeout=WAIT_MS) as offered:
            tab.press("Enter")
        download = offered.value
        assert re.fullmatch(r"bj30-university-default-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename)
        report = Path(download.path()).read_text(encoding="utf-8")
        assert f"- [x] **{item}**" in report and "Universities and institutions of higher learning" in report
        assert report.count("- [x] ") == 1 and report.count("- [ ] ") == items - 1
        screen = tab.wait_for("Exported")
        said = f"Exported {items} items (md). Your browser downloads it as {download.suggested_filename}"
        assert "".join(said.split()) in notification(screen), screen
        assert not list(tmp_path.glob("bj30-university-*.md"))  # nothing written on the server

        # Or written on the serving machine (where `bj30 serve` runs), and the browser says where.
        tab.press("x")
        tab.wait_for("Export the university checklist")
        tab.press("Tab", "ArrowDown", "Enter")  # to "Write it on the machine serving bj30"
        tab.wait_for("enter writes", str(tmp_path)[:40])
        tab.press("Shift+Tab", "Enter")
        screen = tab.wait_for("Wrote")
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
        assert tab.foreign() == []
        tab.page.close()


def test_each_tab_runs_its_own_app_on_the_same_store(browser: Any, tmp_path: Path) -> None:
    require_web_extra()
    soe_items = item_counts(tmp_path)["soe"]
    with serving(tmp_path) as served:
        first = open_app(browser, served)
        second = open_app(browser, served)
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
        # Served to everyone as the server's user: the header says whose name changes go under.
        second.wait_for("changes recorded as officer")
        assert first.foreign() == [] and second.foreign() == []


def box_after(label: str, screen: str) -> str:
    """What the input box below `label` holds (its middle line, between the ▊ and ▎ edges)."""
    lines = screen.splitlines()
    row = next(i for i, line in enumerate(lines) if label in line) + 2
    return lines[row].split("▊", 1)[1].rsplit("▎", 1)[0].strip()


def machine_address() -> str:
    """An IPv4 address of this machine that is not loopback: where a colleague's browser would connect."""
    import socket

    import psutil

    for entries in psutil.net_if_addrs().values():
        for entry in entries:
            if entry.family == socket.AF_INET and not entry.address.startswith("127."):
                return str(entry.address)
    require(False, "this machine has no IPv4 address beyond loopback")
    return ""


PAGE_URLS = """() => [
  ...[...document.querySelectorAll('[href]')].map(e => e.getAttribute('href')),
  ...[...document.querySelectorAll('[src]')].map(e => e.getAttribute('src')),
  ...[...document.querySelectorAll('[data-session-websocket-url]')].map(e => e.dataset.sessionWebsocketUrl),
  ...[...document.styleSheets]
     .flatMap(sheet => { try { return [...sheet.cssRules].map(r => r.cssText); } catch (e) { return []; } })
     .flatMap(text => [...text.matchAll(/url\\("?([^")]+)/g)].map(m => m[1])),
]"""


def test_a_colleague_on_another_machine(browser: Any, tmp_path: Path) -> None:
    """`--public` without `--public-url`, opened at the machine's own address (not loopback): every
    address in the page is that one, the app starts, and nothing is fetched from anywhere else."""
    require_web_extra()
    address = machine_address()
    with serving(tmp_path, "--host", "0.0.0.0", "--public") as served:
        url = f"http://{address}:{served.url.rsplit(':', 1)[1]}"
        tab = open_app(browser, url)
        urls = [u for u in tab.page.evaluate(PAGE_URLS) if not u.startswith("data:")]
        assert len(urls) >= 5, urls
        for found in urls:
            assert found.startswith((url + "/", "ws" + url.removeprefix("http") + "/")), found
        # The font is this server's, and it is the one xterm.js draws with.
        assert f"{url}/static/fonts/RobotoMono-VariableFont_wght.ttf" in tab.requests
        assert tab.page.evaluate("""() => document.fonts.check('16px "Roboto Mono"')""")
        assert any(r.startswith(f"ws://{address}:") for r in tab.requests)
        tab.press("g")
        tab.wait_for("Go to", "e.g. 17, III, notice")
        tab.press("2", "4", "Enter")
        tab.wait_for("bj30 · Measure 24")
        assert tab.foreign() == [], tab.foreign()


def test_two_users_behind_an_authenticating_proxy(browser: Any, tmp_path: Path) -> None:
    """--user-header: each tab's changes are recorded under the user its proxy named."""
    require_web_extra()
    from tui.core import locations
    from tui.core.store.sqlite import Store

    items = item_counts(tmp_path)["university"]
    with (
        serving(tmp_path, "--user-header", "Remote-User") as served,
        HeaderProxy(served.url, "Wang Li") as wang,
        HeaderProxy(served.url, "Li Na") as li,
    ):
        ticked = {}
        for proxy, down in ((wang, 0), (li, 1)):
            tab = open_app(browser, proxy.url)
            tab.wait_for(f"you: {proxy.user}")
            tab.press("l")
            tab.wait_for("bj30 · Checklists", "university")
            tab.press("Enter")
            tab.wait_for("Universities and institutions of higher learning", "Status: ")
            tab.press(*["ArrowDown"] * down)
            screen = tab.wait_for("Status: to do")
            match = re.search(r"^ (uni-\d{3}) · measure", screen, re.MULTILINE)
            assert match, screen
            ticked[proxy.user] = match.group(1)
            tab.press("Space")
            tab.wait_for(f"{len(ticked)}/{items} done", f"[x] {match.group(1)}")
            assert tab.foreign() == []
    assert len(set(ticked.values())) == 2
    store = Store.open(locations.store_path()).store
    try:
        history = store.history("default", "university")
    finally:
        store.close()
    by = {(entry.item_id, entry.by) for entry in history if entry.field == "status"}
    assert by == {(ticked["Wang Li"], "Wang Li"), (ticked["Li Na"], "Li Na")}


def test_team_store_each_user_signs_in(browser: Any, tmp_path: Path, isolated_home: Path) -> None:
    """--login: the browser asks each user for their own database login, and the database records
    them. The password is never logged, stored, or put on a command line or in an environment."""
    require_web_extra()
    import psutil
    from psycopg import sql

    from tests import pg
    from tui.core.store.location import open_store, parse_location

    password = "Correct-Horse-7301"
    with pg.fresh_schema() as url, pg.roles("officer") as (officer,):
        owner = open_store(parse_location(url)).store  # the owner sets the store up, then lets the officer in
        owner.grant(officer, "officer")  # type: ignore[attr-defined]
        owner.close()
        with pg.admin() as conn:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(officer), sql.Literal(password)))
        with serving(tmp_path, "--store", url, "--login") as served:
            tab = open_app(browser, served, ready=("Sign in to the team store", "Database user:"))
            # A login the database refuses: said, and the user tries again.
            tab.page.keyboard.type("nobody_here")
            tab.press("Tab")
            tab.page.keyboard.type("wrong")
            tab.press("Enter")
            screen = tab.wait_for("Not signed in:", "nobody_here")
            assert "wrong" not in screen
            tab.press("Shift+Tab", "End", "Control+u")
            # Textual runs an input's editing keys a moment after its typed characters: wait for the
            # box to be empty before typing again, as a person would look.
            tab.wait_until(lambda screen: box_after("Database user:", screen) == "", "an empty user box")
            tab.page.keyboard.type(officer)
            tab.press("Tab")
            tab.page.keyboard.type(password)
            assert password not in tab.screen()  # shown as dots
            tab.press("Enter")
            tab.wait_for("Preamble", f"you: {officer}")
            tab.press("l")
            tab.wait_for("bj30 · Checklists", "university")
            tab.press("Enter")
            screen = tab.wait_for("Status: to do")
            item = re.search(r"^ (uni-\d{3}) · measure", screen, re.MULTILINE)
            assert item, screen
            tab.press("Space")
            tab.wait_for(f"[x] {item.group(1)}")
            apps = psutil.Process(served.process.pid).children(recursive=True)
            assert len(apps) == 1
            for app in apps:
                assert password not in " ".join(app.cmdline())
                assert all(password not in value for value in app.environ().values())
            with pg.admin() as conn:
                rows = conn.execute(
                    sql.SQL("SELECT by FROM {}.history WHERE item_id = %s AND field = 'status'").format(
                        sql.Identifier(pg.schema_of(url))
                    ),
                    (item.group(1),),
                ).fetchall()
            assert rows == [(officer,)]
            assert tab.foreign() == []
        assert password not in served.output()
        for folder in (tmp_path, isolated_home):
            for path in folder.rglob("*"):
                if path.is_file():
                    assert password.encode() not in path.read_bytes(), path
