"""The table of contents: notice, preamble, then parts with their numbered measures."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.places import NOTICE, PREAMBLE, Place
from tui.core.policy import Policy


class ContentsTree(Tree[Place]):
    """A tree of the policy. Enter or a click on a leaf posts ContentsTree.Opened."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="contents.down"),
        Binding("k", "cursor_up", "Up", show=False, id="contents.up"),
    ]

    class Opened(Message):
        """The reader asked to open a place."""

        def __init__(self, place: Place) -> None:
            self.place = place
            super().__init__()

    def __init__(self, policy: Policy, *, id: str | None = None) -> None:
        super().__init__(Text("Contents"), id=id)
        self.show_root = False
        self.guide_depth = 2
        self._place_nodes: dict[Place, TreeNode[Place]] = {}
        # Labels are rich Text objects, so nothing in the content is read as markup.
        self._place_nodes[NOTICE] = self.root.add_leaf(Text("Notice"), data=NOTICE)
        self._place_nodes[PREAMBLE] = self.root.add_leaf(Text("Preamble"), data=PREAMBLE)
        for part in policy.parts:
            branch = self.root.add(Text(part.label, style="bold"), expand=True)
            for m in part.measures:
                self._place_nodes[m.number] = branch.add_leaf(Text(f"{m.number:>2}. {m.title}"), data=m.number)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Place]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Opened(event.node.data))

    def show_place(self, place: Place) -> None:
        """Move the cursor to `place` without posting Opened."""
        node = self._place_nodes.get(place)
        if node is not None:
            if node.parent is not None:
                node.parent.expand()
            self.move_cursor(node)
