"""Checklist content, validator, user checklists and the checklist CLI."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tui.core import locations
from tui.core.content.checklist import fingerprint, normalise_space
from tui.core.content.checklist_loader import load_catalog, load_default_catalog, validate_file, validate_text
from tui.core.content.coverage import coverage
from tui.core.content.policy import Policy
from tui.core.content.provisions import load_register
from tui.core.content.readings import user_reading_warnings

ROLES = ["university", "soe", "research-institution", "medical-institution", "tech-enterprise"]
MINIMUM = {"university": 15, "soe": 15, "research-institution": 15, "medical-institution": 10, "tech-enterprise": 10}

GOOD_ITEM = """
[[items]]
id = "x-1"
text = "We cap indirect costs."
measures = [17]
quote = "shall not exceed 30 per cent"
"""
HEADER = 'role = "my-lab"\ntitle = "My lab"\naudience = "Us"\ndescription = "Ours"\n'


def test_builtin_roles_and_sizes(policy: Policy) -> None:
    catalog = load_default_catalog(policy)
    assert catalog.problems == []
    assert catalog.roles == ROLES  # the roles of the original brief first
    for role, minimum in MINIMUM.items():
        checklist = catalog.get(role)
        assert checklist is not None and checklist.is_builtin
        assert len(checklist.items) >= minimum, role


@pytest.mark.parametrize("role", ROLES)
def test_every_builtin_item_is_grounded_verbatim(policy: Policy, role: str) -> None:
    path = locations.builtin_checklists_dir().joinpath(f"{role}.toml")
    result = validate_file(path, policy)
    assert result.ok, [str(p) for p in result.problems]
    checklist = result.checklist
    assert checklist is not None and checklist.role == role
    ids = [it.id for it in checklist.items]
    assert len(ids) == len(set(ids))
    for it in checklist.items:
        # The quote stands, word for word, in one of the measures it cites.
        assert any(normalise_space(it.quote) in normalise_space(policy.measure(n).text) for n in it.measures), it.id
        assert it.fingerprint == fingerprint(policy, it.quote, it.measures, it.text)


def test_item_ids_are_unique_across_builtins(policy: Policy) -> None:
    ids = [it.id for c in load_default_catalog(policy).checklists for it in c.items]
    assert len(ids) == len(set(ids))


def test_measure_17_ceilings_are_in_the_research_checklists(policy: Policy) -> None:
    catalog = load_default_catalog(policy)
    for role in ("university", "research-institution"):
        quotes = " ".join(it.quote for it in catalog.get(role).items if 17 in it.measures)
        assert "30 per cent" in quotes and "60%" in quotes


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            HEADER + GOOD_ITEM.replace('quote = "shall not exceed 30 per cent"', 'quote = "shall not exceed 40 per cent"'),
            "x.toml: item x-1.quote: does not stand verbatim in measure 17",
        ),
        (HEADER + GOOD_ITEM.replace("[17]", "[31]"), "x.toml: item x-1.measures: no measure 31: measures are numbered 1-30"),
        (HEADER + GOOD_ITEM + GOOD_ITEM, "x.toml: item x-1.id: duplicate id"),
        (HEADER + GOOD_ITEM.replace('text = "We cap indirect costs."\n', ""), "x.toml: item x-1.text: missing field"),
        (HEADER + GOOD_ITEM + 'colour = "red"\n', "x.toml: item x-1.colour: unknown field"),
        (HEADER + GOOD_ITEM + 'category = "maybe"\n', "x.toml: item x-1.category: unknown category 'maybe'"),
        (HEADER.replace('title = "My lab"\n', "") + GOOD_ITEM, "x.toml: title: missing field"),
        (HEADER.replace('"my-lab"', '"My Lab!"') + GOOD_ITEM, "x.toml: role: use lower-case letters"),
        (HEADER + "owner = 'me'\n" + GOOD_ITEM, "x.toml: owner: unknown field"),
        (HEADER, "x.toml: items: missing field"),
        (HEADER + GOOD_ITEM.replace("[17]", '["17"]'), "x.toml: item x-1.measures: expected measure numbers"),
        ("role = [", "x.toml: not valid TOML"),
    ],
)
def test_validator_names_file_item_and_field(policy: Policy, text: str, expected: str) -> None:
    result = validate_text(text, "x.toml", policy)
    assert not result.ok and result.checklist is None
    lines = [str(p) for p in result.problems]
    assert any(line.startswith(expected) for line in lines), lines
    assert all("\n" not in line for line in lines)


def test_quotes_are_whitespace_normalised(policy: Policy) -> None:
    text = HEADER + GOOD_ITEM.replace('"shall not exceed 30 per cent"', '"shall  not\\n exceed 30   per cent"')
    assert validate_text(text, "x.toml", policy).ok


def test_fingerprint_changes_with_the_measure_text(policy: Policy) -> None:
    before = fingerprint(policy, "shall not exceed 30 per cent", (17,))
    part = policy.parts[3]
    m17 = next(m for m in part.measures if m.number == 17)
    changed = dataclasses.replace(m17, text=m17.text.replace("60%", "70%"))
    new_part = dataclasses.replace(part, measures=tuple(changed if m is m17 else m for m in part.measures))
    edited = dataclasses.replace(policy, parts=tuple(new_part if p is part else p for p in policy.parts))
    assert fingerprint(edited, "shall not exceed 30 per cent", (17,)) != before
    assert fingerprint(policy, "shall not exceed 30 per cent", (17,)) == before


def test_fingerprint_changes_with_the_items_statement(policy: Policy) -> None:
    # A tick given to one wording of an item is flagged for review when the wording changes.
    quote = "shall not exceed 30 per cent"
    before = fingerprint(policy, quote, (17,), "Indirect costs stay within 30 per cent.")
    assert fingerprint(policy, quote, (17,), "Indirect costs stay within 30 per cent.") == before
    assert fingerprint(policy, quote, (17,), "Indirect costs may reach 30 per cent.") != before


def test_user_checklists_load_beside_builtins_and_bad_ones_are_reported(policy: Policy, tmp_path: Path) -> None:
    user = tmp_path / "checklists"
    user.mkdir()
    (user / "lab.toml").write_text(HEADER + GOOD_ITEM, encoding="utf-8")
    (user / "broken.toml").write_text("role = [", encoding="utf-8")
    (user / "shadow.toml").write_text(HEADER.replace('"my-lab"', '"university"') + GOOD_ITEM, encoding="utf-8")
    (user / "notes.txt").write_text("not a checklist", encoding="utf-8")
    catalog = load_catalog(policy, locations.builtin_checklists_dir(), user)
    lab = catalog.get("my-lab")
    assert lab is not None and lab.source == str(user / "lab.toml") and not lab.is_builtin
    assert catalog.get("university").is_builtin  # the built-in wins
    assert len(catalog.checklists) == 6
    assert any(p.startswith(f"{user / 'broken.toml'}: not valid TOML") for p in catalog.problems)
    assert any(
        f"{user / 'shadow.toml'}: role: 'university' is already used by a built-in checklist, which wins" in p
        for p in catalog.problems
    )
    assert len(catalog.problems) == 2


def test_readme_example_checklist_is_valid(policy: Policy) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Write your own checklist", 1)[1]
    example = re.search(r"```toml\n(.*?)```", section, re.S)
    assert example, "README has no toml example under 'Write your own checklist'"
    result = validate_text(example.group(1), "README example", policy)
    assert result.ok, [str(p) for p in result.problems]
    # It keeps the condition of the provision it cites and reads it as the built-ins do.
    assert result.warnings == [] and result.checklist is not None
    builtins = load_default_catalog(policy).checklists
    assert user_reading_warnings(result.checklist, builtins, load_register(), "README example") == []


def test_cli_checklists_json(capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    user = isolated_home / "config" / "bj30" / "checklists"
    user.mkdir(parents=True)
    (user / "lab.toml").write_text(HEADER + GOOD_ITEM, encoding="utf-8")
    (user / "bad.toml").write_text("nope", encoding="utf-8")
    code, out, err = run_cli(capsys, "checklists", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    by_role = {r["role"]: r for r in rows}
    assert by_role["university"]["source"] == "built-in" and by_role["university"]["items"] >= 15
    assert by_role["my-lab"]["source"] == str(user / "lab.toml") and by_role["my-lab"]["items"] == 1
    assert f"bj30: warning: {user / 'bad.toml'}: not valid TOML" in err


def test_cli_checklist_json_and_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "checklist", "soe", "--format", "json")
    data = json.loads(out)
    assert data["role"] == "soe" and len(data["items"]) >= 15
    first = data["items"][0]
    assert set(first) >= {"id", "text", "measures", "quote"}
    assert all(isinstance(n, int) for n in first["measures"])
    code, out, err = run_cli(capsys, "checklist", "nope")
    assert code == 1 and out == ""
    assert err.strip() == (
        "bj30: no checklist for role 'nope'; roles are: "
        "university, soe, research-institution, medical-institution, tech-enterprise"
    )


def test_cli_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(HEADER + GOOD_ITEM, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(HEADER + GOOD_ITEM.replace("[17]", "[99]") + "x = 1\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate", str(good))
    assert code == 0 and "ok (my-lab, 1 items)" in out
    code, out, _ = run_cli(capsys, "validate", str(good), str(bad), str(tmp_path / "missing.toml"))
    assert code == 1
    lines = out.strip().splitlines()
    assert f"{bad}: item x-1.measures: no measure 99: measures are numbered 1-30" in lines
    assert (
        f"{bad}: item x-1.x: unknown field; expected one of: category, differs, evidence, guidance, id, measures, "
        "owner_hint, provisions, quote, scope_omitted, text"
    ) in lines
    assert any(line.startswith(f"{tmp_path / 'missing.toml'}: cannot read") for line in lines)


def test_validate_says_what_the_loader_will_do_with_a_taken_role(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_home: Path
) -> None:
    shadow = tmp_path / "shadow.toml"
    shadow.write_text(HEADER.replace('"my-lab"', '"university"') + GOOD_ITEM, encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate", str(shadow))
    assert code == 1 and "ok" not in out
    assert out.strip() == (
        f"{shadow}: role: 'university' is a built-in role, so bj30 will not load this file: "
        f"built-in roles win, because progress is recorded per role and item id; give the file "
        f"its own role id"
    )
    # Another file in the checklists folder holding the role first: that one loads, this one does not.
    user = isolated_home / "config" / "bj30" / "checklists"
    user.mkdir(parents=True)
    (user / "a-lab.toml").write_text(HEADER + GOOD_ITEM, encoding="utf-8")
    (user / "b-lab.toml").write_text(HEADER + GOOD_ITEM, encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate", str(user / "a-lab.toml"), str(user / "b-lab.toml"))
    assert code == 1
    assert out.splitlines() == [
        f"{user / 'a-lab.toml'}: ok (my-lab, 1 items)",
        f"{user / 'b-lab.toml'}: role: 'my-lab' is already used by {user / 'a-lab.toml'}, "
        f"which loads instead of this file; give the file its own role id",
    ]


def test_one_id_rule_in_the_readme_and_the_validator(policy: Policy) -> None:
    from tui.core.content.ids import ITEM_ID_RULE, NAME_RULE

    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert f"a `role` uses {NAME_RULE}" in readme and f"an item `id` uses {ITEM_ID_RULE}" in readme
    for bad_role in ("My-Lab", "my_lab", "my.lab", "-lab"):
        problems = [
            str(p) for p in validate_text(HEADER.replace('"my-lab"', f'"{bad_role}"') + GOOD_ITEM, "x.toml", policy).problems
        ]
        assert problems == [f"x.toml: role: use {NAME_RULE}"], bad_role
    for good_id in ("x-1", "x.1", "x_1", "1x"):
        assert validate_text(HEADER + GOOD_ITEM.replace('"x-1"', f'"{good_id}"'), "x.toml", policy).ok, good_id
    for bad_id in ("X-1", "-x", "x 1", "x/1"):
        problems = [str(p) for p in validate_text(HEADER + GOOD_ITEM.replace('"x-1"', f'"{bad_id}"'), "x.toml", policy).problems]
        assert problems == [f"x.toml: items[0].id: use {ITEM_ID_RULE}"], bad_id


def test_readme_item_counts_match_the_checklists(policy: Policy) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    catalog = load_default_catalog(policy)
    for role in ROLES:
        row = re.search(rf"^\| `{re.escape(role)}` \| (\d+) \|", readme, re.M)
        assert row, f"README lists no item count for {role}"
        assert int(row.group(1)) == len(catalog.require(role).items), role
        cover = coverage(catalog.require(role), load_register())
        covered, excluded = sum(1 for c in cover if c.items), sum(1 for c in cover if c.excluded)
        assert re.search(rf"^\| `{re.escape(role)}` \| \d+ \| {len(cover)} \| {covered} \| {excluded} \|", readme, re.M), role
