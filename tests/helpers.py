"""Helpers for the Pilot tests."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def plain(widget: Static) -> str:
    """The literal text a Static shows (what the user reads)."""
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `bj30 ARGV...` in-process: (exit code, stdout, stderr)."""
    from tui.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's --help, --version and usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# Keys as a terminal sends them when typed faster than the app handles them (a fast typist, a
# paste, tmux send-keys): all posted at once, none waiting for the one before, unlike
# pilot.press, which waits for the app to go idle after each key.
_KEY_NAMES = {" ": "space", "/": "slash", "?": "question_mark", "-": "minus", ".": "full_stop", ",": "comma"}
_CHARACTERS = {"enter": "\r", "tab": "\t", "space": " ", "escape": "\x1b", "backspace": "\x7f"}


def burst(app, *tokens: str) -> None:
    """Post keys in one burst: `<name>` is one key by name (`<enter>`, `<tab>`), anything else is
    typed character by character."""
    from textual import events

    for token in tokens:
        if token.startswith("<") and token.endswith(">") and len(token) > 2:
            name = token[1:-1]
            app.post_message(events.Key(name, _CHARACTERS.get(name)))
            continue
        for ch in token:
            app.post_message(events.Key(_KEY_NAMES.get(ch, ch), ch))


async def settle(pilot, rounds: int = 200) -> None:
    """Until the keys posted have all been handled and the app has caught up (a bounded number of
    pauses, not a time limit: a busy machine only takes longer)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        settled = getattr(app, "input_settled", None)  # an App without keys held in order: pauses only
        if settled is None or (not app.keys_waiting and settled()):
            break
    await app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()
