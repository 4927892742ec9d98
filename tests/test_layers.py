"""The layering holds at run time: the core and the command line never load Textual or rich
(harlequin keeps the same kind of test). The CLI starts fast and a core change can never need the
UI. What the code may import is checked by import-linter's contracts (pyproject.toml, run by
.ci/run); these tests check what is loaded when, which the contracts cannot: lazy imports, and
what third-party packages bring in."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_AND_CLI = [
    "tui.core.workbench",
    "tui.core.search.index",
    "tui.core.export.rows",
    "tui.core.store.importer",
    "tui.core.content.checklist_loader",
    "tui.core.content.policy_loader",
    "tui.core.store.model",
    "tui.core.store.rules",
    "tui.core.store.sql",
    "tui.core.store.sqlite",
    "tui.core.store.api",
    "tui.core.store.location",
    "tui.core.store.postgres",
    "tui.core.store.copy",
    "tui.core.config",
    "tui.core.locations",
    "tui.cli.store",
    "tui.cli",
    "tui.cli.parser",
    "tui.cli.common",
    "tui.cli.profiles",
    "tui.cli.reference",
    "tui.cli.checklists",
    "tui.cli.export",
    "tui.cli.serve",
]


@pytest.mark.parametrize("module", CORE_AND_CLI)
def test_importing_leaves_textual_and_rich_out(module: str) -> None:
    code = (
        "import sys, importlib; importlib.import_module(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code, module], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"{module} pulls in {out.strip()}"


def test_the_postgresql_driver_loads_only_for_a_team_store() -> None:
    """A user of the SQLite file never pays for psycopg (nor needs it installed)."""
    code = "import sys; from tui.cli import main; main(['mark', 'soe', 'soe-001', 'done']); print('psycopg' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "False"
