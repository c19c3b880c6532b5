"""The Releases screen: the index of releases with their counts, newest first, as `foia releases` prints it.

Enter dismisses the screen with a `release:"NAME"` query, so whoever pushed it can filter the thread list to
that release; Escape dismisses with None. The detail under the table counts the highlighted release's boxes per
exemption code and those that fail; `c` on two releases shows what `foia compare` prints for them. Everything is
read in worker threads.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from foia_tui.app import loading
from foia_tui.archive import Archive
from foia_tui.archive.types import ReleaseSummary
from foia_tui.domain.display import one_line
from foia_tui.domain.redaction_log import BoxTally
from foia_tui.domain.releases import Comparison, comparison_lines, release_query
from foia_tui.domain.wording import plural
from foia_tui.services.redaction_log import release_boxes
from foia_tui.services.releases import compare_releases, list_releases

TEXT_COLUMNS = ("Release", "Agency", "Status", "Filed", "Produced")
COUNT_COLUMNS = ("Docs", "Pages", "Messages", "Redactions")
FLEXIBLE = {"Release": 0.6, "Agency": 0.4}  # the columns cut to fit the screen, and their share of the room
MIN_FLEXIBLE = 8
CELL_PADDING = 2  # DataTable's padding around each cell
SCROLLBAR = 2


def release_cells(release: ReleaseSummary) -> list[str]:
    """A release's row as text: the text columns, then its counts."""
    texts = [release.name, release.agency or "", release.status, release.filed or "", release.produced or ""]
    counts = [release.documents, release.pages, release.messages, release.redactions]
    return [one_line(t) for t in texts] + [f"{count:,}" for count in counts]


def column_widths(rows: list[list[str]], width: int) -> list[int]:
    """Widths that fit the table in `width` cells: the dates, statuses and counts whole, the release and agency
    names sharing the rest (cut with an ellipsis when they do not fit)."""
    headers = [*TEXT_COLUMNS, *COUNT_COLUMNS]
    natural = [max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(headers)]
    fixed = sum(n for header, n in zip(headers, natural, strict=True) if header not in FLEXIBLE)
    room = width - fixed - CELL_PADDING * len(headers) - SCROLLBAR
    wanted = sum(natural[headers.index(header)] for header in FLEXIBLE)
    widths = list(natural)
    if wanted > room:
        for header, share in FLEXIBLE.items():
            index = headers.index(header)
            widths[index] = max(MIN_FLEXIBLE, min(natural[index], int(room * share)))
        spare = room - sum(widths[headers.index(header)] for header in FLEXIBLE)
        for header in FLEXIBLE:  # a share one column does not need goes to the other
            index = headers.index(header)
            grow = max(0, min(spare, natural[index] - widths[index]))
            widths[index] += grow
            spare -= grow
    return widths


def box_lines(tally: BoxTally) -> list[str]:
    """A release's boxes per exemption code, and how many fail (leak, may be read, shown by another release)."""
    codes = " · ".join(f"{one_line(e.printed, 30) if e else 'no code'}: {n:,}" for e, n in tally.codes)
    failing = [
        f"{tally.leaked:,} leaked",
        f"{tally.possibly_readable:,} possibly readable",
        f"{tally.exposed:,} shown by another release",
    ]
    return [f"Boxes per code: {codes or 'none'}", f"Exposures: {', '.join(failing)}"]


class ComparisonScreen(Screen[None]):
    """Two releases side by side, as `foia compare A B` prints them."""

    BINDING_GROUP_TITLE = "Comparison"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss(None)", "Back")]
    DEFAULT_CSS = "ComparisonScreen #comparison-title { height: 1; background: $panel; padding: 0 1; }"

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        title = f"Comparing {one_line(self.comparison.a, 60)} with {one_line(self.comparison.b, 60)}"
        yield Static(Text(title, style="bold"), id="comparison-title")
        with VerticalScroll():
            yield Static(Text("\n".join(comparison_lines(self.comparison)), no_wrap=True), id="comparison-text")
        yield Footer()


