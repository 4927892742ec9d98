"""Issue 12, property tests (hypothesis): any input gives problems, never an exception; any note
survives the store, a JSON export and an import unchanged, cannot create structure in the
Markdown report, and prints to a terminal with no control character."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.tasklists import tasklists_plugin

from tests.hostile.common import control_chars, user_checklist
from tui.core.content.checklist_loader import load_default_catalog, validate_file
from tui.core.content.policy_loader import load_policy
from tui.core.errors import Bj30Error
from tui.core.export.render import render
from tui.core.export.rows import build_export, to_json
from tui.core.store.importer import import_progress, read_export
from tui.core.store.model import DEFAULT_PROFILE, SCHEMA
from tui.core.store.sqlite import Store

# Slow (many generated inputs each): left out of the quick loop, `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

POLICY = load_policy()
SOE = load_default_catalog(POLICY).require("soe")
ITEM = SOE.items[0]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(SETTINGS, max_examples=60)  # each example runs the CLI or several exports

# Any text a person could store: everything but NUL and lone surrogates, which are refused.
NOTES = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=300)
VALID = user_checklist().encode()


@st.composite
def mangled_checklists(draw) -> bytes:
    """A valid checklist with bytes spliced in: deeper into the validator than random bytes."""
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=2000), mangled_checklists(), st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))
    )
)
@example(b"a = " + b"[" * 5000 + b"]" * 5000)  # (hypothesis raises the recursion limit by 2,000)
@example(b"\xef\xbb\xbf" + VALID)
def test_any_bytes_as_a_user_checklist_give_problems_never_an_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.toml"
        path.write_bytes(data)
        result = validate_file(path, POLICY)
    assert (result.checklist is None) == bool(result.problems)
    for problem in result.problems:
        assert str(problem).startswith(str(path))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
ENTRY_KEYS = st.sampled_from(
    [
        "id",
        "status",
        "note",
        "owner",
        "due",
        "changed",
        "completed",
        "revision",
        "marked_fingerprint",
        "item_id",
        "field",
        "old",
        "new",
        "at",
    ]
)
ENTRY_VALUES = st.one_of(
    JSON,
    st.sampled_from(
        [
            "soe-001",
            "soe-002",
            "todo",
            "doing",
            "done",
            "na",
            "2026-01-01T00:00:00Z",
            "2026-12-31",
            "9999-01-01T00:00:00Z",
            "status",
            "note",
            "\udcff",
            "a\x00b",
        ]
    ),
)
ENTRIES = st.lists(st.dictionaries(ENTRY_KEYS, ENTRY_VALUES, max_size=8) | JSON, max_size=5)


@st.composite
def export_files(draw) -> bytes:
    data = {
        "schema": SCHEMA,
        "schema_version": draw(st.sampled_from([1, 1, 1, 0, True, "1", 2])),
        "checklist": {"role": "soe"},
        "items": draw(ENTRIES),
        "orphans": draw(ENTRIES),
        "history": draw(ENTRIES),
        "store_id": draw(st.text(max_size=5)),
    }
    return json.dumps(data).encode()


@SETTINGS
@given(st.one_of(st.binary(max_size=1000), export_files()))
@example(b"[" * 50_000 + b"]" * 50_000)
@example(
    b'{"schema": "bj30-checklist-export", "schema_version": 1, "checklist": {"role": "soe"}, "items": [], '
    b'"history": [{"field": []}]}'
)
def test_any_bytes_as_an_import_file_give_problems_never_an_exception(data: bytes) -> None:
    store = Store.in_memory()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.json"
        path.write_bytes(data)
        try:
            for parsed in read_export(path):
                import_progress(store, DEFAULT_PROFILE, SOE, parsed, source=str(path))
        except Bj30Error as exc:
            assert str(exc) and "\n" not in str(exc)
    store.close()


def _export(store: Store, fmt: str) -> str:
    return render(
        build_export(POLICY, store, DEFAULT_PROFILE, [SOE], dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)), fmt
    ).decode("utf-8-sig")


def _structure(markdown: str) -> tuple[list[str], dict[str, int]]:
    """The block tokens in order, and how many of each inline token that makes structure."""
    tokens = MarkdownIt("gfm-like").use(tasklists_plugin).parse(markdown)
    inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    kinds = ("link_open", "image", "html_inline", "code_inline", "strong_open", "em_open", "s_open")
    return [t.type for t in tokens if t.type != "inline"], {k: sum(c.type == k for c in inline) for k in kinds}


BASELINES: dict[str, tuple[list[str], dict[str, int]]] = {}


def _baseline(note: str) -> tuple[list[str], dict[str, int]]:
    """The report's structure with a harmless note in the place of `note`: "plain" if the note shows
    (blank lines of a note are not shown), " " if it only makes a history row, or none."""
    shown = any(line.strip() for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    harmless = "plain" if shown else " " if note else ""
    if harmless not in BASELINES:
        plain = Store.in_memory()
        plain.update(DEFAULT_PROFILE, "soe", ITEM.id, status="doing", note=harmless, fingerprint=ITEM.fingerprint)
        BASELINES[harmless] = _structure(_export(plain, "md"))
    return BASELINES[harmless]


@settings(SLOW, max_examples=40)
@given(NOTES)
@example("- [x] forged\n# heading\n[link](http://x) <b>x</b> www.x.com `c` **b** ~~s~~ | a | b |")
@example("hi \x1b]0;pwned\x07 \x1b[2J \u202eevil \x9b31m \r\n\r")
def test_any_note_round_trips_and_creates_no_structure_or_escape(note: str) -> None:
    store = Store.in_memory()
    store.update(DEFAULT_PROFILE, "soe", ITEM.id, status="doing", note=note, fingerprint=ITEM.fingerprint)
    assert store.item(DEFAULT_PROFILE, "soe", ITEM.id).note == note

    # JSON export, then import into a fresh store: the same note.
    data = json.loads(_export(store, "json"))
    fresh = Store.in_memory()
    import_progress(fresh, DEFAULT_PROFILE, SOE, data)
    assert fresh.item(DEFAULT_PROFILE, "soe", ITEM.id).note == note
    assert to_json(build_export(POLICY, fresh, DEFAULT_PROFILE, [SOE]))["items"][0]["note"] == note

    # Markdown: the same structure as with a harmless note.
    report = _export(store, "md")
    assert _structure(report) == _baseline(note)
    assert control_chars(report) == []
    assert control_chars(_export(store, "csv"), allow="\n\t\r") == []
    assert control_chars(_export(store, "json")) == []


@settings(SLOW, max_examples=40)
@given(NOTES)
@example("hi \x1b]0;pwned\x07 \x1b[2J \u202eevil \x9b31m")
def test_any_note_prints_to_a_terminal_with_no_control_character(note: str) -> None:
    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["mark", "soe", ITEM.id, "doing", f"--note={note}"]) == 0  # (a note may start with "-")
        assert main(["checklist", "soe"]) == 0  # (exports: the round-trip property above)
    assert control_chars(out.getvalue()) == [] and control_chars(err.getvalue()) == []
