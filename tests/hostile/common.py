"""Shared pieces of the hostile-input suite: what counts as a control character, a valid
user checklist, and bj30 run as a real process (real argv, real file descriptors)."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from tui.core import locations

REPO = Path(__file__).resolve().parent.parent.parent

# Defined here independently of tui/core/text/safe_text.py, so the tests do not trust the code they test.
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# The attack of issue 12: set the terminal title (OSC 0), ring, clear the screen (CSI 2J),
# write the clipboard (OSC 52), a C1 CSI, and a right-to-left override.
ESCAPES = "hi \x1b]0;pwned\x07 \x1b[2J \x1b]52;c;cHduZWQ=\x07 \x9b31m \u202eevil\u202c end"


def control_chars(text: str, *, allow: str = "\n\t") -> list[str]:
    """Every character in `text` a terminal would act on rather than show."""
    return [
        ch for ch in text if ch not in allow and (unicodedata.category(ch) == "Cc" or ch in BIDI or "\ud800" <= ch <= "\udfff")
    ]


GOOD_ITEM = """
[[items]]
id = "{id}"
text = "{text}"
measures = [17]
quote = "shall not exceed 30 per cent"
"""


def user_checklist(
    role: str = "my-lab", title: str = "My lab", description: str = "Ours", items: int = 1, text: str = "We cap indirect costs."
) -> str:
    """A valid user checklist; strings are TOML basic strings, so \\u001b and the like are escapes."""
    head = f'role = "{role}"\ntitle = "{title}"\naudience = "Us"\ndescription = "{description}"\n'
    return head + "".join(GOOD_ITEM.format(id=f"{role}-{i}", text=text) for i in range(1, items + 1))


def write_user_checklist(name: str, content: str | bytes) -> Path:
    folder = locations.user_checklists_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def bj30(
    *argv: str | bytes, env: dict[str, str] | None = None, timeout: float = 60, **kwargs
) -> subprocess.CompletedProcess[bytes]:
    """`bj30 ARGV...` as a separate process with this test's XDG folders; bytes in and out."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "tui", *argv], env=full_env, timeout=timeout, **kwargs)
