"""What every bj30 screen shares: typed access to the running Bj30App."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.dom import DOMNode
from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app import Bj30App


def app_of(node: DOMNode) -> Bj30App:
    """The app `node` belongs to, as a Bj30App: its workbench, policy and state are typed."""
    from tui.app import Bj30App

    app = node.app
    assert isinstance(app, Bj30App), f"{node!r} is not in a bj30 app"
    return app


R = TypeVar("R")


class Bj30Screen(Screen[R]):
    """A full screen of bj30, dismissing with an R. `help_title` names it in the help dialog."""

    help_title = ""

    @property
    def bj30(self) -> Bj30App:
        return app_of(self)
