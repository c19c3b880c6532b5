"""The sidebar: ways into the archive (all messages, saved searches, tags, people, source documents).

Choosing an entry posts `Sidebar.FilterChosen` with the search query it stands for; the screen runs it.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from foia_tui.archive.browse import SidebarData, SidebarEntry
from foia_tui.display import one_line

LABEL_WIDTH = 40


def quoted(value: str) -> str:
    """A query term's value in double quotes (the query language has no escapes, so inner quotes become spaces)."""
    return '"' + value.replace('"', " ") + '"'


class Sidebar(Tree[str]):
    """A tree of filters; each leaf's data is the query it runs ("" for all messages)."""

    BINDING_GROUP_TITLE = "Sidebar"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Filter by this"),
        Binding("j", "cursor_down", "Next entry", show=False),
        Binding("k", "cursor_up", "Previous entry", show=False),
        Binding("q,escape", "back", "Back to list"),
    ]

    class FilterChosen(Message):
        def __init__(self, query: str, label: str) -> None:
            super().__init__()
            self.query = query
            self.label = label

    class Closed(Message):
        """The reader asked to go back to the thread list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Archive", id=id)
        self.show_root = False
        self.guide_depth = 2

    def show(self, data: SidebarData) -> None:
        """Fill the tree from fresh counts, keeping which sections are open."""
        collapsed = {node.label.plain.split(" (")[0] for node in self.root.children if not node.is_expanded}
        self.clear()
        self.root.add_leaf(self._label("All messages", data.messages), data="")
        sections = [
            ("Saved searches", data.saved_searches, lambda e: e.key),
            ("Tags", data.tags, lambda e: f"tag:{quoted(e.key)}"),
            ("People", data.people, lambda e: " OR ".join(f"{f}:{quoted(e.key)}" for f in ("from", "to", "cc"))),
            ("Documents", data.documents, lambda e: f"doc:{quoted(e.key)}"),
        ]
        for title, entries, query in sections:
            total = data.documents_total if title == "Documents" else len(entries)
            section = self.root.add(Text(f"{title} ({total:,})", style="bold"), expand=title not in collapsed)
            for entry in entries:
                section.add_leaf(self._entry_label(title, entry), data=query(entry))
            if title == "Documents" and data.documents_total > len(entries):
                section.add_leaf(Text(f"… {data.documents_total - len(entries):,} more", style="dim"))
        self.cursor_line = 0

    @staticmethod
    def _label(text: str, count: int) -> Text:
        label = Text(text)
        label.append(f" {count:,}", style="dim")
        return label

    @staticmethod
    def _entry_label(section: str, entry: SidebarEntry) -> Text:
        name = one_line(PurePath(entry.label).name if section == "Documents" else entry.label, LABEL_WIDTH)
        if section == "Tags":
            name = "#" + name
        label = Text(name)
        if section != "Saved searches":
            label.append(f" {entry.count:,}", style="dim")
        return label

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        node: TreeNode[str] = event.node
        if node.data is not None:
            self.post_message(self.FilterChosen(node.data, node.label.plain))

    def action_back(self) -> None:
        self.post_message(self.Closed())
