"""Save the current search under a name (`S` on the main screen): it then sits in the sidebar's saved searches."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from foia_tui.app.screens.line_dialog import LineDialog
from foia_tui.archive import Archive, ArchiveError
from foia_tui.domain.display import one_line
from foia_tui.services.searching import save_search, saved_searches


class SaveSearchDialog(LineDialog):
    """Asks for a name (the query itself is proposed); dismisses with the name saved, None when cancelled."""

    BOX_ID = "save-box"
    BINDING_GROUP_TITLE = "Save search"
    DEFAULT_CSS = """
    SaveSearchDialog #save-box { width: 70; }
    SaveSearchDialog #save-problem { color: $error; height: auto; }
    """

    def __init__(self, archive: Archive, query: str) -> None:
        super().__init__()
        self.archive = archive
        self.search = query

    def lines(self) -> ComposeResult:
        yield Static(Text("Save the search " + one_line(self.search, 50) + " as:"))
        yield Input(value=" ".join(self.search.split())[:80], id="save-name")
        yield Static(Text("Enter saves (a search of the same name is replaced) · Escape cancels"))
        yield Static(Text(""), id="save-problem")

    def submitted(self, text: str) -> None:
        name = " ".join(text.split())
        try:
            replaced = any(s["name"] == name for s in saved_searches(self.archive))
            save_search(self.archive, name, self.search)
        except (ValueError, ArchiveError) as error:  # a QueryError is a ValueError
            self.query_one("#save-problem", Static).update(Text(one_line(str(error), 200)))
            return
        self.dismiss(name + (" (replacing the earlier one)" if replaced else ""))
