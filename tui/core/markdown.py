"""Markdown escaping: text a person typed (or content) can never become structure."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an
# escaped character is always literal. Escaping all that can start or shape structure
# (lists, headings, emphasis, links, code, tables, HTML, quotes) is the simple, safe rule.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~>&:\"'=])")


def escape_inline(text: str) -> str:
    """Escape `text` for use inside one Markdown line; newlines become spaces."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", flat)


def escape_block(text: str) -> list[str]:
    """Escape multi-line text into a list of safe lines (blank lines kept as paragraph breaks)."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.append(escape_inline(raw) if raw.strip() else "")
    return lines
