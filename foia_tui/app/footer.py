"""The footer's order: the keys that matter in a view first, so an 80-column footer shows them.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, and cuts what does not
fit; a screen that names its FOOTER_FIRST keys has those listed first, in that order, unless the focused
widget is a mode of its own (FOOTER_LEADS, as selection mode is): then its keys lead. `u` (undo the last
deletion) leads them all while there is one to undo, so it is never cut off.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import ActiveBinding
from textual.screen import Screen


class KeysFirst(Screen):
    """A screen whose footer leads with FOOTER_FIRST (keys as Textual names them: "slash", "question_mark")."""

    FOOTER_FIRST: ClassVar[tuple[str, ...]] = ()
    UNDO_KEY = "u"  # the app's undo: offered (active) only while there is a deletion to undo

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        mode = self.focused if getattr(self.focused, "FOOTER_LEADS", False) else None
        own = {key: active for key, active in bindings.items() if mode is not None and active.node is mode}
        first = {key: bindings[key] for key in (self.UNDO_KEY, *self.FOOTER_FIRST) if key in bindings}
        return {**own, **first, **bindings}
