"""The sidebar: ways into the archive (all messages, saved searches, tags, people, source documents).

Choosing an entry posts `Sidebar.FilterChosen` with the search query it stands for; the screen runs it.
People named in the release come first, by message count; the redacted correspondents (each a person of
their own) wait under one collapsed "Redacted (N)" node, one entry per printed form, so they do not bury the names.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from foia_tui.app.widgets.message_body import boxes_drawn
from foia_tui.archive.types import SidebarData, SidebarEntry
from foia_tui.domain.display import middle_cut

LABEL_WIDTH = 40  # until the sidebar knows its width
LABEL_MARGIN = 9  # guides, a leaf's indent and its count
REDACTED_GROUP = "Redacted"


def quoted(value: str) -> str:
    """A query term's value in double quotes (the query language has no escapes, so inner quotes become spaces)."""
    return '"' + value.replace('"', " ") + '"'


def person_query(entry: SidebarEntry) -> str:
    """The search for a correspondent under any role."""
    return " OR ".join(f"{role}:{quoted(entry.key)}" for role in ("from", "to", "cc"))


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
        self._data: SidebarData | None = None
        self._label_width = LABEL_WIDTH
        self._resizing = False

    def show(self, data: SidebarData) -> None:
        """Fill the tree from fresh counts, keeping which sections (and the redacted group) are open."""
        self._data = data
        self._label_width = self._fitting_width()
        cursor = self.cursor_line
        opened = {self._title(node): node.is_expanded for node in self._groups()}
        self.clear()
        self.root.add_leaf(self._label("All messages", data.messages), data="")
        sections = [
            ("Saved searches", data.saved_searches, lambda e: e.key),
            ("Tags", data.tags, lambda e: f"tag:{quoted(e.key)}"),
            ("People", data.people, person_query),
            ("Documents", data.documents, lambda e: f"doc:{quoted(e.key)}"),
        ]
        totals = {"Documents": data.documents_total, "People": len(data.people) + data.redacted_people}
        for title, entries, query in sections:
            total = totals.get(title, len(entries))
            section = self.root.add(Text(f"{title} ({total:,})", style="bold"), expand=opened.get(title, True))
            for entry in entries:
                section.add_leaf(self._entry_label(title, entry), data=query(entry))
            if title == "People" and data.redacted:
                group = section.add(
                    Text(f"{REDACTED_GROUP} ({data.redacted_people:,})", style="italic"),
                    expand=opened.get(REDACTED_GROUP, False),
                )
                for entry in data.redacted:
                    group.add_leaf(self._redacted_label(entry), data=person_query(entry))
            if title == "Documents" and data.documents_total > len(entries):
                section.add_leaf(Text(f"… {data.documents_total - len(entries):,} more", style="dim"))
        self.cursor_line = cursor if self._resizing else 0

    def _fitting_width(self) -> int:
        """Characters a label may take: the sidebar's width less its guides and a count."""
        return max(self.size.width - LABEL_MARGIN, 10) if self.size.width else LABEL_WIDTH

    def on_resize(self) -> None:
        if self._data is not None and self._fitting_width() != self._label_width:
            self._resizing = True
            try:
                self.show(self._data)
            finally:
                self._resizing = False

    def _groups(self) -> list[TreeNode[str]]:
        """The nodes that open and close: the sections and the redacted people's group."""
        sections = list(self.root.children)
        return sections + [node for section in sections for node in section.children if node.children]

    @staticmethod
    def _title(node: TreeNode[str]) -> str:
        return node.label.plain.split(" (")[0]

    def _redacted_label(self, entry: SidebarEntry) -> Text:
        """A redacted correspondent as printed (a box as the thread view draws it), with its emails and how
        many people are printed that way."""
        printed = boxes_drawn(entry.label)
        label = Text(middle_cut(printed, self._label_width), style="italic")
        label.append(f" {entry.count:,}", style="dim")
        if entry.people != 1:
            label.append(f" · {entry.people:,} people", style="dim")
        return label

    @staticmethod
    def _label(text: str, count: int) -> Text:
        label = Text(text)
        label.append(f" {count:,}", style="dim")
        return label

    def _entry_label(self, section: str, entry: SidebarEntry) -> Text:
        name = middle_cut(PurePath(entry.label).name if section == "Documents" else entry.label, self._label_width)
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
