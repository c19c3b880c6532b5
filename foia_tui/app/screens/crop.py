"""The crop of a possibly readable box (`v` on the Redactions screen): the pixels under a box on a scanned page
that is not uniform, contrast stretched as OCR read them, beside what OCR read, so a reader judges the reading
against the image rather than trusting it.

The crop is read and decoded in a worker; the image is drawn by the same textual-image widget as page images.
"""

from __future__ import annotations

import io
from functools import partial
from typing import ClassVar

from PIL import Image as PILImage
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static

from foia_tui.app import loading
from foia_tui.archive import Archive
from foia_tui.domain.display import one_line, safe_rich
from foia_tui.domain.redaction_log import LoggedBox
from foia_tui.services.redaction_log import redaction_crop


def read_crop(archive: Archive, redaction_id: int) -> PILImage.Image | None:
    """The box's stored crop as an image (None when none was stored); a PNG that cannot be read is an OSError."""
    data = redaction_crop(archive, redaction_id)
    if not data:
        return None
    image = PILImage.open(io.BytesIO(data))
    image.load()
    return image


class CropScreen(ModalScreen[None]):
    """The crop of one possibly readable box and the text read from it."""

    BINDING_GROUP_TITLE = "Possibly readable"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,v", "close", "Close")]
    DEFAULT_CSS = """
    CropScreen { align: center middle; }
    CropScreen #crop-box { width: 80%; height: 60%; border: round $accent; background: $surface; padding: 0 1; }
    CropScreen #crop-title { height: auto; text-style: bold; }
    CropScreen #crop-image { height: 1fr; }
    CropScreen #crop-image .crop-image { width: auto; height: 100%; }
    CropScreen #crop-note { color: $text-muted; }
    CropScreen #crop-text { height: auto; max-height: 8; }
    """

    def __init__(self, archive: Archive, box: LoggedBox, image_widget: type[Widget]) -> None:
        super().__init__()
        self.archive = archive
        self.box = box
        self.image_widget = image_widget

    def compose(self) -> ComposeResult:
        where = one_line(self.box.file.rsplit("/", 1)[-1], 60) + (f", p. {self.box.page}" if self.box.page else "")
        with Vertical(id="crop-box"):
            yield Static(Text(f"Possibly readable under a box: {where}"), id="crop-title")
            yield Container(Static(Text("Reading the crop…"), id="crop-note"), id="crop-image")
            text = Text("Read by OCR (possibly wrong): ", style="bold")
            text.append_text(safe_rich(self.box.readable_text or ""))
            yield Static(text, id="crop-text")
        yield Footer()

    def on_mount(self) -> None:
        loading.load(self, "crop", partial(read_crop, self.archive, self.box.id), self._show, self._failed)

    def _note(self, text: str) -> None:
        self.query_one("#crop-note", Static).update(Text(text))

    def _failed(self, error: Exception) -> None:
        self._note(f"Could not read the crop: {error}")

    def _show(self, image: PILImage.Image | None) -> None:
        if image is None:
            self._note("No crop was stored for this box (it was imported before crops were kept).")
            return
        self.query_one("#crop-note").display = False
        self.query_one("#crop-image").mount(self.image_widget(image, classes="crop-image"))

    def action_close(self) -> None:
        self.dismiss()
