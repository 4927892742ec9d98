"""The export flow: ask for a path (with a sensible default), confirm before overwriting, say where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.export import default_export_name, export_target_exists, format_for, write_export
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.export_path import ExportPathDialog

if TYPE_CHECKING:
    from tui.app import Bj30App


def export_checklist(app: Bj30App, role: str) -> None:
    workbench = app.workbench
    default = Path.cwd() / default_export_name([role], workbench.profile_name, "md", dt.date.today())

    def write(path: Path, force: bool) -> None:
        def export() -> tuple[str, int]:
            fmt = format_for(path)
            data, count = workbench.export([role], fmt)
            write_export(path, data, force=force)
            return fmt, count

        done = app.attempt(export)
        if done is not None:
            fmt, count = done
            # In a browser (bj30 serve) the file is on the serving machine, not the reader's: say so.
            where = " on the machine serving bj30" if app.is_web else ""
            app.notify(f"Wrote {count} items ({fmt}) to {path}{where}", title="Exported", timeout=10)

    def chosen(path: Path | None) -> None:
        if path is None:
            return
        if export_target_exists(path):  # a dangling link too
            app.push_screen(ConfirmDialog(f"{path} exists. Overwrite it?"),
                            lambda yes: write(path, True) if yes else app.notify("Not exported."))
        else:
            write(path, False)

    app.push_screen(ExportPathDialog(role, default), chosen)
