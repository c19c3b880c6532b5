"""The Textual app: a thin shell that opens the main screen on an archive and holds app-wide bindings."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.widget import Widget

from foia_tui.app import loading
from foia_tui.app.changes import Deleted, NotesChanged
from foia_tui.app.commands import BindingCommands
from foia_tui.app.screens.about import AboutScreen
from foia_tui.app.screens.annotations import AnnotationsScreen, Jump
from foia_tui.app.screens.help import HelpScreen
from foia_tui.app.screens.main import MainScreen
from foia_tui.app.screens.redactions import RedactionsScreen
from foia_tui.app.screens.releases import ReleasesScreen
from foia_tui.app.screens.timeline import TimelinePlace, TimelineScreen
from foia_tui.archive import Archive
from foia_tui.domain.display import one_line, safe_text
from foia_tui.domain.timeline import period_query
from foia_tui.services.annotations import Deletion, undo

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
        self.timeline_place = TimelinePlace()  # each visit to the timeline comes back to where the last one left
        self.deletions: list[Deletion] = []  # what `u` puts back, last first, for this session

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`u` is in the footer only while there is a deletion to undo."""
        return bool(self.deletions) if action == "undo" else True

    def on_deleted(self, message: Deleted) -> None:
        """A deletion was made: kept for `u`, said in a toast, and the screens that show tags read them again."""
        self.deletions.append(message.deletion)
        self.refresh_bindings()
        self.notify(f"Deleted {message.deletion.what}. Press u to undo.", title="Deleted", timeout=8)
        self.tags_changed()

    def on_notes_changed(self, message: NotesChanged) -> None:
        self.tags_changed()

    def action_undo(self) -> None:
        """Put back the last deletion of the session."""
        if self.deletions:
            deletion = self.deletions.pop()
            self.refresh_bindings()
            loading.load(self, "undo", partial(undo, self.archive, deletion), self._undone, self._undo_failed)

    def _undone(self, said: str) -> None:
        self.notify(said, title="Undone", timeout=6)
        self.tags_changed()

    def _undo_failed(self, error: Exception) -> None:
        self.notify(f"Could not undo: {error}", title="Undo", severity="error", timeout=10)

    def tags_changed(self) -> None:
        """Tags, excerpts or notes changed: every screen that shows them reads them again."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen | AnnotationsScreen):
                screen.reload_tags()

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
        timeline = TimelineScreen(self.archive, query=main.query_text or None, place=self.timeline_place)
        self.push_screen(timeline, self._show_period)

    def action_releases(self) -> None:
        """The releases index with counts; Enter there lists the threads of the chosen release."""
        if not isinstance(self.screen, ReleasesScreen):
            self.push_screen(ReleasesScreen(self.archive), self._show_release)

    def action_redactions(self) -> None:
        """The redaction log; Enter there lists the thread of the chosen box's email."""
        if not isinstance(self.screen, RedactionsScreen):
            self.push_screen(RedactionsScreen(self.archive), self._show_release)

    def action_annotations(self) -> None:
        """Every excerpt and note; Enter there opens the email in the thread view."""
        if not isinstance(self.screen, AnnotationsScreen):
            self.push_screen(AnnotationsScreen(self.archive), self._jump)

    def _back_to_main(self) -> MainScreen:
        """Close the screens above the main screen (a choice made in one of them shows there)."""
        main = next(screen for screen in self.screen_stack if isinstance(screen, MainScreen))
        while self.screen is not main:
            self.pop_screen()
        return main

    def _jump(self, jump: Jump | None) -> None:
        if jump is not None:
            self._back_to_main().show_message(jump.thread_id, jump.message_id, jump.offset)

    def _show_release(self, query: str | None) -> None:
        if query:
            self._back_to_main().show_query(query)

    def _show_period(self, period: tuple[date, date] | None) -> None:
        if period is not None:
            main = self._back_to_main()
            main.show_query(period_query(main.query_text, *period))
