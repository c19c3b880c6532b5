"""The About screen: what foia-tui is, which archive is open, and what the bundled sample is (and is not)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from foia_tui.domain.display import one_line

SAMPLE_NOTE = (
    "About the bundled sample (archive.db.sample): it is a reconstruction made for demonstration, not the "
    "release itself. It is modelled on public reporting about the NYPD–Clearview AI emails released under "
    "New York's Freedom of Information Law (October 2018 to February 2020); the quoted phrases (\"reach 100 "
    'searches", "App is working great", "we continue to receive positive results", "gone on to make '
    "arrests\") come from MIT Technology Review's reporting of April 2021. Names and addresses of individuals "
    "are redacted as the release redacted them; the PDFs, Bates numbers and redaction boxes were generated."
)


def package_version() -> str:
    try:
        return version("foia-tui")
    except PackageNotFoundError:
        return "development"


class AboutScreen(ModalScreen[None]):
    BINDING_GROUP_TITLE = "About"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,a", "close", "Close")]

    def __init__(self, archive_path: str) -> None:
        super().__init__()
        self.archive_path = archive_path

    def compose(self) -> ComposeResult:
        text = Text(f"foia-tui {package_version()}\n", style="bold")
        text.append("A keyboard-first workbench for reading public-records email releases.\n\n")
        text.append("Archive: ")
        text.append(one_line(self.archive_path) + "\n\n", style="bold")
        text.append(SAMPLE_NOTE)
        with VerticalScroll(id="about-box"):
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss()
