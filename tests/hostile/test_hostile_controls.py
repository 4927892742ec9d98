"""Issue 12, section 1: no escape sequence a user typed (or a file carried) reaches the terminal.

Every user-supplied string in CLI text output, in Markdown and CSV exports and in warnings
is shown with its control characters made visible; JSON stays valid JSON with them escaped;
NUL and lone surrogates are refused at input with a clear error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.hostile.common import ESCAPES, control_chars, user_checklist, write_user_checklist
from tui.core import locations
from tui.core.store.sqlite import Store


def test_visible_shows_each_control_as_its_escape() -> None:
    from tui.core.text.safe_text import visible

    assert visible(ESCAPES) == ("hi \\x1b]0;pwned\\x07 \\x1b[2J \\x1b]52;c;cHduZWQ=\\x07 \\x9b31m \\u202eevil\\u202c end")
    assert visible("line one\n\tline two\r") == "line one\n\tline two\\x0d"
    assert visible("a\nb\tc", one_line=True) == "a\\x0ab\\x09c"
    assert visible("\x00\x7f\u200e\u2066\udcff") == "\\x00\\x7f\\u200e\\u2066\\udcff"
    # Ordinary text, other scripts and emoji are untouched.
    assert visible("北京 · Zürich — 60% “quoted” 🙂") == "北京 · Zürich — 60% “quoted” 🙂"


def _mark_hostile(capsys) -> None:
    code, _, err = run_cli(capsys, "mark", "university", "uni-001", "doing", "--note", ESCAPES, "--owner", ESCAPES)
    assert code == 0, err


def test_checklist_text_shows_the_note_literally(capsys) -> None:
    _mark_hostile(capsys)
    code, out, err = run_cli(capsys, "checklist", "university")
    assert code == 0, err
    assert control_chars(out) == []
    assert "Note: hi \\x1b]0;pwned\\x07 \\x1b[2J" in out


def test_checklist_json_stays_valid_and_escaped(capsys) -> None:
    _mark_hostile(capsys)
    code, out, _ = run_cli(capsys, "checklist", "university", "--format", "json")
    assert code == 0 and control_chars(out) == []
    item = next(i for i in json.loads(out)["items"] if i["id"] == "uni-001")
    assert item["note"] == ESCAPES  # the same value, escaped only in the JSON text


def test_profiles_show_institution_and_department_literally(capsys) -> None:
    code, _, err = run_cli(capsys, "profile", "create", "evil", "--institution", ESCAPES, "--department", ESCAPES)
    assert code == 0, err
    for argv in (("profiles",), ("profiles", "--format", "json"), ("profile", "set", "evil", "--department", "x\x1b[2J")):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, err
        assert control_chars(out) == [] and control_chars(err) == [], argv


def test_user_checklist_title_and_description_are_shown_literally(capsys) -> None:
    write_user_checklist(
        "lab.toml", user_checklist(title="Lab \\u001b]0;pwned\\u0007", description="D \\u001b[2J \\u202e", text="T \\u009b31m")
    )
    for argv in (
        ("checklists",),
        ("checklists", "--format", "json"),
        ("checklist", "my-lab"),
        ("checklist", "my-lab", "--format", "json"),
        ("export", "my-lab"),
        ("export", "my-lab", "--format", "csv"),
        ("export", "my-lab", "--format", "json"),
    ):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, (argv, err)
        assert control_chars(out, allow="\n\t\r" if "csv" in argv else "\n\t") == [], argv
    code, out, _ = run_cli(capsys, "checklists")
    assert "Lab \\x1b]0;pwned\\x07" in out


def test_warnings_quote_file_names_and_keys_literally(capsys) -> None:
    write_user_checklist("bad\x1b[2J.toml", '"k\\u001b]0;x\\u0007" = 1\n')
    code, out, err = run_cli(capsys, "checklists")
    assert code == 0
    assert control_chars(err) == [] and "bad\\x1b[2J.toml" in err and "k\\x1b]0;x\\x07" in err


def test_validate_quotes_problems_literally(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "x\x1b]0;t\x07.toml"
    bad.write_text('role = "a"\n"\\u202e\\u001b" = 2\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", str(bad))
    assert code == 1 and control_chars(out + err) == [] and "x\\x1b]0;t\\x07.toml" in out


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_exports_carry_no_raw_control_character(capsys, tmp_path: Path, fmt: str) -> None:
    _mark_hostile(capsys)
    run_cli(capsys, "profile", "set", "default", "--institution", ESCAPES, "--department", ESCAPES)
    code, out, err = run_cli(capsys, "export", "university", "--format", fmt)
    assert code == 0, err
    target = tmp_path / f"out.{fmt}"
    code, _, err = run_cli(capsys, "export", "university", "-o", str(target))
    assert code == 0, err
    written = target.read_bytes().decode("utf-8")  # as written: CSV rows end in \r\n

    def timeless(text: str) -> list[str]:  # the two exports may be a second apart
        return [line for line in text.splitlines() if "xported" not in line]

    assert timeless(written) == timeless(out)
    if fmt == "csv":
        assert control_chars(out, allow="\n\t\r") == []  # \r\n ends a CSV row
        row = next(r for r in csv.DictReader(io.StringIO(out)) if r["id"] == "uni-001")
        assert row["note"].startswith("hi \\x1b]0;pwned")
    else:
        assert control_chars(out) == []
    if fmt == "json":
        data = json.loads(out)
        assert next(i for i in data["items"] if i["id"] == "uni-001")["note"] == ESCAPES
        assert data["profile"]["institution"] == " ".join(ESCAPES.split())


def test_import_report_quotes_ids_literally(capsys, tmp_path: Path) -> None:
    run_cli(capsys, "mark", "soe", "soe-001", "done")
    target = tmp_path / "soe.json"
    run_cli(capsys, "export", "soe", "-o", str(target))
    data = json.loads(target.read_text())
    data["items"][0]["id"] = "soe-\x1b]0;pwned\x07"
    target.write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "import", str(target))
    assert control_chars(out + err) == []
    assert "soe-\\x1b]0;pwned\\x07" in out + err


# NUL and lone surrogates are refused at input ---------------------------------------------


@pytest.mark.parametrize("option", ["--note", "--owner"])
@pytest.mark.parametrize("bad, why", [("a\x00b", "NUL"), ("caf\udce9", "not valid UTF-8")])
def test_mark_refuses_nul_and_lone_surrogates(capsys, option: str, bad: str, why: str) -> None:
    code, out, err = run_cli(capsys, "mark", "university", "uni-001", "doing", option, bad)
    assert code == 1 and out == ""
    assert err.startswith(f"bj30: {option[2:]} ") and why in err and len(err.strip().splitlines()) == 1
    assert control_chars(err) == []
    store = Store.open(locations.store_path()).store
    assert store.progress("default", "university") == {}
    store.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("profile", "create", "p\x00", "--institution", "X"),
        ("profile", "create", "p", "--institution", "X\x00"),
        ("profile", "create", "p", "--institution", "X", "--department", "\udcff"),
        ("profile", "set", "default", "--institution", "\udcff"),
        ("profile", "set", "default", "--department", "a\x00"),
    ],
)
def test_profiles_refuse_nul_and_lone_surrogates(capsys, argv: tuple[str, ...]) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 1 and out == "" and err.startswith("bj30: ") and len(err.strip().splitlines()) == 1
    assert ("NUL" in err or "not valid UTF-8" in err) and control_chars(err) == []
    code, out, _ = run_cli(capsys, "profiles", "--format", "json")
    assert json.loads(out) == [{"name": "default", "institution": "", "department": "", "active": True}]


def test_profile_name_with_a_surrogate_is_an_error_not_a_traceback(capsys) -> None:
    code, out, err = run_cli(capsys, "--profile", "\udcff", "checklists")
    assert code == 1 and err.startswith("bj30: ") and "Traceback" not in err and control_chars(err) == []


@pytest.mark.parametrize("note", ["caf\\udce9", "nul \\u0000 here"])
def test_import_refuses_nul_and_surrogates_and_writes_nothing(capsys, tmp_path: Path, note: str) -> None:
    for item in ("soe-001", "soe-002", "soe-003", "soe-004"):
        run_cli(capsys, "mark", "soe", item, "doing", "--note", "before")
    target = tmp_path / "soe.json"
    run_cli(capsys, "export", "soe", "-o", str(target))
    data = json.loads(target.read_text())
    later = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for entry in data["items"]:
        if entry["id"] in ("soe-001", "soe-002", "soe-003", "soe-004"):  # each newer than the store's
            entry["status"], entry["note"], entry["changed"] = "done", "after", later
            if entry["id"] == "soe-004":
                entry["note"] = "@NOTE@"
    target.write_text(json.dumps(data).replace('"@NOTE@"', f'"{note}"'))
    code, out, err = run_cli(capsys, "import", str(target))
    assert code == 1 and "Traceback" not in err and control_chars(out + err) == []
    assert "soe-004" in err and ("NUL" in err or "not valid UTF-8" in err)
    code, out, _ = run_cli(capsys, "checklist", "soe", "--format", "json")
    notes = {i["id"]: i["note"] for i in json.loads(out)["items"]}
    assert [notes[i] for i in ("soe-001", "soe-002", "soe-003", "soe-004")] == ["before"] * 4  # nothing written
