"""The export flows: ask for a file (in the folder last used), confirm before overwriting, say where.

In a browser tab (`bj30 serve`) an export is a download by default (Textual's deliver_binary, which
textual-serve hands to the browser), or written on the serving machine if chosen."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.export.rows import default_export_name, export_target_exists, format_for, write_export
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.export_path import ExportPathDialog, ExportTarget

if TYPE_CHECKING:
    from tui.screens.base import Bj30Base


def export_folder(app: Bj30Base) -> Path:
    """The folder the last export went to (remembered across runs), else the working folder."""
    last = app.ui_state.export_dir
    if last and Path(last).is_dir():
        return Path(last)
    return Path.cwd()


# What the browser is told each format is (the file's name says it too).
MIME_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def deliver(app: Bj30Base, name: str, data: bytes, mime_type: str, *, what: str, said: str = "") -> None:
    """Send `data` to the tab's browser as a download named `name`, and say so (`said` first)."""
    key = app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=mime_type, name=name)
    if key is None:
        app.notify(f"{name} could not be sent to your browser", title=what, severity="error", timeout=10)
        return
    app.notify(f"{said}Your browser downloads it as {name}", title=what, timeout=10)


def _download(app: Bj30Base, roles: Sequence[str], name: str) -> None:
    def export() -> tuple[bytes, str, int]:
        fmt = format_for(Path(name))
        data, count = app.workbench.export(roles, fmt)
        return data, fmt, count

    done = app.attempt(export)
    if done is not None:
        data, fmt, count = done
        deliver(
            app, name, data, MIME_TYPES.get(fmt, "application/octet-stream"), what="Exported", said=f"{count} items ({fmt}). "
        )


def _write(app: Bj30Base, roles: Sequence[str], path: Path, download: bool = False) -> None:
    if download:
        _download(app, roles, path.name)
        return
    workbench = app.workbench

    def write(force: bool) -> None:
        def export() -> tuple[str, int]:
            fmt = format_for(path)
            data, count = workbench.export(roles, fmt)
            write_export(path, data, force=force)
            return fmt, count

        done = app.attempt(export)
        if done is not None:
            fmt, count = done
            app.remember_export_dir(path.parent)
            # In a browser (bj30 serve) the file is on the serving machine, not the reader's: say so.
            where = " on the machine serving bj30" if app.is_web else ""
            app.notify(f"Wrote {count} items ({fmt}) to {path}{where}", title="Exported", timeout=10)

    if export_target_exists(path):  # a dangling link too
        app.push_screen(
            ConfirmDialog(f"{path} exists. Overwrite it?"), lambda yes: write(True) if yes else app.notify("Not exported.")
        )
    else:
        write(False)


def export_checklist(app: Bj30Base, role: str) -> None:
    default = export_folder(app) / default_export_name([role], app.workbench.profile_name, "md", dt.date.today())

    def chosen(target: ExportTarget | None) -> None:
        if target is not None:
            _write(app, [role], target.path, target.download)

    app.push_screen(ExportPathDialog(role, default), chosen)


def export_report(app: Bj30Base, roles: Sequence[str]) -> None:
    """One report across the roles ticked (those given start ticked)."""
    from tui.dialogs.report import ReportChoice, ReportDialog

    checklists = app.attempt(lambda: app.workbench.catalog.checklists)
    if checklists is None:
        return
    folder, profile = export_folder(app), app.workbench.profile_name

    def name_for(chosen: list[str]) -> Path:
        return folder / default_export_name(chosen or ["report"], profile, "md", dt.date.today())

    def chosen(choice: ReportChoice | None) -> None:
        if choice is not None:
            _write(app, choice.roles, choice.path, choice.download)

    app.push_screen(ReportDialog([(c.role, c.title) for c in checklists], list(roles), name_for), chosen)
