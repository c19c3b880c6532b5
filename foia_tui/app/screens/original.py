"""The original page (`o`): the PDF page an email was printed on, beside the text the importer read from it,
so a reader can check the machine's reading against the paper. An email produced more than once has a page
per copy (another file, another release, other boxes): `c` steps through them. A page outside any email (a box
of the Redactions screen on a cover letter, say) opens by its file and number.

pypdfium2 renders the page in a worker; textual-image draws it (Kitty/Sixel graphics where the terminal has
them, half-block characters elsewhere; the app chooses the widget class before Textual starts). +/- zoom in
(rendered again, sharper) and the arrows or hjkl then pan; `v` opens the page in the desktop's PDF viewer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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
from foia_tui.domain.page_view import PageView, viewer_command
from foia_tui.domain.wording import plural
from foia_tui.services import reading

RENDER_SCALE = 1.5  # 108 dpi: sharp enough for Kitty/Sixel, cheap for half-blocks (times the zoom)
VIEWER_VARIABLE = "FOIA_PDF_VIEWER"
MAX_HEADER_CHARS = 2_000


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
    zoom: float = 1.0


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
        # zoomed in, the arrows and hjkl pan (these come first); at the whole page ←/→ and h/l turn pages
        Binding("left,h", "pan(-1, 0)", "Pan (←↓↑→ or hjkl)"),
        Binding("right,l", "pan(1, 0)", "Pan right", show=False),
        Binding("up,k", "pan(0, -1)", "Pan up", show=False),
        Binding("down,j", "pan(0, 1)", "Pan down", show=False),
        Binding("left,h", "page(-1)", "Previous page"),
        Binding("right,l", "page(1)", "Next page"),
        Binding("pageup", "page(-1, True)", "Previous page", show=False),  # zoomed in or not
        Binding("pagedown", "page(1, True)", "Next page", show=False),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in"),
        Binding("minus", "zoom(-1)", "Zoom out"),
        Binding("0", "zoom(0)", "Whole page", show=False),
        Binding(
            "v",
            "viewer",
            "Open in PDF viewer: $FOIA_PDF_VIEWER (a command; {file} and {page} are put in its words, else the "
            "file goes last), else xdg-open",
            show=False,
        ),
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
        self.view = PageView()  # the zoom and where it looks, kept from page to page
        self.rendered: RenderedPage | None = None  # the whole page at the current zoom

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
        self.query_one("#page-text-pane").border_title = "Extracted text"
        native = source.kind in reading.NATIVE_KINDS
        self.query_one("#page-image").set_class(native, "raw-headers")
        if native:
            self._show_native(source)
            return
        problem = page_problem(source)
        if problem:
            self._remove_image()
            self._note(problem)
            return
        self._render_page()

    def _render_page(self) -> None:
        """Draw the current page at the current zoom, in a worker."""
        assert self.source is not None
        self._note("Rendering the page…")
        path, number, zoom = Path(self.source.path), self.numbers[self.index], self.view.zoom
        loading.load(self, "render", partial(self._draw, path, number, zoom), self._show_image, self._read_failed)

    def _show_native(self, source: PageSource) -> None:
        """A native email has no page: its raw headers and MIME parts instead, read from its file in a worker."""
        self._remove_image()
        self.query_one("#page-title", Static).update(
            Text.assemble(("Original message", "bold"), "  · ", one_line(source.file or source.path))
        )
        self.query_one("#page-image").border_title = "Raw headers"
        self.query_one("#page-text-pane").border_title = "MIME parts"
        self._note("Reading the message's file…")
        self.query_one("#page-text", Static).update(Text(""))
        loading.load(self, "raw-mail", partial(reading.original_mail, source), self._show_raw, self._read_failed)

    def _show_raw(self, found: reading.OriginalMail) -> None:
        if found.source is not self.source:
            return  # the reader moved on to another copy
        kind = one_line(found.source.kind or "unknown")
        note = Text(f"This email came from a {kind} file, not a printed page: ", style="dim")
        note.append("its header lines and MIME parts as the file holds them.\n\n", style="dim")
        parts = Text("")
        if found.mail is None:
            note.append(found.problem or "", style="bold")
        else:
            for name, value in found.mail.headers:
                note.append(one_line(name, 80), style="bold")
                note.append(f": {one_line(value, MAX_HEADER_CHARS)}\n")
            for part in found.mail.parts:
                parts.append("  " * part.depth + one_line(part.content_type, 80), style="bold")
                if part.filename:
                    parts.append(f"  {one_line(part.filename, 120)}")
                if part.size is not None:
                    parts.append(f"  {plural(part.size, 'byte')}", style="dim")
                parts.append("\n")
        self.query_one("#page-note", Static).update(note)
        self.query_one("#page-text", Static).update(parts)

    @staticmethod
    def _draw(path: Path, number: int, zoom: float = 1.0) -> RenderedPage:
        try:
            return RenderedPage(path, number, render_pdf_page(path, number, RENDER_SCALE * zoom), None, zoom)
        except (pypdfium2.PdfiumError, OSError, ValueError) as error:
            return RenderedPage(path, number, None, f"Could not draw page {number}: {error}", zoom)

    def _remove_image(self) -> None:
        self.rendered = None
        for widget in self.query("#page-image > .page-image"):
            widget.remove()

    def _show_image(self, page: RenderedPage) -> None:
        source = self.source
        drawn = (Path(source.path), self.numbers[self.index], self.view.zoom) if source else None
        if drawn != (page.path, page.number, page.zoom):
            return  # the reader moved on to another page, copy or zoom while this one was drawn
        self._remove_image()
        if page.image is None:
            self._note(page.problem or "Could not draw the page.")
            return
        self._note("")
        self.rendered = page
        self.query_one("#page-image").mount(self.image_widget(self._in_view(page.image), classes="page-image"))
        self.refresh_bindings()

    def _in_view(self, image: PILImage.Image) -> PILImage.Image:
        """The part of the page image the zoom and pan show."""
        return image if self.view.zoom == 1 else image.crop(self.view.crop(*image.size))

    def _pan_to(self, view: PageView) -> None:
        """Show another part of the drawn page (the same zoom: no new rendering)."""
        self.view = view
        widget = next(iter(self.query("#page-image > .page-image")), None)
        if self.rendered is not None and self.rendered.image is not None and widget is not None:
            widget.image = self._in_view(self.rendered.image)
        self._show_zoom()

    def _show_zoom(self) -> None:
        zoom = self.view.zoom
        self.query_one("#page-image").border_subtitle = f"zoom {zoom:g}× (+/-, 0: whole page)" if zoom != 1 else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            step = int(str(parameters[0])) if parameters else 0
            if len(parameters) < 2 and self.view.zoom > 1 and self.rendered is not None:
                return False  # ←/→ pan while zoomed in: the footer should not offer them as page turns
            return 0 <= self.index + step < len(self.numbers) or None
        if action == "copy":
            return len(self.copies) > 1 or None
        if action == "pan":
            return self.view.zoom > 1 and self.rendered is not None
        if action in ("zoom", "viewer"):
            return (self.source is not None and page_problem(self.source) is None) or None
        return True

    def action_zoom(self, step: int) -> None:
        """Closer or further (0: the whole page); a new zoom level renders the page again at its sharpness."""
        view = self.view.zoomed(step)
        if view.zoom == self.view.zoom:
            self._pan_to(view)
            return
        self.view = view
        self._show_zoom()
        if self.source is not None and self.numbers and page_problem(self.source) is None:
            self._render_page()
        self.refresh_bindings()

    def action_pan(self, dx: int, dy: int) -> None:
        self._pan_to(self.view.panned(dx, dy))

    def action_viewer(self) -> None:
        """Open this page's PDF in the desktop's viewer, without waiting for it (and without a shell)."""
        if self.source is None or not self.numbers:
            return
        number = self.numbers[self.index]
        try:
            command = viewer_command(
                os.environ.get(VIEWER_VARIABLE), self.source.path, number, shutil.which("xdg-open")
            )
        except ValueError as error:  # unbalanced quotes in the variable
            self.notify(f"${VIEWER_VARIABLE} cannot be read: {error}", title="PDF viewer", severity="error")
            return
        if command is None:
            self.notify(
                f"No PDF viewer found: set ${VIEWER_VARIABLE} (e.g. 'evince -i {{page}} {{file}}') "
                "or install xdg-open.",
                title="PDF viewer",
                severity="warning",
            )
            return
        try:
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            self.notify(f"Could not start {one_line(command[0], 80)}: {error}", title="PDF viewer", severity="error")
            return
        self.notify(
            f"Opened page {number} of {one_line(self.source.file or self.source.path, 100)} "
            f"in {one_line(command[0], 60)}"
        )

    def action_page(self, step: int, always: bool = False) -> None:
        """The next or previous page (`always`: pgup/pgdn, which turn pages at any zoom)."""
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
