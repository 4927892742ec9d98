"""Issue 12, section 7: export targets, broken output streams, and validation.

- An export never replaces what is not a regular file (a device, a FIFO), with or without
  --force; a dangling symbolic link needs --force; a missing folder is refused by the CLI as
  the TUI refuses it (one core check for both).
- Closed stdout or stdin, /dev/full, an ASCII-only output encoding and a note that is not
  UTF-8 end without a traceback; `bj30 mark` exits 0 exactly when the change was committed.
- Validation: a quote identifies one place; a measure is cited once; dates are stored as
  YYYY-MM-DD or refused.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.hostile.common import bj30, control_chars, user_checklist, write_user_checklist
from tui.core import locations

# Export targets --------------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True], ids=["plain", "--force"])
def test_an_export_never_replaces_a_device(capsys, tmp_path: Path, force: bool) -> None:
    device = tmp_path / "full"
    os.mknod(device, 0o600 | 0o020000, os.makedev(1, 7))  # a character device: /dev/full's numbers
    link = tmp_path / "link.md"
    link.symlink_to("/dev/full")
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    for target in (device, link, fifo):
        code, _, err = run_cli(capsys, "export", "soe", "-o", str(target), *(["--force"] if force else []))
        assert code == 1 and "not a regular file" in err and "never replaces" in err, err
    assert (device.lstat().st_mode & 0o170000) == 0o020000  # still the device node
    assert link.is_symlink() and os.readlink(link) == "/dev/full"
    assert (fifo.lstat().st_mode & 0o170000) == 0o010000


def test_a_dangling_symlink_needs_force(capsys, tmp_path: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "gone" / "nowhere.md")
    code, _, err = run_cli(capsys, "export", "soe", "-o", str(link))
    assert code == 1 and "--force" in err and link.is_symlink()
    code, _, err = run_cli(capsys, "export", "soe", "-o", str(link), "--force")
    assert code == 0, err
    assert not link.is_symlink() and link.read_text().startswith("# ")


def test_a_missing_folder_is_refused_by_cli_and_tui_alike(capsys, tmp_path: Path) -> None:
    from tui.core.export.rows import export_target_problem

    target = tmp_path / "no" / "such" / "folder" / "report.md"
    expected = export_target_problem(target)
    assert expected == f"no folder {target.parent}: create it first, or choose another place"
    code, _, err = run_cli(capsys, "export", "soe", "-o", str(target))
    assert code == 1 and err.strip() == f"bj30: {expected}"
    assert not (tmp_path / "no").exists()  # not created behind the user's back


# Output streams -------------------------------------------------------------------------------


def _status(item_id: str = "soe-001") -> str:
    conn = sqlite3.connect(locations.store_path())
    row = conn.execute("SELECT status FROM progress WHERE item_id = ?", (item_id,)).fetchone()
    conn.close()
    return row[0] if row else "todo"


def test_closed_stdout_and_stdin() -> None:
    done = bj30("toc", stderr=-1, **_closed(1))
    assert b"Traceback" not in done.stderr and done.returncode == 1
    assert done.stderr.decode().strip() == "bj30: standard output is closed: the output was lost"
    done = bj30("mark", "soe", "soe-001", "done", stderr=-1, **_closed(1))
    assert b"Traceback" not in done.stderr and done.returncode == 0 and _status() == "done"
    done = bj30(stdout=-1, stderr=-1, **_closed(0))  # the TUI with no stdin
    assert b"Traceback" not in done.stderr and done.returncode == 2 and b"needs a terminal" in done.stderr


def _closed(fd: int) -> dict:
    """Run the child with file descriptor `fd` closed, as `bj30 >&-` or `bj30 <&-` does."""
    return {"preexec_fn": lambda: os.close(fd)}


def test_a_full_stdout_after_the_commit_still_exits_0() -> None:
    with open("/dev/full", "w") as full:
        done = bj30("mark", "soe", "soe-001", "done", stdout=full, stderr=-1)
    err = done.stderr.decode()
    assert done.returncode == 0 and _status() == "done" and "Traceback" not in err
    assert (
        err.strip() == "bj30: warning: soe soe-001: done was saved, but it could not be said: "
        "standard output: No space left on device"
    )
    with open("/dev/full", "w") as full:
        done = bj30("toc", stdout=full, stderr=-1)
    assert (
        done.returncode == 1
        and done.stderr.decode().strip() == "bj30: cannot write the output: standard output: No space left on device"
    )


def test_a_refused_mark_exits_1_even_with_stdout_full() -> None:
    with open("/dev/full", "w") as full:
        done = bj30("mark", "soe", "soe-001", "na", stdout=full, stderr=-1)
    assert done.returncode == 1 and _status() == "todo" and b"N/A needs a reason" in done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ("checklist", "university"),
        ("checklists",),
        ("profiles",),
        ("toc",),
        ("show", "17"),
        ("export", "soe"),
        ("checklist", "soe", "--format", "json"),
    ],
)
def test_an_ascii_terminal_gets_escapes_not_a_traceback(argv: tuple[str, ...]) -> None:
    bj30("mark", "soe", "soe-001", "doing", "--note", "北京 · 60% “quoted”")
    done = bj30(*argv, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    done.stdout.decode("ascii")  # nothing but ASCII reached the terminal
    if "json" in argv:
        data = json.loads(done.stdout)
        assert next(i for i in data["items"] if i["id"] == "soe-001")["note"] == "北京 · 60% “quoted”"


def test_a_note_that_is_not_utf8_is_refused_clearly() -> None:
    done = bj30(b"mark", b"soe", b"soe-001", b"doing", b"--note", b"caf\xe9")
    err = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in err and _status() == "todo"
    assert err.strip() == "bj30: note contains \\udce9, which is not text (the input was not valid UTF-8); nothing was saved"
    assert control_chars(err) == []


# Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote, message",
    [
        ("a", "quote at least 4 words"),
        (",", "quote at least 4 words"),
        ("the", "quote at least 4 words"),
        ("of the indirect expenses", "occurs 2 times in measure 17; quote more words"),
    ],
    ids=["a", "comma", "the", "four common words"],
)
def test_a_quote_must_identify_one_place(capsys, quote: str, message: str, policy) -> None:
    from tui.core.content.checklist import normalise_space

    if "occurs" in message:
        assert normalise_space(policy.measure(17).text).count(quote) == 2  # the premise of the case
    path = write_user_checklist("lab.toml", user_checklist().replace("shall not exceed 30 per cent", quote))
    code, out, _ = run_cli(capsys, "validate", str(path))
    assert code == 1 and message in out, out


def test_a_measure_is_cited_once(capsys) -> None:
    path = write_user_checklist("lab.toml", user_checklist().replace("measures = [17]", "measures = [17, 17]"))
    code, out, _ = run_cli(capsys, "validate", str(path))
    assert code == 1 and "measure 17 is cited twice" in out


@pytest.mark.parametrize(
    "typed, stored", [("20261231", "2026-12-31"), ("2026-W01-1", "2025-12-29"), (" 2026-12-31 ", "2026-12-31")]
)
def test_due_dates_are_stored_as_yyyy_mm_dd(capsys, typed: str, stored: str) -> None:
    code, _, err = run_cli(capsys, "mark", "soe", "soe-001", "doing", "--due", typed)
    assert code == 0, err
    code, out, _ = run_cli(capsys, "checklist", "soe", "--format", "json")
    assert next(i for i in json.loads(out)["items"] if i["id"] == "soe-001")["due"] == stored


@pytest.mark.parametrize("typed", ["2026-02-30", "31/12/2026", "2026-12", "tomorrow", "+2026-12-31"])
def test_other_due_dates_are_refused(capsys, typed: str) -> None:
    code, _, err = run_cli(capsys, "mark", "soe", "soe-001", "doing", "--due", typed)
    assert code == 1 and ("is not a date like 2026-12-31" in err or "is a day that does not exist" in err)
