"""The status line: which archive, which query, how many threads and messages, and any notice or problem."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from foia_tui.domain.display import one_line

PATH_WIDTH = 40


class StatusLine(Widget):
    """One line under the panes; every part is drawn as literal text."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    archive_path: reactive[str] = reactive("")
    query: reactive[str] = reactive("")
    counts: reactive[str] = reactive("")
    match: reactive[str] = reactive("")  # "match 2 of 5" while n / N step through a search's matches
    notice: reactive[str] = reactive("")
    problem: reactive[str] = reactive("")

    def render(self) -> Text:
        path = one_line(self.archive_path)
        text = Text(path if len(path) <= PATH_WIDTH else "…" + path[-PATH_WIDTH + 1 :], style="bold")
        if self.query:
            text.append("  query: ")
            text.append(one_line(self.query, 80), style="italic")
        if self.counts:
            text.append("  " + self.counts)
        if self.match:
            text.append("  " + self.match, style="bold")
        if self.problem:
            text.append("  ")
            text.append(one_line(self.problem, 200), style="bold red")
        elif self.notice:
            text.append("  ")
            text.append(one_line(self.notice, 200), style="bold yellow")
        return text
