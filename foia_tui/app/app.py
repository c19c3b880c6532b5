"""The Textual app: a thin shell that opens the main screen on an archive and holds app-wide bindings."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.widget import Widget

from foia_tui.app.commands import BindingCommands
from foia_tui.app.screens.about import AboutScreen
from foia_tui.app.screens.help import HelpScreen
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.redactions import RedactionsScreen
from foia_tui.app.screens.releases import ReleasesScreen
from foia_tui.app.screens.timeline import TimelineScreen
from foia_tui.archive import Archive
from foia_tui.domain.display import one_line, safe_text
from foia_tui.domain.timeline import period_query

NOTICE_CHARS = 2_000


class FoiaApp(App[None]):
    """foia-tui. `page_image` is the textual-image widget class that draws PDF pages."""

    TITLE = "foia"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {BindingCommands}
    BINDING_GROUP_TITLE = "Everywhere"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("?,f1", "help", "Help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
        Binding("a", "about", "About", show=False),
        Binding("g", "timeline", "Timeline"),
        Binding("L", "releases", "Releases"),
        Binding("X", "redactions", "Redactions"),
    ]

    def __init__(self, archive: Archive, notice: str | None = None, page_image: type[Widget] | None = None) -> None:
        super().__init__()
        self.archive = archive
        self.notice = notice
        if page_image is None:
            from textual_image.widget import HalfcellImage

            page_image = HalfcellImage
        self.page_image = page_image

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast of the app (screens' and widgets' `notify` lands here) passes the display door: a message
        may quote a tag, a name or an excerpt, so it is shown literally and `markup` is never honoured."""
        shown = safe_text(message, NOTICE_CHARS)
        super().notify(shown, title=one_line(title, 80), severity=severity, timeout=timeout, markup=False)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.archive, self.notice)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_about(self) -> None:
        if not isinstance(self.screen, AboutScreen):
            self.push_screen(AboutScreen(str(self.archive.path)))

    def action_timeline(self) -> None:
        """The timeline over the current search; Enter there filters the thread list to the chosen period."""
        if isinstance(self.screen, TimelineScreen):
            return
        main = next(screen for screen in self.screen_stack if isinstance(screen, MainScreen))
        self.push_screen(TimelineScreen(self.archive, query=main.query_text or None), self._show_period)

    def action_releases(self) -> None:
        """The releases index with counts; Enter there lists the threads of the chosen release."""
        if not isinstance(self.screen, ReleasesScreen):
            self.push_screen(ReleasesScreen(self.archive), self._show_release)

    def action_redactions(self) -> None:
        """The redaction log; Enter there lists the thread of the chosen box's email."""
        if not isinstance(self.screen, RedactionsScreen):
            self.push_screen(RedactionsScreen(self.archive), self._show_release)

    def _show_release(self, query: str | None) -> None:
        if query:
            main = next(screen for screen in self.screen_stack if isinstance(screen, MainScreen))
            while self.screen is not main:
                self.pop_screen()
            main.show_query(query)

    def _show_period(self, period: tuple[date, date] | None) -> None:
        if period is None:
            return
        main = next(screen for screen in self.screen_stack if isinstance(screen, MainScreen))
        while self.screen is not main:
            self.pop_screen()
        main.show_query(period_query(main.query_text, *period))
