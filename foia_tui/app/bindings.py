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
