"""Markdown escaping: text a person typed (or content) can never become structure.

A report is emailed as it is, so its raw text must read well too: only what would
otherwise become structure is escaped (CommonMark and GFM as markdown-it-py and GitHub
render them), and "10:19", "R&D", "snake_case", "a < b" and "60%" stay as they are.

Anywhere in a line:
- always: ` * ~ [ | (code, emphasis, strikethrough, links and images, table cells);
- a backslash before ASCII punctuation or at the end of the text (it would escape what
  follows, or become a hard line break);
- `_` unless it stands inside a word (intraword underscores never make emphasis);
- `<` before a letter, `/`, `!` or `?` (raw HTML, comments, autolinks);
- `&` that would start an entity (`&amp;`, `&#60;`);
- the colon of a URL scheme before `//` and of `mailto:`, the dot of `www.`, and the `@` of
  an e-mail address (GFM's and linkify's autolinks).

At the start of a line (or of a list item's text), also what opens a block: # + - = > and
the delimiter of "1." / "1)". Escaped characters are always literal, so a note can neither
forge a task item nor inject a link.

A bare domain (pku.edu.cn) stays as typed: GitHub leaves it text, and a renderer with
linkify's fuzzy links shows it as a link whose text is its own address, so nothing can hide
behind it; escaping every dot would spoil the raw text for that.

Control characters are made visible first (safe_text.visible: ESC becomes the text \\x1b),
so a report opened with `cat` or `less -R` cannot drive the terminal either.
"""

from __future__ import annotations

import re

from tui.core.text.safe_text import visible

_INLINE = re.compile(
    r"""
      \\(?=[!-/:-@\[-`{-~]|$)               # a backslash that would escape, or break the line
    | [`*~\[|]                              # code, emphasis, strikethrough, links, table cells
    | (?<![^\W_])_ | _(?![^\W_])            # an underscore not inside a word
    | <(?=[A-Za-z/!?])                      # raw HTML, comments, autolinks
    | &(?=\#?[A-Za-z0-9]+;)                 # an entity
    | (?<=[A-Za-z0-9._+-])@(?=[A-Za-z0-9-]+\.[A-Za-z0-9])   # an e-mail address
    | (?i:(?<=\bwww)\.)                     # www.example.com
    | (?i:(?<=\bmailto):)                   # mailto:
    | (?<=[A-Za-z0-9]):(?=//)              # a URL scheme: http://, ftp://
    """,
    re.VERBOSE,
)
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))")


def _escape_inline(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m.group(), text)


def _escape_line(text: str) -> str:
    escaped = _escape_inline(text)
    # "1. item" and "1) item": escape the delimiter after the digits; "# h", "- x": the marker.
    match = _LINE_START.match(escaped)
    if match:
        lead, marker = match.group(1), match.group(2)
        rest = escaped[match.end() :]
        if marker[0].isdigit():
            return f"{lead}{marker}\\{rest}"
        return f"{lead}\\{marker}{rest}"
    return escaped


def escape_inline(text: str) -> str:
    """Escape `text` for use inside a Markdown line, after other text; newlines become spaces."""
    return _escape_inline(visible(" ".join(text.split())))


def escape_start(text: str) -> str:
    """Escape `text` that starts a line or a list item's text (`- TEXT`): block markers too."""
    return _escape_line(visible(" ".join(text.split())))


def escape_block(text: str) -> list[str]:
    """Escape multi-line text into a list of safe lines (blank lines kept as empty strings)."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.append(_escape_line(visible(" ".join(raw.split()))) if raw.strip() else "")
    return lines
