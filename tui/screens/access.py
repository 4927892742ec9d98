"""Typed access from screens and palette providers to the running Bj30App."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from tui.app import Bj30App


def bj30(node: DOMNode) -> Bj30App:
    """The app `node` belongs to, as a Bj30App: its workbench, policy and state are typed."""
    from tui.app import Bj30App

    app = node.app
    assert isinstance(app, Bj30App), f"{node!r} is not in a bj30 app"
    return app
