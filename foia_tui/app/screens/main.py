"""The main screen: sidebar, thread list and thread view, a search bar, a status line and the footer.

The screen is the only part of the main view that talks to the archive, always from worker threads; the
widgets receive data and post messages. Bindings here work from any pane; each pane adds its own.
Other screens plug in through app-level or screen-level bindings and `reading_view` (the ThreadView).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer

from foia_tui.app import loading
from foia_tui.app.footer import KeysFirst
from foia_tui.app.screens.export_dialog import ExportDialog
from foia_tui.app.screens.tag_picker import TagPicker, TagTarget, tag_target
from foia_tui.app.widgets.search_bar import SearchBar
from foia_tui.app.widgets.selection import SelectionBar
from foia_tui.app.widgets.sidebar import Sidebar
from foia_tui.app.widgets.status import StatusLine
from foia_tui.app.widgets.thread_list import ThreadList, ThreadSource
from foia_tui.app.widgets.thread_view import ThreadView
from foia_tui.archive import Archive
from foia_tui.archive.types import MessageDetail, SidebarData, ThreadMatches, ThreadSummary, Totals
from foia_tui.domain.display import one_line
from foia_tui.domain.query import QueryError
from foia_tui.domain.wording import plural
from foia_tui.services import reading
from foia_tui.services.searching import count_matches, matching_thread_ids, thread_matches

EMPTY_ARCHIVE = "This archive is empty. Import a release with:  foia import PATH --db {path}"


class MainScreen(KeysFirst):
    """Three panes over one archive."""

    BINDING_GROUP_TITLE = "Main screen"
    AUTO_FOCUS = "#threads"
    # What a reader uses most leads the footer (80 columns hold these); the rest are in help (?) and the palette.
    FOOTER_FIRST = ("slash", "t", "v", "e", "g", "question_mark", "s", "n")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("/", "search", "Search"),
        Binding("n", "next_match", "Next match"),
        Binding("N", "previous_match", "Previous match", show=False),
        Binding("J", "next_message", "Next message", show=False),
        Binding("K", "previous_message", "Previous message", show=False),
        Binding("S", "save_search", "Save search"),
        Binding("]", "next_thread", "Next thread", show=False),
        Binding("[", "previous_thread", "Previous thread", show=False),
        Binding("o", "original", "Original page"),
        Binding("O", "original(1)", "Original page of a copy", show=False),
        Binding("r", "toggle_leaks", "Leaked text"),
        Binding("t", "tag('message')", "Tag message"),
        Binding("T", "tag('thread')", "Tag thread", show=False),
        Binding("v", "select_text", "Excerpt"),
        Binding("e", "export", "Export"),
        Binding("R,f5", "refresh", "Refresh", show=False),
        Binding("s", "focus_sidebar", "Sidebar"),
        Binding("ctrl+b", "toggle_sidebar", "Show or hide the sidebar", show=False),
        Binding("escape", "clear_search", "Clear search", show=False),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("A", "app.annotations", "Annotations"),
        Binding("u", "app.undo", "Undo"),  # in the footer only while there is a deletion to undo
    ]

    def __init__(self, archive: Archive, notice: str | None = None) -> None:
        super().__init__()
        self.archive = archive
        self.notice = notice
        self.query_text = ""
        self.totals: Totals | None = None
        self.thread: ThreadSummary | None = None
        self._reading = False  # an email is focused in the thread view (o and r work)
        self._matched_query = ""  # the search whose matches the thread view shows
        self._jump_to: tuple[str, int | None] | None = None  # (email, body offset) to show once its thread is read

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            with Vertical(id="reading"):
                yield ThreadList(id="threads")
                yield ThreadView(id="thread")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    @property
    def reading_view(self) -> ThreadView:
        return self.query_one(ThreadView)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        self.query_one("#sidebar").border_title = "Archive"
        self.thread_list.border_title = "Threads"
        self.reading_view.border_title = "Thread"
        self.status.archive_path = str(self.archive.path)
        if self.notice:
            self.status.notice = self.notice
            self.notify(self.notice, title="foia", timeout=10)
        self._load("overview", partial(reading.totals, self.archive), self._show_overview)

    def _load(self, name: str, read: Callable[[], object], done: Callable) -> None:
        """Read in a worker (see foia_tui.app.loading); a problem is said on the status line."""
        loading.load(self, name, read, done, lambda error: self.show_problem(f"{name}: {error}"))

    def show_problem(self, problem: str) -> None:
        """A problem with the archive (locked, gone, damaged): said on the status line, never a traceback."""
        reason = problem
        if "locked" in problem or "busy" in problem:
            reason += " (another process is writing; press R to retry)"
        self.status.problem = reason
        self.notify(reason, title="Archive problem", severity="error", timeout=10)

    def _all_threads(self, totals: Totals) -> ThreadSource:
        empty = EMPTY_ARCHIVE.format(path=self.archive.path) if totals.messages == 0 else "No threads."
        return ThreadSource(totals.threads, partial(reading.thread_page, self.archive), empty)

    def _show_overview(self, totals: Totals, *, keep_cursor: bool = False) -> None:
        if self.totals is None:  # first screen: the sidebar's slower counts queue behind the first page
            self._load("sidebar", partial(reading.sidebar, self.archive), self._show_sidebar)
        self.totals = totals
        self.status.problem = ""
        if self.query_text:
            return
        self.thread_list.set_source(self._all_threads(totals), keep_cursor=keep_cursor)
        self.thread_list.border_title = f"Threads ({totals.threads:,})"
        self.status.query = ""
        self.status.counts = f"{plural(totals.threads, 'thread')} · {plural(totals.messages, 'message')}"

    def _show_sidebar(self, data: SidebarData) -> None:
        self.query_one(Sidebar).show(data)

    # Search

    def run_search(self, query: str) -> None:
        """Show the threads a query matches (an empty query shows every thread)."""
        if bool(query.strip()) != bool(self.query_text):
            self.refresh_bindings()  # Escape clears a search only while there is one
        self.query_text = query.strip()
        if not self.query_text:
            self.query_one(SearchBar).show_feedback("")
            self._load("overview", partial(reading.totals, self.archive), self._show_overview)
            return
        self._load("search", partial(self._search, self.query_text), self._show_search)

    def _search(self, query: str) -> tuple[str, list[str] | None, int, str | None]:
        """(query, matching thread ids newest first, matching messages, error) — runs in a worker."""
        try:
            ids = reading.newest_first(self.archive, matching_thread_ids(self.archive, query))
            return query, ids, count_matches(self.archive, query), None
        except QueryError as error:
            return query, None, 0, str(error)

    def _show_search(self, result: tuple[str, list[str] | None, int, str | None]) -> None:
        query, ids, messages, error = result
        if query != self.query_text:
            return
        bar = self.query_one(SearchBar)
        if error is not None:
            bar.show_feedback(error, error=True)
            self.status.counts = "query error (see the search bar)"
            if not bar.is_open:
                bar.open()
            return
        assert ids is not None
        self.status.problem = ""
        if not ids:
            bar.show_feedback("no hits")
        else:
            bar.show_feedback(f"{plural(len(ids), 'thread')} · {plural(messages, 'message')}")
        fetch = partial(self._result_page, ids)
        self.thread_list.set_source(ThreadSource(len(ids), fetch, f"No threads match {query}"))
        self.thread_list.border_title = f"Threads ({len(ids):,} of {self.totals.threads:,})" if self.totals else None
        self.status.query = query
        self.status.counts = f"{plural(len(ids), 'thread')} · {plural(messages, 'message')} match"

    def _result_page(self, ids: list[str], offset: int, limit: int) -> list[ThreadSummary]:
        return reading.threads_by_ids(self.archive, ids[offset : offset + limit])

    def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        self.run_search(message.query)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        self.run_search(message.query)
        self.query_one(SearchBar).action_close()

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self.thread_list.focus()

    def show_query(self, query: str) -> None:
        """Put a query in the search bar and list the threads it matches (the sidebar and the timeline do)."""
        self.query_one(SearchBar).show_query(query)
        self.run_search(query)
        self.thread_list.focus()

    def on_sidebar_filter_chosen(self, message: Sidebar.FilterChosen) -> None:
        self.show_query(message.query)

    # Threads

    def open_thread(self, thread: ThreadSummary, *, focus: bool = True) -> None:
        self.thread = thread
        self.reading_view.border_title = "Thread"
        self._load("thread", partial(self._read_thread, thread.id, self.query_text), self._show_thread)
        if focus:
            self.reading_view.focus()

    def _read_thread(self, thread_id: str, query: str) -> tuple[list[MessageDetail], str, ThreadMatches | None]:
        """A thread's emails and, under a search, which of them it matches (runs in a worker)."""
        messages = reading.thread_messages(self.archive, thread_id)
        try:
            return messages, query, thread_matches(self.archive, query, thread_id) if query else None
        except QueryError:
            return messages, query, None

    def _show_thread(self, read: tuple[list[MessageDetail], str, ThreadMatches | None]) -> None:
        messages, query, matches = read
        subject = self.thread.subject if self.thread else None
        view = self.reading_view
        fresh = not (messages and view.messages and messages[0].thread_id == view.messages[0].thread_id)
        view.show_messages(messages, subject)
        if fresh or query != self._matched_query:
            view.show_matches(matches)
            self._matched_query = query
        view.border_title = f"Thread ({plural(len(messages), 'message')})"
        self._say_match(view.match_position)
        if self._jump_to is not None:
            view.focus_message(*self._jump_to)
            self._jump_to = None

    def show_message(self, thread_id: str, message_id: str, offset: int | None = None) -> None:
        """Open a thread on one of its emails, scrolled to a body offset (an annotation's Enter)."""
        self._jump_to = (message_id, offset)
        self._load("jump", partial(reading.threads_by_ids, self.archive, [thread_id]), self._open_jumped)

    def _open_jumped(self, threads: list[ThreadSummary]) -> None:
        if threads:
            self.open_thread(threads[0])
        else:
            self._jump_to = None
            self.notify("That email's thread is no longer in the archive.", timeout=6)

    def _say_match(self, position: tuple[int, int] | None) -> None:
        self.status.match = f"match {position[0]} of {position[1]}" if position else ""

    def on_thread_list_opened(self, message: ThreadList.Opened) -> None:
        self.open_thread(message.thread)

    def on_thread_list_load_failed(self, message: ThreadList.LoadFailed) -> None:
        self.show_problem(message.reason)

    def on_thread_view_closed(self, message: ThreadView.Closed) -> None:
        self.thread_list.focus()

    def on_sidebar_closed(self, message: Sidebar.Closed) -> None:
        self.thread_list.focus()

    def on_thread_view_message_focused(self, message: ThreadView.MessageFocused) -> None:
        if self._reading != (message.message is not None):
            self._reading = message.message is not None
            self.refresh_bindings()

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        message = self.reading_view.focused_message
        if action == "original" and parameters:
            return (message is not None and bool(message.copies)) or None
        if action in ("original", "toggle_leaks", "tag", "select_text"):
            return message is not None or None
        if action in ("clear_search", "save_search"):
            return bool(self.query_text)
        return True

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    def _step_match(self, step: int) -> None:
        """n / N: the next or previous place the search matched in the open thread (else the next email)."""
        view = self.reading_view
        if not view.messages:
            self.thread_list.action_open()
            return
        position = view.step_match(step)
        if position is None:
            self._step_message(step > 0)
        self._say_match(position)

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def action_save_search(self) -> None:
        """S: keep the current search under a name (asked for, the query itself proposed)."""
        from foia_tui.app.screens.save_search import SaveSearchDialog

        self.app.push_screen(SaveSearchDialog(self.archive, self.query_text), self._saved_search)

    def _saved_search(self, name: str | None) -> None:
        if name:
            self.notify(f"Saved the search as {one_line(name, 80)}.", title="Saved searches", timeout=4)
            self._load("sidebar", partial(reading.sidebar, self.archive), self._show_sidebar)

    def action_clear_search(self) -> None:
        self.query_one(SearchBar).input.value = ""
        self.run_search("")

    def _step_message(self, forward: bool) -> None:
        view = self.reading_view
        if not view.messages:
            self.thread_list.action_open()
            return
        if forward:
            view.next_message()
        else:
            view.previous_message()

    def action_next_message(self) -> None:
        self._step_message(True)

    def action_previous_message(self) -> None:
        self._step_message(False)

    def _step_thread(self, step: int) -> None:
        threads = self.thread_list
        threads.cursor += step
        focus = self.focused is self.reading_view
        thread = threads.highlighted
        if thread is not None:
            self.open_thread(thread, focus=focus)
        else:
            threads.action_open()

    def action_next_thread(self) -> None:
        self._step_thread(1)

    def action_previous_thread(self) -> None:
        self._step_thread(-1)

    def action_original(self, copy: int = 0) -> None:
        """The original page of the email shown (`o`), or of its other copies (`O`; `c` there steps through)."""
        view = self.reading_view
        message = view.focused_message
        if message is not None:
            from foia_tui.app.screens.original import OriginalPageScreen

            ids = view.copy_ids(message)
            self.app.push_screen(OriginalPageScreen(self.archive, ids, self.app.page_image, copy_index=copy % len(ids)))

    def action_toggle_leaks(self) -> None:
        view = self.reading_view
        view.show_leaks = not view.show_leaks
        leaks, exposures = view.leak_count, view.exposure_count
        if not leaks and not exposures:
            self.notify("No leaked text under the boxes in this thread.", timeout=4)
            return
        state = "shown" if view.show_leaks else "hidden"
        if leaks:
            self.notify(f"Leaked text {state} ({plural(leaks, 'box')}).", timeout=4)
        if exposures:
            self.notify(f"Text other releases show under boxes {state} ({plural(exposures, 'box')}).", timeout=4)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.display = not sidebar.display
        if not sidebar.display and sidebar.has_focus:
            self.thread_list.focus()

    def action_focus_sidebar(self) -> None:
        """s: into the sidebar (shown again if hidden); Escape or q there goes back to the list."""
        sidebar = self.query_one(Sidebar)
        sidebar.display = True
        sidebar.focus()

    # Tagging and export (foia_tui.app.screens.tag_picker / export_dialog, foia_tui.app.widgets.selection)

    def action_tag(self, kind: str) -> None:
        self.open_tag_picker(tag_target(self.reading_view.focused_message, kind))

    def open_tag_picker(self, target: TagTarget | None) -> None:
        if target is not None:
            self.app.push_screen(TagPicker(self.archive, target), self._tagged)

    def _tagged(self, result: str | None) -> None:
        if result:
            self.notify(result, title="Tags", timeout=4)
            for bar in self.query(SelectionBar):
                bar.action_close()
            self.reload_tags()

    def reload_tags(self) -> None:
        """Tags changed: read the thread list's rows, the open thread and the sidebar's counts again."""
        if self.query_text:
            self.run_search(self.query_text)
        else:
            self.thread_list.set_source(self.thread_list.source, keep_cursor=True)
        self._load("sidebar", partial(reading.sidebar, self.archive), self._show_sidebar)
        if self.thread is not None:
            self._load("thread", partial(self._read_thread, self.thread.id, self.query_text), self._show_thread)

    def action_select_text(self) -> None:
        """Selection mode, starting on the search match under the cursor when there is one."""
        view, message = self.reading_view, self.reading_view.focused_message
        if message is not None and not self.query(SelectionBar):
            match = view.current_match
            here = match is not None and match.message_id == message.id and match.start is not None
            span = (match.start, match.end) if here and match.end is not None else None
            bar = SelectionBar(view, message.id, message.body, span, id="selection")
            self.mount(bar, before=self.status)
            bar.focus()

    def on_selection_bar_tag_requested(self, message: SelectionBar.TagRequested) -> None:
        focused = self.reading_view.focused_message
        if focused is not None and focused.id == message.message_id:
            self.open_tag_picker(tag_target(focused, "excerpt", message.start, message.end))

    def on_selection_bar_closed(self, message: SelectionBar.Closed) -> None:
        for bar in self.query(SelectionBar):
            bar.remove()
        self.reading_view.focus()

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(self.archive, self.query_text), self._exported)

    def _exported(self, result: str | None) -> None:
        if result:
            self.notify(result, title="Export", timeout=6)

    def action_refresh(self) -> None:
        """Read the archive again (another process may have imported) and say what changed."""
        self._load("refresh", partial(reading.totals, self.archive), self._show_refresh)
        self._load("sidebar", partial(reading.sidebar, self.archive), self._show_sidebar)

    def _show_refresh(self, totals: Totals) -> None:
        before = self.totals
        self._show_overview(totals, keep_cursor=True)
        if self.query_text:
            self.run_search(self.query_text)
        if self.thread is not None:
            self._load("thread", partial(self._read_thread, self.thread.id, self.query_text), self._show_thread)
        added = totals.messages - before.messages if before else 0
        if added > 0:
            self.notify(f"{plural(added, 'new message')} since the last look.", title="Refreshed")
        else:
            self.notify("No new messages.", title="Refreshed", timeout=3)
