"""The loader turns broken content into one clear error naming file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core import locations
from tui.core.content.policy import Policy
from tui.core.content.policy_loader import load_policy_from, parse_policy
from tui.core.errors import ContentError, UnknownMeasure

REAL = locations.content_file().read_text(encoding="utf-8")


def broken(old: str, new: str, count: int = 1) -> str:
    assert old in REAL, old
    return REAL.replace(old, new, count)


@pytest.mark.parametrize(
    "text, key, problem",
    [
        (broken('short_title = "the 30 Measures"\n', ""), "document.short_title", "missing field"),
        (broken("number = 2\n", "number = 1\n"), "measures[1].number", "duplicate measure number 1"),
        (broken("number = 30\n", "number = 31\n"), "measures", "missing measure number(s) 30"),
        (broken('part = "III"', 'part = "VI"'), "measures[9].part", "unknown part 'VI'"),
        (broken("number = 5\n", 'number = "5"\n'), "measures[4].number", "expected an integer, found a string"),
        (broken("number = 5\n", "number = true\n"), "measures[4].number", "expected an integer, found a boolean"),
        (broken("date_issued = 2019-10-16", 'date_issued = "yesterday"'), "document.date_issued", "expected a date"),
        (
            broken("[[measures]]\nnumber = 3\n", '[[measures]]\nnumber = 3\ncolour = "red"\n'),
            "measures[2].colour",
            "unknown field",
        ),
        (REAL + "\n[oops\n", "", "not valid TOML"),
        (broken('numeral = "II"', 'numeral = "I"'), "parts[1].numeral", "duplicate part 'I'"),
    ],
)
def test_broken_content_names_file_key_and_problem(text: str, key: str, problem: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_policy(text, "broken.toml")
    message = str(info.value)
    assert message.startswith("broken.toml: ")
    assert key in message
    assert problem in message
    assert "\n" not in message


def test_unreadable_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="cannot read"):
        load_policy_from(tmp_path / "nope.toml")
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ContentError, match="bin.toml"):
        load_policy_from(tmp_path / "bin.toml")


def test_model_lookups(policy: Policy) -> None:
    m = policy.measure(17)
    assert m.part == "IV" and policy.part_of(m).numeral == "IV"
    assert policy.parse_measure(" measure 17 ") is m
    assert policy.parse_measure("#17") is m
    for bad in ("31", "0", "abc", "", "1.5", "²", "x" * 10_000):
        with pytest.raises(UnknownMeasure):
            policy.parse_measure(bad)
    with pytest.raises(UnknownMeasure, match="no measure 31: measures are numbered 1-30"):
        policy.measure(31)


def test_model_is_immutable(policy: Policy) -> None:
    with pytest.raises(AttributeError):
        policy.measure(1).title = "changed"  # type: ignore[misc]
