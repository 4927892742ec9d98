"""In a browser tab (`bj30 serve`): whether an export is downloaded to the browser or written on the serving machine."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RadioButton, RadioSet

DOWNLOAD = "Download it to this browser"
ON_SERVER = "Write it on the machine serving bj30"


class ExportWhere(RadioSet):
    """Download (the default: the browser's user wants the file where they are) or write on the server."""

    DEFAULT_CSS = """
    ExportWhere {
        width: 100%;
        margin-top: 1;
    }
    """

    def __init__(self) -> None:
        super().__init__(RadioButton(DOWNLOAD, value=True), RadioButton(ON_SERVER), id="export-where")

    @property
    def download(self) -> bool:
        return self.pressed_index != 1


def shown_for(path: Path, download: bool) -> str:
    """What the file box shows: a download needs only the file's name; the server, its whole path."""
    return path.name if download else str(path)


def hint(download: bool, rest: str) -> str:
    return f"enter {'downloads' if download else 'writes'} · {rest}"