class ReleasesScreen(Screen[str | None]):
    """Every release and request, with documents, pages, distinct messages and redactions."""

    BINDING_GROUP_TITLE = "Releases"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Back"),
        Binding("j", "cursor(1)", "Next release", show=False),
        Binding("k", "cursor(-1)", "Previous release", show=False),
        Binding("c", "compare", "Compare two"),
    ]
    DEFAULT_CSS = """
    ReleasesScreen #releases-title { height: 1; background: $panel; padding: 0 1; }
    ReleasesScreen #releases-detail { height: 5; border-top: solid $panel-lighten-2; padding: 0 1; }
    """

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.releases: list[ReleaseSummary] = []
        self.tallies: dict[str, BoxTally] = {}  # boxes per release, counted once per visit
        self.marked: str | None = None  # the release `c` compares the next one with

    def compose(self) -> ComposeResult:
        yield Static("Releases", id="releases-title")
        yield DataTable(id="releases-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="releases-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        if self.releases:
            self.fill(keep_cursor=True)

    def load(self) -> None:
        loading.load(
            self, "releases-load", partial(list_releases, self.archive), self.show, lambda e: self.show([], str(e))
        )

    def show(self, rows: list[ReleaseSummary], problem: str | None = None) -> None:
        self.releases = rows
        self.fill()
        title = f"Releases: {len(rows)}" if rows else "No releases yet: foia import PATH --release NAME"
        self.query_one("#releases-title", Static).update(Text(problem or f"{title}  (Enter: threads of a release)"))
        table = self.query_one(DataTable)
        table.focus()
        if rows:
            self.describe(table.cursor_row)

    def fill(self, *, keep_cursor: bool = False) -> None:
        """(Re)build the table with columns that fit the screen: names cut, counts right-aligned."""
        table = self.query_one(DataTable)
        cursor = table.cursor_row if keep_cursor else 0
        cells = [release_cells(r) for r in self.releases]
        widths = column_widths(cells, self.size.width)
        table.clear(columns=True)
        for header, width in zip(TEXT_COLUMNS, widths, strict=False):
            table.add_column(header, width=width)
        for header, width in zip(COUNT_COLUMNS, widths[len(TEXT_COLUMNS) :], strict=True):
            table.add_column(Text(header, justify="right"), width=width)
        for row in cells:
            texts = (Text(one_line(c, w)) for c, w in zip(row[: len(TEXT_COLUMNS)], widths, strict=False))
            counts = (Text(c, justify="right") for c in row[len(TEXT_COLUMNS) :])
            table.add_row(*texts, *counts)
        if self.releases:
            table.move_cursor(row=min(cursor, len(self.releases) - 1))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.describe(event.cursor_row)

    def describe(self, index: int) -> None:
        """The request behind the highlighted release: its whole name and agency, number, requester, notes, and
        the time zone its days are counted in."""
        if not 0 <= index < len(self.releases):
            return
        r = self.releases[index]
        zone = f"times in {r.tz}{'' if r.tz_given else ' (detected)'}" if r.tz else ""
        parts = [r.agency or "", f"request {r.request_id}" if r.request_id else "", r.requester or "", r.notes or ""]
        parts.append(zone)
        line = " · ".join(one_line(p, 120) for p in parts if p)
        counts = f"{plural(r.messages, 'message')} · {plural(r.pages, 'page')} · {plural(r.redactions, 'box')}"
        head = [f"{one_line(r.name, 200)}  {line}", counts]
        tally = self.tallies.get(r.name)
        lines = head + (box_lines(tally) if tally else ["Counting the boxes…"])
        self.query_one("#releases-detail", Static).update(Text("\n".join(lines), no_wrap=True, overflow="ellipsis"))
        if tally is None:
            loading.load(
                self,
                "releases-boxes",
                partial(release_boxes, self.archive, r.name),
                partial(self._counted, r.name),
                self._failed,
            )

    def _counted(self, name: str, tally: BoxTally) -> None:
        self.tallies[name] = tally
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < len(self.releases) and self.releases[table.cursor_row].name == name:
            self.describe(table.cursor_row)

    def _failed(self, error: Exception) -> None:
        self.notify(one_line(str(error), 200), title="Releases", severity="error", timeout=8)

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if self.releases:
            table.move_cursor(row=min(max(table.cursor_row + step, 0), len(self.releases) - 1))

    def action_compare(self) -> None:
        """The first `c` marks the highlighted release; the second, on another, compares the two."""
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < len(self.releases):
            return
        name = self.releases[table.cursor_row].name
        if self.marked is None or self.marked == name:
            self.marked = name
            self.notify(f"Comparing {one_line(name, 80)}: highlight another release and press c", timeout=6)
            return
        first, self.marked = self.marked, None
        loading.load(
            self,
            "releases-compare",
            partial(compare_releases, self.archive, first, name),
            lambda result: self.app.push_screen(ComparisonScreen(result)),
            self._failed,
        )

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.releases):
            self.dismiss(release_query(self.releases[event.cursor_row].name))
