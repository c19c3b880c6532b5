"""The footer's order: the keys that matter in a view first, so an 80-column footer shows them.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, and cuts what does not
fit; a screen that names its FOOTER_FIRST keys has those listed first, in that order, whatever has focus.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import ActiveBinding
from textual.screen import Screen


class KeysFirst(Screen):
    """A screen whose footer leads with FOOTER_FIRST (keys as Textual names them: "slash", "question_mark")."""

    FOOTER_FIRST: ClassVar[tuple[str, ...]] = ()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        first = {key: bindings[key] for key in self.FOOTER_FIRST if key in bindings}
        return {**first, **bindings}
