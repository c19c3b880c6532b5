"""The Releases screen: the index of releases with their counts, newest first, as `foia releases` prints it.

Enter dismisses the screen with a `release:"NAME"` query, so whoever pushed it can filter the thread list to
that release; Escape dismisses with None. The counts are read in a worker thread.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.releases import list_releases
from foia_tui.display import one_line
from foia_tui.releases import release_query

COLUMNS = ("Release", "Agency", "Status", "Filed", "Produced", "Docs", "Pages", "Messages", "Redactions")


class ReleasesScreen(Screen[str | None]):
    """Every release and request, with documents, pages, distinct messages and redactions."""

    BINDING_GROUP_TITLE = "Releases"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss(None)", "Back")]
    DEFAULT_CSS = """
    ReleasesScreen #releases-title { height: 1; background: $panel; padding: 0 1; }
    ReleasesScreen #releases-detail { height: 3; border-top: solid $panel-lighten-2; padding: 0 1; }
    """

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.releases: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static("Releases", id="releases-title")
        yield DataTable(id="releases-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="releases-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.load()

    @work(thread=True, exclusive=True, group="releases-load")
    def load(self) -> None:
        try:
            rows, problem = list_releases(self.archive), None
        except ArchiveError as error:
            rows, problem = [], str(error)
        self.app.call_from_thread(self.show, rows, problem)

    def show(self, rows: list[dict], problem: str | None = None) -> None:
        self.releases = rows
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            cells = [r["name"], r["agency"] or "", r["status"], r["filed"] or "", r["produced"] or ""]
            counts = [f"{r[key]:,}" for key in ("documents", "pages", "messages", "redactions")]
            table.add_row(*(Text(one_line(c, 40)) for c in cells), *(Text(c, justify="right") for c in counts))
        title = f"Releases: {len(rows)}" if rows else "No releases yet: foia import PATH --release NAME"
        self.query_one("#releases-title", Static).update(Text(problem or f"{title}  (Enter: threads of a release)"))
        table.focus()
        if rows:
            self.describe(0)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.describe(event.cursor_row)

    def describe(self, index: int) -> None:
        """The request behind the highlighted release: number, requester, notes."""
        if not 0 <= index < len(self.releases):
            return
        r = self.releases[index]
        parts = [f"request {r['request_id']}" if r["request_id"] else "", r["requester"] or "", r["notes"] or ""]
        line = " · ".join(one_line(p, 120) for p in parts if p)
        self.query_one("#releases-detail", Static).update(Text(f"{one_line(r['name'], 60)}  {line}"))

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.releases):
            self.dismiss(release_query(self.releases[event.cursor_row]["name"]))
