"""The Redactions screen: the redaction log (`foia redactions`) as a table, filtered by code, release and what
is readable under a box; Enter lists the thread of the box's email (or shows the page of a box outside any
email), `o` shows the page the box is on, `v` the crop a possibly readable box was read from.

The log is read in a worker; filters only redraw the table, so thousands of boxes stay quick.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from foia_tui.app import loading
from foia_tui.app.filters import next_filter
from foia_tui.app.screens.crop import CropScreen
from foia_tui.app.screens.original import DocumentPage, OriginalPageScreen, Shown
from foia_tui.archive import Archive
from foia_tui.domain.display import one_line
from foia_tui.domain.redaction_log import OUTSIDE, READABLE_FILTERS, LoggedBox
from foia_tui.services.redaction_log import redaction_log

COLUMNS = (("Release", 22), ("File", 24), ("Page", 5), ("Bates", 16), ("Code", 22), ("Field", 8),
           ("Withheld", 8), ("Email", 40), ("Readable", 30))  # fmt: skip


def box_cells(box: LoggedBox) -> list[str]:
    """A box's row as text, every string through the display door."""
    codes = ", ".join(e.printed + (" INVALID" if e.problem else "") for e in box.exemptions) or "-"
    email = OUTSIDE
    if box.message_id:
        email = " · ".join(t for t in ((box.sent or "")[:10], box.sender or "", box.subject or "") if t)
    readable = "; ".join(f"{how}: {text}" for how, text in box.readable())
    texts = [", ".join(box.releases), box.file.rsplit("/", 1)[-1], str(box.page or ""), box.bates or "", codes,
             box.where, "in full" if box.in_full else "in part", email, readable]  # fmt: skip
    return [one_line(t, width) for t, (_header, width) in zip(texts, COLUMNS, strict=True)]


class RedactionsScreen(Screen[str | None]):
    """Every box of the archive. Dismissed with a `thread:` query for the email a box is in, or None."""

    BINDING_GROUP_TITLE = "Redactions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Back"),
        Binding("o", "original", "Original page"),
        Binding("v", "crop", "Possibly readable crop"),
        Binding("c", "next_code", "Filter by code"),
        Binding("l", "next_release", "Filter by release"),
        Binding("f", "next_readable", "Leaked / exposed / readable"),
    ]
    DEFAULT_CSS = """
    RedactionsScreen #redactions-title { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.boxes: list[LoggedBox] = []
        self.shown: list[LoggedBox] = []
        self.code: str | None = None
        self.release: str | None = None
        self.readable: str | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Reading the redaction log…", id="redactions-title")
        yield DataTable(id="redactions-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for header, width in COLUMNS:
            table.add_column(header, width=width)
        loading.load(self, "redactions-load", partial(redaction_log, self.archive), self.show, self.failed)

    def failed(self, error: Exception) -> None:
        self.problem = str(error)
        self.show([])

    def show(self, boxes: list[LoggedBox]) -> None:
        self.boxes = boxes
        self.fill()
        self.query_one(DataTable).focus()

    def fill(self) -> None:
        """Redraw the table with the boxes the filters let through."""
        keep = READABLE_FILTERS.get(self.readable or "", lambda _box: True)
        self.shown = [
            b
            for b in self.boxes
            if (self.code is None or any(e.printed == self.code for e in b.exemptions))
            and (self.release is None or self.release in b.releases)
            and keep(b)
        ]
        table = self.query_one(DataTable)
        table.clear()
        for box in self.shown:
            table.add_row(*(Text(cell) for cell in box_cells(box)))
        filters = [f"code {self.code}", f"release {self.release}", self.readable]
        shown = ", ".join(
            one_line(f, 40) for f, on in zip(filters, (self.code, self.release, self.readable), strict=True) if on
        )
        title = f"Redactions: {len(self.shown)} of {len(self.boxes)}" + (f" ({shown})" if shown else "")
        title += "  (Enter: the email's thread, or the page off any email)"
        self.query_one("#redactions-title", Static).update(Text(self.problem or title))

    def _current(self) -> LoggedBox | None:
        table = self.query_one(DataTable)
        return self.shown[table.cursor_row] if self.shown and 0 <= table.cursor_row < len(self.shown) else None

    def action_next_code(self) -> None:
        codes = sorted({e.printed for b in self.boxes for e in b.exemptions})
        self.code = next_filter([None, *codes], self.code)
        self.fill()

    def action_next_release(self) -> None:
        self.release = next_filter([None, *sorted({r for b in self.boxes for r in b.releases})], self.release)
        self.fill()

    def action_next_readable(self) -> None:
        self.readable = next_filter([None, *READABLE_FILTERS], self.readable)
        self.fill()

    @on(DataTable.RowSelected)
    def open_box(self) -> None:
        """Enter: the thread of the box's email (the page itself for a box outside any email)."""
        box = self._current()
        if box is None:
            return
        if box.thread_id is None:
            self.action_original()
            return
        self.dismiss(f"thread:{box.thread_id}")

    def action_original(self) -> None:
        box = self._current()
        if box is None:
            return
        if box.message_id is not None:
            shown: list[Shown] = [box.message_id]
        elif box.page is not None:
            shown = [DocumentPage(box.document_id, box.page)]
        else:
            self.notify(f"A {OUTSIDE} with no page number: {one_line(box.file)}.", timeout=6)
            return
        self.app.push_screen(OriginalPageScreen(self.archive, shown, self.app.page_image))

    def action_crop(self) -> None:
        """The crop a possibly readable box was read from, beside what was read."""
        box = self._current()
        if box is None:
            return
        if not box.readable_text:
            self.notify("Only a possibly readable box has a crop (f: filter to them).", timeout=6)
            return
        self.app.push_screen(CropScreen(self.archive, box, self.app.page_image))
