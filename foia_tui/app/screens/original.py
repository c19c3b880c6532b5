"""The original page (`o`): the PDF page an email was printed on, beside the text the importer read from it,
so a reader can check the machine's reading against the paper. An email produced more than once has a page
per copy (another file, another release, other boxes): `c` steps through them. A page outside any email (a box
of the Redactions screen on a cover letter, say) opens by its file and number.

pypdfium2 renders the page in a worker; textual-image draws it (Kitty/Sixel graphics where the terminal has
them, half-block characters elsewhere; the app chooses the widget class before Textual starts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

import pypdfium2
from PIL import Image as PILImage
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from foia_tui.app import loading
from foia_tui.archive import Archive
from foia_tui.archive.types import PageSource
from foia_tui.domain.citations import page_range
from foia_tui.domain.display import one_line, safe_rich
from foia_tui.services import reading

RENDER_SCALE = 1.5  # 108 dpi: sharp enough for Kitty/Sixel, cheap for half-blocks


@dataclass(frozen=True)
class DocumentPage:
    """A page outside any email, opened by its file's id and its number."""

    document_id: str
    number: int


Shown = str | DocumentPage  # what the screen shows: an email (its message id) or a page outside any email


@dataclass(frozen=True)
class RenderedPage:
    path: Path
    number: int
    image: PILImage.Image | None
    problem: str | None


