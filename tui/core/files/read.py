"""Reading the files bj30 is given: any content gives a one-line problem, never a hang or a traceback.

Every file bj30 reads (user checklists, ui-state, import files, the content) comes through
`read_text` and one of the parsers here:

- Only regular files are read. A FIFO would block the open or the read for ever, /dev/zero
  never ends, a folder is not a file: each is refused, named, at once. (The type is checked
  before the open and again on the open descriptor, which is opened non-blocking.)
- At most MAX_BYTES (5 MB; a 10,000-item checklist is about 3 MB): a larger file is refused.
- UTF-8, with a leading byte-order mark dropped (editors on Windows write one).
- Parsing catches what the parsers raise besides their own errors: RecursionError for deep
  nesting (a TOML array 500 deep, JSON 5,000 deep) and ValueError for an integer of more
  than 4,300 digits.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from tui.core.errors import Bj30Error
from tui.core.files import toml

MAX_BYTES = 5 * 1024 * 1024
NO_SUCH_FILE = "cannot read: no such file"


class FileProblem(Bj30Error):
    """A file that cannot be used; str() is 'PATH: problem'."""

    def __init__(self, path: Path | Traversable | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISREG, "a file"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _refuse_special(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise FileProblem(path, f"is {kind(mode)}, not a regular file; bj30 reads only regular files")


def _too_big(path: Path | Traversable, size: int, limit: int) -> FileProblem:
    return FileProblem(path, f"is {size / 1024 / 1024:.1f} MB; bj30 reads files of up to {limit // 1024 // 1024} MB")


def read_bytes(path: Path | Traversable, *, limit: int = MAX_BYTES) -> bytes:
    if not isinstance(path, Path):  # a packaged resource (possibly inside a zip): ours, but capped too
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
        if len(data) > limit:
            raise _too_big(path, len(data), limit)
        return data
    try:
        _refuse_special(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileProblem(path, NO_SUCH_FILE) from None
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)  # swapped for a FIFO since the stat: still refused
        if info.st_size > limit:
            raise _too_big(path, info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # grew while being read
                raise _too_big(path, total, limit)
            chunks.append(chunk)
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode(path: Path | Traversable | str, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})") from None


def read_text(path: Path | Traversable, *, limit: int = MAX_BYTES) -> str:
    """The text of a regular file of at most `limit` bytes, or FileProblem saying why not."""
    return decode(path, read_bytes(path, limit=limit))


def parse_toml(text: str) -> dict[str, Any]:
    """TOML, or ValueError with a one-line reason (the caller names the file)."""
    try:
        return toml.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except toml.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ValueError(f"not valid TOML: {exc}") from None


def parse_json(text: str) -> Any:
    """JSON, or ValueError with a one-line reason (the caller names the file)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from None
