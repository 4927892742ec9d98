"""User text on a terminal: control characters are shown, never sent. Core: no Textual.

One rule, used by the CLI, the Markdown and CSV exports and the TUI (`visible`):

- C0 controls other than newline and tab (ESC, BEL, CR, backspace, ...), DEL and the C1
  controls (U+0080-U+009F, among them CSI and OSC) would let a note set the terminal's
  title, clear the screen or write the clipboard (OSC 52).
- The bidi controls (embeddings and overrides U+202A-U+202E, isolates U+2066-U+2069, the
  marks U+200E, U+200F, U+061C) would let a note reorder the text around it.
- A lone surrogate (from a file name or an argument that was not UTF-8) cannot be encoded.

Each of these is shown as the escape Python would write for it: ESC as ``\\x1b``, CSI as
``\\x9b``, RLO as ``\\u202e``, a stray byte 0xff from the command line as ``\\udcff``.
Escapes rather than symbols (such as ␛) because they are ASCII (any output encoding
takes them), name the character exactly, and cover the C1 and bidi controls, which have
no symbols.

NUL and lone surrogates are not text at all: `text_problem` says why, and the store and
the importer refuse them at input.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SHOWN = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL = re.compile(f"[{_SHOWN}]")
_CONTROL_OR_BREAK = re.compile(f"[{_SHOWN}\n\t]")
# What json.dumps leaves raw (it escapes C0 itself): DEL, C1, bidi controls, lone surrogates.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character shown as an escape (see the module's docstring).

    Newline and tab are kept, unless `one_line`: then they are shown too, so that a file
    name or a key quoted in a one-line message cannot start a line of its own.
    """
    pattern = _CONTROL_OR_BREAK if one_line else _CONTROL
    return pattern.sub(_escape, text) if pattern.search(text) else text


def has_controls(text: str) -> bool:
    """True if `visible` would change `text` (newline and tab aside)."""
    return _CONTROL.search(text) is not None


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text (a NUL, a lone surrogate), or None if it can."""
    if "\x00" in value:
        return "contains a NUL character (\\x00)"
    surrogate = _SURROGATE.search(value)
    if surrogate:
        return f"contains {visible(surrogate.group())}, which is not text (the input was not valid UTF-8)"
    return None


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """JSON for files and terminals: valid JSON, readable Unicode, and no raw control character.

    json.dumps escapes C0 controls; the rest (DEL, C1, bidi controls, lone surrogates) is
    escaped here as \\uXXXX, which is the same JSON value. They can only occur inside strings.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_RAW.search(text) else text
