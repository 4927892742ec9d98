"""The reference CLI: toc, show, paths, --help and --version, clean errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tui import __version__


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0 and out.strip() == f"bj30 {__version__}"
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    for command in ("toc", "show", "paths"):
        assert command in out


def test_toc_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "toc")
    assert code == 0
    assert "I. Strengthen the Overall Planning" in out
    assert "30. Further Enhance the Opening-up and Cooperation" in out
    assert "\x1b[" not in out  # plain when not a terminal
    code, out, _ = run_cli(capsys, "toc", "--format", "json")
    parts = json.loads(out)
    assert [p["numeral"] for p in parts] == ["I", "II", "III", "IV", "V"]
    assert sum(len(p["measures"]) for p in parts) == 30
    assert parts[3]["measures"][0] == {"number": 14, "title": parts[3]["measures"][0]["title"]}


def test_show_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "17")
    assert code == 0
    assert "Measure 17. Increase Incentives" in out
    assert "30 per cent of the direct expenses" in out
    code, out, _ = run_cli(capsys, "show", "17", "--format", "json")
    obj = json.loads(out)
    assert obj["number"] == 17 and obj["part"] == "IV"
    assert obj["title"].startswith("Increase Incentives")
    assert "30 per cent" in obj["text"]
    code, out, _ = run_cli(capsys, "show", "11", "--format", "md")
    assert out.startswith("## Measure 11. Improve Market Access")
    assert "R&Dof" in out  # kept as published; & only where it would start an entity


def test_show_notice_and_preamble(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "show", "notice")
    assert "are hereby issued to you" in out and "October 16, 2019" in out
    _, out, _ = run_cli(capsys, "show", "preamble", "--format", "json")
    assert json.loads(out)["text"].startswith("This document is formulated")


@pytest.mark.parametrize(
    "arg, message",
    [
        ("31", "bj30: no measure 31: measures are numbered 1-30"),
        ("0", "bj30: no measure 0: measures are numbered 1-30"),
        (
            "seventeen",
            "bj30: 'seventeen' is not in the policy; try a measure 1-30, a part I-V (its first measure), notice or preamble, "
            "or a checklist item's id (e.g. uni-089)",
        ),
        (
            "abc",
            "bj30: 'abc' is not in the policy; try a measure 1-30, a part I-V (its first measure), "
            "notice or preamble, or a checklist item's id (e.g. uni-089)",
        ),
        (
            "VI",
            "bj30: 'VI' is not in the policy; try a measure 1-30, a part I-V (its first measure), "
            "notice or preamble, or a checklist item's id (e.g. uni-089)",
        ),
    ],
)
def test_show_errors_are_one_line(capsys: pytest.CaptureFixture[str], arg: str, message: str) -> None:
    code, out, err = run_cli(capsys, "show", arg)
    assert code == 1 and out == ""
    assert err.strip() == message


def test_show_takes_a_part_numeral_as_its_first_measure(capsys: pytest.CaptureFixture[str]) -> None:
    _, by_part, _ = run_cli(capsys, "show", "III")
    _, by_number, _ = run_cli(capsys, "show", "10")
    assert by_part == by_number and "Part III." in by_part and "Measure 10." in by_part
    _, out, _ = run_cli(capsys, "show", "part v", "--format", "json")
    assert json.loads(out)["number"] == 22


def test_paths_honour_xdg(capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    code, out, _ = run_cli(capsys, "paths", "--format", "json")
    paths = json.loads(out)
    assert set(paths) >= {"content", "builtin_checklists", "user_checklists", "store"}
    assert paths["user_checklists"].startswith(str(isolated_home / "config"))
    assert paths["store"].startswith(str(isolated_home / "data"))
    assert Path(paths["content"]).is_file()


def test_console_entry_point_runs_as_module(tmp_path: Path) -> None:
    # From a folder outside the repo, as a user would run it.
    result = subprocess.run(
        [sys.executable, "-m", "tui", "show", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Undertake Major National Scientific and Technological Tasks" in result.stdout
    result = subprocess.run([sys.executable, "-m", "tui", "show", "99"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_search_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "search", "intelectual", "proprty", "--limit", "3", "--in", "policy")
    assert code == 0
    assert out.startswith("24\tStrengthen the Creation, Protection and Application of Intellectual Property\t")
    assert "\x1b[" not in out
    code, out, _ = run_cli(capsys, "search", "hereby issued", "--format", "json", "--limit", "2")
    hits = json.loads(out)
    assert hits[0]["measure"] == 0 and hits[0]["title"] == "Notice"
    for hit in hits:
        assert set(hit) >= {"measure", "place", "title", "score", "snippet", "spans", "group", "via"}
        assert isinstance(hit["measure"], int) and isinstance(hit["score"], float)


def test_piped_search_prints_one_line_per_hit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "search", "customs", "--limit", "2")
    lines = out.splitlines()
    assert code == 0 and lines and not any(line in ("Policy", "Checklist items", "Your notes") for line in lines)
    for line in lines:
        fields = line.split("\t")
        assert len(fields) == 3 and fields[0].isdigit() and fields[1] and fields[2], line
    assert lines[0].startswith("27\tImprove the Facilitation of Customs Clearance")
    assert any(line.split("\t")[1].startswith(("soe-017", "ent-013", "med-010")) for line in lines)
    # A thesaurus hit says how it got there, in a fourth field.
    code, out, _ = run_cli(capsys, "search", "stock", "options", "--in", "policy", "--limit", "1")
    assert out.split("\t")[0] == "22" and out.rstrip("\n").split("\t")[3] == "'stock options' -> employee ownership"


def test_search_in_groups_and_via_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "search", "commercialisation", "--format", "json", "--in", "items", "--limit", "3")
    hits = json.loads(out)
    assert code == 0 and hits and {h["group"] for h in hits} == {"items"}
    for hit in hits:
        assert hit["role"] and hit["item"] and hit["title"].startswith(hit["item"])
        assert hit["via"].startswith("'commercialisation' -> ")
    code, out, _ = run_cli(capsys, "search", "intellectual property", "--format", "json", "--in", "policy")
    hits = json.loads(out)
    assert {h["group"] for h in hits} == {"policy"} and hits[0]["via"] is None and "role" not in hits[0]
    code, _, err = run_cli(capsys, "search", "x", "--in", "everything")
    assert code == 2 and "invalid choice" in err


def test_search_finds_your_notes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "search", "zebrafish", "--format", "json")
    assert code == 1 and json.loads(out) == []  # no store yet: searching does not create one
    assert err == "The 30 Measures never mention: zebrafish\nNothing in the policy addresses this.\n"
    run_cli(capsys, "mark", "university", "uni-089", "doing", "--note", "Ask the finance office\tabout zebrafish\x1b[31m")
    code, out, _ = run_cli(capsys, "search", "zebrafish", "--format", "json")
    hits = json.loads(out)
    assert code == 0  # the policy never mentions it, but a note does
    assert [(h["group"], h["role"], h["item"], h["measure"]) for h in hits] == [("notes", "university", "uni-089", 17)]
    code, out, _ = run_cli(capsys, "search", "zebrafish", "--in", "notes")
    assert (
        out == "17\tNote on uni-089 · Universities and institutions of higher learning\t"
        "Ask the finance office about zebrafish\\x1b[31m\n"
    )
    code, out, _ = run_cli(capsys, "search", "zebrafish", "--in", "notes", "--profile", "other")
    assert code == 1
    code, out, err = run_cli(capsys, "search", "zebrafish", "--in", "policy")
    assert code == 1 and out == "" and "never mention: zebrafish" in err


def test_search_on_a_terminal_is_grouped_under_headings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.text import textout

    monkeypatch.setattr(textout, "is_tty", lambda stream: True)
    monkeypatch.setenv("NO_COLOR", "1")
    run_cli(capsys, "mark", "soe", "soe-001", "doing", "--note", "Board to discuss stock options in May")
    code, out, _ = run_cli(capsys, "search", "stock", "options", "--limit", "2")
    lines = out.splitlines()
    assert code == 0
    assert lines.index("Policy") < lines.index("Checklist items") < lines.index("Your notes")
    assert lines[1] == "22  Improve the Incentive Mechanism for Innovation in Technology-based SOEs"
    assert "    (via 'stock options' -> employee ownership)" in lines
    code, out, _ = run_cli(capsys, "search", "stock", "options", "--in", "policy")
    assert "Policy" not in out.splitlines()


def test_search_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "search", "qqqqzzzz")
    assert code == 1 and out == "" and err == "The 30 Measures never mention: qqqqzzzz\nNothing in the policy addresses this.\n"
    code, out, err = run_cli(capsys, "search", "the", "--in", "notes")  # no key word to miss, nothing found
    assert code == 1 and out == "" and "no match for 'the'" in err
    code, _, err = run_cli(capsys, "search", "x", "--limit", "0")
    assert code == 2 and "must be 1 or more" in err
    code, out, err = run_cli(capsys, "search", "[@click=app.quit]", "--format", "json")
    assert code in (0, 1) and isinstance(json.loads(out), list)


def test_no_command_without_a_terminal_explains_instead_of_drawing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui"], cwd=tmp_path, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "needs a terminal" in result.stderr and "bj30 toc" in result.stderr


def test_terminal_output_wraps_to_the_width_and_honours_no_color(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os as _os

    from tui.core.text import textout

    monkeypatch.setattr(textout, "is_tty", lambda stream: True)
    monkeypatch.setattr(textout.shutil, "get_terminal_size", lambda fallback=(80, 24): _os.terminal_size((60, 24)))
    code, out, _ = run_cli(capsys, "show", "27")
    assert code == 0
    plain_lines = [line.replace("\x1b[1m", "").replace("\x1b[0m", "") for line in out.splitlines()]
    assert max(len(line) for line in plain_lines) <= 60
    assert "\x1b[1m" in out  # the title in bold on a colour terminal
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run_cli(capsys, "toc")
    assert "\x1b[" not in out and max(len(line) for line in out.splitlines()) <= 60


def test_show_and_search_an_item_by_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "uni-089")
    assert code == 0 and out.startswith("uni-089 · Universities and institutions of higher learning (university), measure 17\n")
    assert "Guidance: " in out and "The policy says: " in out
    code, out, _ = run_cli(capsys, "show", "UNI-089", "--format", "json")
    item = json.loads(out)
    assert code == 0 and (item["id"], item["role"], item["measures"]) == ("uni-089", "university", [17])
    code, out, _ = run_cli(capsys, "search", "uni-089")
    assert code == 0 and out.startswith("17\tuni-089 · Universities and institutions of higher learning\t")


def test_search_says_what_the_policy_does_not_address(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "search", "maternity", "leave", "for", "female", "researchers", "--in", "policy", "--limit", "3"
    )
    assert code == 1
    assert err == (
        "The 30 Measures never mention: maternity, leave, female\n"
        "Nothing in the policy addresses this; the nearest passages below are partial.\n"
    )
    assert all(line.endswith("\tmissing: maternity, leave, female") for line in out.splitlines()) and len(out.splitlines()) == 3
    code, out, err = run_cli(capsys, "search", "student tuition fees", "--format", "json", "--in", "policy")
    hits = json.loads(out)
    assert code == 1 and hits and all(h["partial"] and h["missing"] == ["tuition", "fees"] for h in hits)
    assert hits[0]["matched"] == [{"word": "student", "how": "stem"}]
    code, out, err = run_cli(capsys, "search", "reward researchers", "--format", "json", "--in", "policy")
    hits = json.loads(out)
    assert code == 0 and err == "" and {h["measure"] for h in hits[:2]} == {12, 13} and not hits[0]["partial"]


def test_search_on_a_terminal_shows_missing_and_partial(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.text import textout

    monkeypatch.setattr(textout, "is_tty", lambda stream: True)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = run_cli(capsys, "search", "student tuition fees", "--in", "policy", "--limit", "1")
    assert code == 1 and "never mention: tuition, fees" in err
    assert out.splitlines()[0] == "21  Encourage System Innovation in Research Institutions (partial)"
    assert out.splitlines()[-1] == "    missing: tuition, fees"


def test_profile_help_says_the_default_is_the_profile_in_use(capsys) -> None:
    from tests.helpers import run_cli

    for argv in (("--help",), ("checklist", "--help"), ("search", "--help")):
        _, out, _ = run_cli(capsys, *argv)
        text = " ".join(out.split())
        assert "profile (default: 'default')" not in text and "to search (default: 'default')" not in text, argv
        assert "in use" in text, argv
