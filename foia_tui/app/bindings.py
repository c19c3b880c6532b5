"""Every key binding of a screen, read from the BINDINGS the app's own classes declare.

The help screen and the command palette are both built from this list, so neither can go stale: a binding
added to any foia-tui widget or screen shows up in the footer, the help screen and the palette at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

PACKAGE = "foia_tui."


@dataclass(frozen=True)
class BindingEntry:
    keys: str  # as shown: "j / ↓"
    description: str
    action: str
    area: str
    namespace: DOMNode


def _declared(node: DOMNode) -> list[tuple[str, Binding]]:
    """(area, binding) for each binding declared by foia-tui classes in the node's class hierarchy."""
    found: list[tuple[str, Binding]] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith(PACKAGE) and "BINDINGS" in cls.__dict__:
            area = getattr(cls, "BINDING_GROUP_TITLE", None) or cls.__name__
            found.extend((area, binding) for binding in Binding.make_bindings(cls.__dict__["BINDINGS"]))
    return found


def binding_catalogue(screen: Screen) -> list[BindingEntry]:
    """Bindings of the screen's widgets, the screen and the app, one entry per action and area."""
    app = screen.app
    grouped: dict[tuple[str, str], tuple[list[str], Binding, DOMNode]] = {}
    for node in [*screen.walk_children(with_self=False), screen, app]:
        for area, binding in _declared(node):
            if not binding.description:
                continue
            keys, _, _ = grouped.setdefault((area, binding.action), ([], binding, node))
            shown = app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
    return [
        BindingEntry(" / ".join(keys), binding.description, binding.action, area, node)
        for (area, _), (keys, binding, node) in grouped.items()
    ]


MOVES = ("cursor_", "scroll_", "page_", "next_", "previous_", "first", "last", "focus_", "back", "close", "cancel")


def is_move(entry: BindingEntry) -> bool:
    """Whether a binding only moves the cursor or the focus (the palette lists what does something first)."""
    return entry.action.split(".")[-1].startswith(MOVES)


# What an investigator does, in the order the palette offers it; then other actions, then cursor moves.
LEADING_ACTIONS = (
    "save_search", "export", "tag('message')", "select_text", "annotations", "releases", "compare", "timeline",
    "redactions", "search", "tag('thread')", "refresh",
)  # fmt: skip


def actions_first(entries: list[BindingEntry]) -> list[BindingEntry]:
    """The palette's order: things to do (save a search, export, tag, compare) before cursor moves."""

    def rank(entry: BindingEntry) -> tuple[bool, int]:
        action = entry.action.removeprefix("app.")
        return is_move(entry), LEADING_ACTIONS.index(action) if action in LEADING_ACTIONS else len(LEADING_ACTIONS)

    return sorted(entries, key=rank)
