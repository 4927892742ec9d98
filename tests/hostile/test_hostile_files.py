"""Issue 12, section 3: one small hostile file stops nothing.

Every file bj30 reads (user checklists, ui-state, import files, the content) is parsed so that
any content gives a reported problem naming the file, and everything else loads. Anything that
is not a regular file is refused (a FIFO would hang, /dev/zero never ends); files over 5 MB are
refused with a clear message; a damaged ui-state is moved aside like a damaged store.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import threading
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.hostile.common import bj30, control_chars, user_checklist, write_user_checklist
from tui.core import locations
from tui.core.ui_state import LoadedState, UiState, load_ui_state, save_ui_state

DEEP = 500
HOSTILE_TOML: dict[str, bytes] = {
    "deep array": b"a = " + b"[" * DEEP + b"]" * DEEP + b"\n",
    "deep inline table": b"a = " + b"{b = " * DEEP + b"1" + b"}" * DEEP + b"\n",
    "deep measures": user_checklist().replace("measures = [17]", "measures = " + "[" * 150 + "17" + "]" * 150).encode(),
    "invalid UTF-8": user_checklist().encode().replace(b"Ours", b"Ours \xff\xfe"),
    "huge integer": b"a = 1" + b"1" * 5000 + b"\n",
    "NUL bytes": b'role = "x\0"\n\0\0',
    "empty": b"",
}


@pytest.mark.parametrize("name", HOSTILE_TOML)
def test_a_hostile_user_checklist_is_reported_and_everything_else_loads(capsys, name: str) -> None:
    path = write_user_checklist("bad.toml", HOSTILE_TOML[name])
    write_user_checklist("lab.toml", user_checklist())
    code, out, err = run_cli(capsys, "mark", "university", "uni-001", "done")
    assert code == 0 and out.strip() == "university uni-001: done", err
    assert err.startswith(f"bj30: warning: {path}: ") and "Traceback" not in err
    code, out, err = run_cli(capsys, "checklists")
    assert code == 0 and "my-lab" in out and str(path) in err
    code, out, _ = run_cli(capsys, "validate", str(path))
    assert code == 1 and out.startswith(f"{path}: ")


def test_a_bom_is_not_a_problem(capsys) -> None:
    write_user_checklist("lab.toml", b"\xef\xbb\xbf" + user_checklist().encode())
    code, out, err = run_cli(capsys, "checklists")
    assert code == 0 and "my-lab" in out and err == ""


def test_non_regular_entries_in_the_checklist_folder_are_reported_not_skipped(capsys) -> None:
    folder = locations.user_checklists_dir()
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.toml")
    (folder / "dir.toml").mkdir()
    (folder / "gone.toml").symlink_to(folder / "nowhere.toml")
    code, out, err = run_cli(capsys, "checklists")
    assert code == 0 and "university" in out
    assert f"{folder / 'pipe.toml'}: is a FIFO, not a regular file" in err
    assert f"{folder / 'dir.toml'}: is a folder, not a regular file" in err
    assert f"{folder / 'gone.toml'}: cannot read: no such file" in err


def _limited_memory() -> None:
    # If the file were read to its end (/dev/zero has none), fail in 1 GB instead of eating the machine.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "folder"])
@pytest.mark.parametrize("command", ["validate", "import"])
def test_special_files_are_refused_at_once(tmp_path: Path, kind: str, command: str) -> None:
    if kind == "fifo":
        target = tmp_path / "x.toml"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "x.toml"
        target.mkdir()
    else:
        target = Path("/dev/zero")
    try:
        done = bj30(command, str(target), timeout=20, preexec_fn=_limited_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"bj30 {command} {target} hung")
    err = done.stderr.decode() + done.stdout.decode()
    assert done.returncode == 1 and "Traceback" not in err
    assert "not a regular file" in err and str(target) in err


def test_files_over_5_mb_are_refused(capsys, tmp_path: Path) -> None:
    big = write_user_checklist("big.toml", user_checklist() + "#" * (5 * 1024 * 1024) + "\n")
    code, _, err = run_cli(capsys, "checklists")
    assert code == 0 and f"{big}: " in err and "5 MB" in err
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"pad": "x" * (6 * 1024 * 1024)}))
    code, _, err = run_cli(capsys, "import", str(huge))
    assert code == 1 and err.startswith(f"bj30: {huge}: ") and "5 MB" in err


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,
        b"\xff\xfe not utf-8",
        b'{"schema": "bj30-checklist-export", "schema_version": 1' + b"1" * 5000 + b"}",
    ],
    ids=["deep array", "deep object", "invalid UTF-8", "huge integer"],
)
def test_hostile_import_files_are_reported(capsys, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    code, out, err = run_cli(capsys, "import", str(path))
    assert code == 1 and out == "" and err.startswith(f"bj30: {path}: ") and len(err.strip().splitlines()) == 1


def test_an_import_file_with_a_bom_is_read(capsys, tmp_path: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    target = tmp_path / "soe.json"
    run_cli(capsys, "export", "soe", "-o", str(target))
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes())
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 0, err


# ui-state ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe{}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,
        b'{"theme": "x", "pad": "' + b"y" * (6 * 1024 * 1024) + b'"}',
    ],
    ids=["invalid UTF-8", "deep array", "deep object", "over 5 MB"],
)
def test_a_damaged_ui_state_is_moved_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ui-state.json"
    path.write_bytes(content)
    loaded = load_ui_state(path)
    assert loaded.state == UiState()
    assert loaded.warning and "moved aside to" in loaded.warning and control_chars(loaded.warning) == []
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("ui-state.json.damaged-")]
    assert len(moved) == 1 and moved[0].read_bytes() == content  # kept, never deleted


def test_a_ui_state_fifo_does_not_hang_the_start(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    os.mkfifo(path)
    result: dict[str, LoadedState] = {}
    reader = threading.Thread(target=lambda: result.update(loaded=load_ui_state(path)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():
        with open(path, "w"):  # a writer that closes at once lets the blocked reader go
            pass
        reader.join(10)
        pytest.fail("loading the ui-state blocked on a FIFO")
    loaded = result["loaded"]
    assert loaded.state == UiState() and loaded.warning and "not a regular file" in loaded.warning


def test_a_ui_state_holding_lone_surrogates_loads_and_saves(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    path.write_text('{"role": "\\udcff", "theme": "x"}')
    loaded = load_ui_state(path)
    assert save_ui_state(path, loaded.state) is None
    assert json.loads(path.read_text())["role"] == "\udcff"


def test_the_content_file_reports_deep_nesting(tmp_path: Path) -> None:
    from tui.core.content.policy_loader import load_policy_from
    from tui.core.errors import ContentError

    path = tmp_path / "measures.toml"
    path.write_bytes(HOSTILE_TOML["deep array"])
    with pytest.raises(ContentError, match=f"^{path}: "):
        load_policy_from(path)
    path.write_bytes(b"\xff")
    with pytest.raises(ContentError, match=f"^{path}: "):
        load_policy_from(path)
