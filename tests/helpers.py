"""Helpers for the Pilot tests."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def plain(widget: Static) -> str:
    """The literal text a Static shows (what the user reads)."""
    visual = widget.visual
    return visual.plain if isinstance(visual, Content) else str(visual)
