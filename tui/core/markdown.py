"""Markdown escaping: text a person typed (or content) can never become structure.

The rule, from the CommonMark and GFM specs: anywhere in a line, backslash-escape the
characters that open emphasis, code, links, images, raw HTML, entities, tables,
strikethrough and autolinks (\\ ` * _ [ ] < > | & ~ : @). At the start of a line, also
escape what opens a block (# + - = > and "1." / "1)"). Escaped characters are always
literal, so a note can neither forge a task item nor inject a link, and the raw file
stays readable ("(projects)", "60%" and "don't" are left as they are).

Control characters are made visible first (safe_text.visible: ESC becomes the text \\x1b),
so a report opened with `cat` or `less -R` cannot drive the terminal either.
"""

from __future__ import annotations

import re

from tui.core.safe_text import visible

# str.translate runs in C: an export escapes tens of thousands of cells.
_INLINE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|&~:@"})
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))")
_WWW = re.compile(r"(?i)\b(www)\.")  # GFM turns "www.x.com" into a link


def _escape_inline(text: str) -> str:
    escaped = text.translate(_INLINE)
    return _WWW.sub(r"\1\\.", escaped) if "ww" in escaped.lower() else escaped


def _escape_line(text: str) -> str:
    escaped = _escape_inline(text)
    # "1. item" and "1) item": escape the delimiter after the digits; "# h", "- x": the marker.
    match = _LINE_START.match(escaped)
    if match:
        lead, marker = match.group(1), match.group(2)
        rest = escaped[match.end():]
        if marker[0].isdigit():
            return f"{lead}{marker}\\{rest}"
        return f"{lead}\\{marker}{rest}"
    return escaped


def escape_inline(text: str) -> str:
    """Escape `text` for use inside a Markdown line, after other text; newlines become spaces."""
    return _escape_inline(visible(" ".join(text.split())))


def escape_block(text: str) -> list[str]:
    """Escape multi-line text into a list of safe lines (blank lines kept as empty strings)."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.append(_escape_line(visible(" ".join(raw.split()))) if raw.strip() else "")
    return lines
