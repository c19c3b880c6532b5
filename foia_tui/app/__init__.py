"""The Textual app (`foia` / `foia open`). See app.py for the shell and screens/ for each view."""

from __future__ import annotations

from foia_tui.archive import Archive


def run_app(archive: Archive, notice: str | None = None) -> None:
    """Run the app on an open archive; `notice` is shown on the status line and as a notification."""
    # textual-image asks the terminal what graphics it supports; that must happen before Textual owns the tty.
    from textual_image.widget import Image

    from foia_tui.app.app import FoiaApp

    FoiaApp(archive, notice=notice, page_image=Image).run()
