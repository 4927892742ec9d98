"""The command line's table (tui/cli/parser.py): cheap to build, true to the core, every handler
found. Issue 24: `bj30 --help` and `bj30 --version` import nothing of the core, and a command's
module is imported only when that command runs."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from tui.cli import parser as table


def _modules_after(*argv: str) -> set[str]:
    code = (
        "import sys\nfrom tui.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('tui'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60)
    return set(done.stderr.split())


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["mark", "--help"], ["store", "grant", "--help"]])
def test_help_and_version_import_nothing_of_the_core(argv: list[str]) -> None:
    loaded = _modules_after(*argv)
    assert "tui.cli.parser" in loaded  # the test sees what was imported
    assert sorted(m for m in loaded if m.startswith("tui.core")) == []
    assert sorted(m for m in loaded if m.startswith("tui.cli.") and m not in ("tui.cli.parser", "tui.cli.common")) == []


def test_a_command_imports_its_own_module_only() -> None:
    loaded = _modules_after("toc")
    assert "tui.cli.reference" in loaded
    others = {"tui.cli.checklists", "tui.cli.evidence", "tui.cli.export", "tui.cli.store", "tui.cli.serve", "tui.cli.profiles"}
    assert loaded & others == set()
    assert "tui.core.workbench" not in loaded and "tui.core.store.api" not in loaded


def _leaves(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _leaves(sub)
    return found


def test_every_handler_in_the_table_exists() -> None:
    names = {p.get_default("handler") for p in _leaves(table.build_parser())} - {None}
    assert len(names) == 26
    for name in names:
        module, function = name.split(":")
        assert callable(getattr(importlib.import_module(f"tui.cli.{module}"), function)), name


def test_the_tables_values_are_the_cores() -> None:
    from tui.core.config import KEYS
    from tui.core.export.rows import FORMATS
    from tui.core.progress.actions import SORTS
    from tui.core.progress.status import STATUSES
    from tui.core.workbench import SEARCH_GROUPS

    assert table.STATUSES == STATUSES
    assert table.SORTS == SORTS
    assert table.EXPORT_FORMATS == FORMATS
    assert table.SEARCH_GROUPS == SEARCH_GROUPS
    assert tuple(KEYS) == table.CONFIG_KEYS


def test_the_session_cap_is_the_servers() -> None:
    pytest.importorskip("textual_serve")
    from tui.web import DEFAULT_MAX_SESSIONS

    assert table.DEFAULT_MAX_SESSIONS == DEFAULT_MAX_SESSIONS