def render_pdf_page(path: Path, number: int, scale: float = RENDER_SCALE) -> PILImage.Image:
    """One page of a PDF as an image (pdfium is not thread-safe: call from one worker at a time)."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        if not 1 <= number <= len(pdf):
            raise ValueError(f"the file has {len(pdf)} pages, not {number}")
        page = pdf[number - 1]
        try:
            return page.render(scale=scale).to_pil()
        finally:
            page.close()
    finally:
        pdf.close()


def page_problem(source: PageSource) -> str | None:
    """Why no page image can be drawn for this source, or None when one can."""
    if source.kind != "pdf":
        kind = one_line(source.kind or "unknown")
        return f"This email came from a {kind} file, not a printed page: there is no page image to show."
    if not Path(source.path).is_file():
        return f"The file is gone: {one_line(source.path)} (moved or deleted). Its extracted text is shown."
    return None


class OriginalPageScreen(Screen):
    """The page image on the left, the extracted text on the right; ←/→ walk the email's pages, `c` its copies.

    `copies` are the ids of the email's copies (the one to show first at `copy_index`), or one DocumentPage.
    """

    BINDING_GROUP_TITLE = "Original page"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,o", "close", "Back"),
        Binding("left,h", "page(-1)", "Previous page"),
        Binding("right,l", "page(1)", "Next page"),
        Binding("c", "copy(1)", "Next copy"),
        Binding("C", "copy(-1)", "Previous copy", show=False),
    ]

    def __init__(
        self, archive: Archive, copies: Sequence[Shown], image_widget: type[Widget], copy_index: int = 0
    ) -> None:
        super().__init__()
        self.archive = archive
        self.copies = list(copies)
        self.copy_index = copy_index
        self.image_widget = image_widget
        self.sources: dict[Shown, PageSource | None] = {}
        self.source: PageSource | None = None
        self.numbers: list[int] = []
        self.index = 0

    @property
    def message_id(self) -> Shown:
        """The copy whose page is shown (or the page outside any email)."""
        return self.copies[self.copy_index]

    def compose(self) -> ComposeResult:
        yield Static(Text("Loading…"), id="page-title")
        yield Static(Text(""), id="page-copy")
        with Horizontal(id="page-panes"):
            yield Container(Static(Text("Rendering the page…"), id="page-note"), id="page-image")
            yield VerticalScroll(Static(Text(""), id="page-text"), id="page-text-pane")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#page-image").border_title = "Page"
        self.query_one("#page-text-pane").border_title = "Extracted text"
        self._load()

    def _load(self) -> None:
        """Show the current copy's source, read in a worker the first time."""
        shown = self.message_id
        if shown in self.sources:
            self._show_source(self.sources[shown])
            return
        read = (
            partial(reading.document_page, self.archive, shown.document_id, shown.number)
            if isinstance(shown, DocumentPage)
            else partial(reading.page_source, self.archive, shown)
        )
        loading.load(self, "source", read, partial(self._source_read, shown), self._read_failed)

    def _source_read(self, shown: Shown, source: PageSource | None) -> None:
        self.sources[shown] = source
        if shown == self.message_id:
            self._show_source(source)

    def _read_failed(self, error: Exception) -> None:
        self._note(f"Could not read the archive: {error}")

    def _note(self, text: str) -> None:
        self.query_one("#page-note", Static).update(Text(text))

    def _show_source(self, source: PageSource | None) -> None:
        self.source = source
        self.index = 0
        self._show_copy()
        if source is None:
            self.numbers = []
            self._remove_image()
            gone = "page" if isinstance(self.message_id, DocumentPage) else "message"
            self._note(f"This {gone} is no longer in the archive.")
            self.refresh_bindings()
            return
        first = source.page_start or (source.pages[0].number if source.pages else 1)
        last = source.page_end or (source.pages[-1].number if source.pages else first)
        self.numbers = list(range(first, last + 1))
        self._show_page()
        self.refresh_bindings()

    def _show_copy(self) -> None:
        """The line under the title: which copy of the email this is, and the release(s) that produced it."""
        line = self.query_one("#page-copy", Static)
        source = self.source
        releases = "; ".join(one_line(name, 80) for name in source.releases) if source else ""
        line.display = len(self.copies) > 1 or bool(releases)
        text = Text()
        if len(self.copies) > 1:
            text.append(f"Copy {self.copy_index + 1} of {len(self.copies)}", style="bold")
            text.append(" (c: next copy)  · ")
        text.append(f"Release: {releases}" if releases else "In no release")
        line.update(text)

    def _show_page(self) -> None:
        source = self.source
        if source is None:
            return
        number = self.numbers[self.index]
        page = next((p for p in source.pages if p.number == number), None)
        title = Text(f"Original page {number}", style="bold", no_wrap=True, overflow="ellipsis")
        if len(self.numbers) > 1:
            title.append(f" ({self.index + 1} of {len(self.numbers)}, ←/→)")
        if page and page.bates:
            title.append(f"  · Bates {one_line(page.bates, 40)}")
        if page and page.ocr:
            title.append("  · text by OCR")
        title.append("  · ")
        title.append(one_line(source.file or source.path))
        self.query_one("#page-title", Static).update(title)
        text = safe_rich(page.text) if page and page.text else Text("(no text was extracted from this page)")
        self.query_one("#page-text", Static).update(text)
        self.query_one("#page-image").border_title = f"Page {number} ({page_range(source.page_start, source.page_end)})"
        problem = page_problem(source)
        if problem:
            self._remove_image()
            self._note(problem)
            return
        self._note("Rendering the page…")
        path = Path(source.path)
        loading.load(self, "render", partial(self._draw, path, number), self._show_image, self._read_failed)

    @staticmethod
    def _draw(path: Path, number: int) -> RenderedPage:
        try:
            return RenderedPage(path, number, render_pdf_page(path, number), None)
        except (pypdfium2.PdfiumError, OSError, ValueError) as error:
            return RenderedPage(path, number, None, f"Could not draw page {number}: {error}")

    def _remove_image(self) -> None:
        for widget in self.query("#page-image > .page-image"):
            widget.remove()

    def _show_image(self, page: RenderedPage) -> None:
        source = self.source
        if source is None or Path(source.path) != page.path or page.number != self.numbers[self.index]:
            return  # the reader moved on to another page or copy while this one was drawn
        self._remove_image()
        if page.image is None:
            self._note(page.problem or "Could not draw the page.")
            return
        self._note("")
        self.query_one("#page-image").mount(self.image_widget(page.image, classes="page-image"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            step = int(str(parameters[0])) if parameters else 0
            return 0 <= self.index + step < len(self.numbers) or None
        if action == "copy":
            return len(self.copies) > 1 or None
        return True

    def action_page(self, step: int) -> None:
        if self.numbers and 0 <= self.index + step < len(self.numbers):
            self.index += step
            self._show_page()
            self.refresh_bindings()

    def action_copy(self, step: int) -> None:
        """The same email's page in its next (or previous) copy, round the list."""
        if len(self.copies) > 1:
            self.copy_index = (self.copy_index + step) % len(self.copies)
            self._note("Reading the copy…")
            self._load()

    def action_close(self) -> None:
        self.dismiss()
