"""The thread view: a thread's emails in reading order, drawn with the Line API.

Each email is a header line (sender → recipients, date, provenance) that Enter expands to the full message:
headers, source (file, pages, Bates), the releases that produced it, tags (the whole email's apart from its
excerpts'), the body (redaction boxes with their codes; leaked text, and the text another release shows under a
box, behind `r`; quoted chains folded behind one line; excerpts highlighted, each one's tag and note on the line
after it: foia_tui.app.widgets.excerpts), attachments and the other copies of the same email (each with its
release, file, pages and Bates).

For widgets and screens that build on it (tag picker, selection mode, export):
- `messages`, `focused_message`, `focused_message_id`: what is shown and which email the cursor is on
  (`copy_ids(message)` lists the ids of all its copies, the shown one first, in the order they are listed);
- `body_text(message_id=None)`: the stored body (offsets in taggings refer to this text);
- `select_span(start, end)` / `clear_selection()` / `selection`: highlight a span of the focused email's
  stored body (start == end draws a one-character cursor), expanding and scrolling to it;
- `focus_message(message_id, offset=None)`, `show_messages(messages)` (keeps cursor and open emails by id);
- `show_matches(matches)` / `step_match(step)`: a search's matches in this thread, highlighted in subject and
  body; the matching emails are expanded and `step_match` moves the cursor from match to match (`n`/`N`);
- `MessageFocused` is posted whenever the cursor moves to another email.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import PurePath
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from foia_tui.app import formatting
from foia_tui.app.widgets.excerpts import ExcerptStyles, excerpt_marks, excerpt_notes, tags_row, unshown_lines
from foia_tui.app.widgets.message_body import (
    BodyStyles,
    RenderedBody,
    box,
    exposure_note,
    leak_note,
    quote_start,
    render_body,
)
from foia_tui.archive.types import Copy, MessageDetail, Redaction, ThreadMatches
from foia_tui.domain.citations import page_range
from foia_tui.domain.display import one_line
from foia_tui.domain.matching import match_spans

INDENT = "  "


@dataclass(frozen=True)
class _LineTarget:
    kind: str  # "header" or "fold"
    message: int


@dataclass(frozen=True)
class Match:
    """One place a search matched: a span of an email's stored body, or (start None) its subject or people."""

    message_id: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class _Details:
    """An expanded email's lines below its header, and where its body sits among them."""

    lines: list[Strip]
    body_line: int
    line_offsets: list[int]  # drawn offset where each wrapped body line starts
    fold_line: int | None
    body: RenderedBody


def _continued(message: MessageDetail) -> str:
    """Where an email that runs on into the next file of its production ends."""
    if not message.continued_file:
        return ""
    end = f" p. {message.continued_page_end}" if message.continued_page_end else ""
    return f" → continues in {one_line(PurePath(message.continued_file).name, 80)}{end}"


class ThreadView(ScrollView, can_focus=True, inherit_bindings=False):
    """One thread, read top to bottom. See the module docstring for the API other widgets use."""

    BINDING_GROUP_TITLE = "Thread view"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "toggle_message", "Expand/collapse"),
        Binding("z", "toggle_quotes", "Quoted text"),
        Binding("q,escape", "back", "Back to list"),
        Binding("j,down", "scroll_lines(1)", "Scroll down", show=False),
        Binding("k,up", "scroll_lines(-1)", "Scroll up", show=False),
        Binding("pagedown,space", "scroll_pages(1)", "Page down", show=False),
        Binding("pageup,b", "scroll_pages(-1)", "Page up", show=False),
        Binding("home", "scroll_edge(0)", "Top of thread", show=False),
        Binding("end,G", "scroll_edge(1)", "End of thread", show=False),
        Binding("x", "expand_all", "Expand/collapse all", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "thread-view--title",
        "thread-view--header",
        "thread-view--cursor",
        "thread-view--date",
        "thread-view--provenance",
        "thread-view--warning",
        "thread-view--field",
        "thread-view--redaction",
        "thread-view--leak",
        "thread-view--leak-label",
        "thread-view--fold",
        "thread-view--selection",
        "thread-view--tag",
        "thread-view--empty",
        "thread-view--match",
        "thread-view--match-current",
        "thread-view--excerpt",
        "thread-view--excerpt-note",
    }

    DEFAULT_CSS = """
    ThreadView {
        overflow-x: hidden;
        overflow-y: auto;
        & > .thread-view--title { text-style: bold; color: $text; }
        & > .thread-view--header { color: $text; }
        & > .thread-view--cursor { background: $surface-lighten-2; }
        &:focus > .thread-view--cursor { background: $accent 40%; }
        & > .thread-view--date { color: $text-muted; }
        & > .thread-view--provenance { color: $text-muted; text-style: italic; }
        & > .thread-view--warning { color: $warning; text-style: bold; }
        & > .thread-view--field { color: $secondary; }
        & > .thread-view--redaction { background: $foreground 85%; color: $background; text-style: bold; }
        & > .thread-view--leak { background: $warning; color: $background; text-style: bold; }
        & > .thread-view--leak-label { color: $warning; text-style: bold reverse; }
        & > .thread-view--fold { color: $text-muted; text-style: italic; }
        & > .thread-view--selection { background: $primary; color: $text; }
        & > .thread-view--tag { color: $accent; }
        & > .thread-view--empty { color: $text-muted; text-style: italic; }
        & > .thread-view--match { background: $warning 50%; color: $text; }
        & > .thread-view--match-current { background: $warning; color: $background; text-style: bold; }
        & > .thread-view--excerpt { background: $success 30%; text-style: underline; }
        & > .thread-view--excerpt-note { color: $success; text-style: italic; }
    }
    """

    show_leaks: reactive[bool] = reactive(False)
    cursor: reactive[int] = reactive(0, repaint=False)

    class MessageFocused(Message):
        def __init__(self, message: MessageDetail | None) -> None:
            super().__init__()
            self.message = message

    class Closed(Message):
        """The reader asked to go back to the thread list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.subject: str | None = None
        self._messages: list[MessageDetail] = []
        self._expanded: set[str] = set()
        self._unfolded: set[str] = set()
        self._selection: tuple[str, int, int] | None = None
        self._placeholder = "Choose a thread and press Enter."
        self._lines: list[Strip] = []
        self._starts: list[int] = []
        self._targets: dict[int, _LineTarget] = {}
        self._bodies: dict[str, tuple[int, _Details]] = {}
        self._matches: ThreadMatches | None = None
        self._match_list: list[Match] = []
        self._match_index: int | None = None
        self._headers: LRUCache[tuple, Strip] = LRUCache(1024)
        self._details: LRUCache[tuple, _Details] = LRUCache(128)

    # Public API

    @property
    def messages(self) -> list[MessageDetail]:
        return self._messages

    @property
    def focused_message(self) -> MessageDetail | None:
        return self._messages[self.cursor] if 0 <= self.cursor < len(self._messages) else None

    @property
    def focused_message_id(self) -> str | None:
        message = self.focused_message
        return message.id if message else None

    @property
    def selection(self) -> tuple[str, int, int] | None:
        """(message id, start, end) in stored-body offsets, or None."""
        return self._selection

    @property
    def leak_count(self) -> int:
        """Boxes in this thread (copies included) whose text is still readable underneath."""
        return sum(1 for m in self._messages for r in self._all_redactions(m) if r.leaked_text)

    @property
    def exposure_count(self) -> int:
        """Boxes in this thread (copies included) whose text another copy of the email shows."""
        return sum(len(m.exposures) + sum(len(c.exposures) for c in m.copies) for m in self._messages)

    @staticmethod
    def copy_ids(message: MessageDetail) -> list[str]:
        """The ids of every copy of an email: the one shown, then the others as listed under it."""
        return [message.id, *(copy.id for copy in message.copies)]

    def body_text(self, message_id: str | None = None) -> str:
        """The stored body of an email in this thread (the focused one by default)."""
        wanted = message_id or self.focused_message_id
        return next((m.body for m in self._messages if m.id == wanted), "")

    def show_messages(self, messages: list[MessageDetail], subject: str | None = None) -> None:
        """Show a thread; showing the same thread again keeps the cursor and open emails."""
        same_thread = bool(messages and self._messages and messages[0].thread_id == self._messages[0].thread_id)
        focused = self.focused_message_id
        self._messages = messages
        self.subject = subject if subject is not None else (messages[0].subject if messages else None)
        self._clear_caches()
        ids = [m.id for m in messages]
        if same_thread:
            self._expanded &= set(ids)
            cursor = ids.index(focused) if focused in ids else 0
        else:
            self._expanded = {ids[0]} if ids else set()
            self._unfolded.clear()
            self._selection = None
            self._matches, self._match_list, self._match_index = None, [], None
            cursor = 0
        self.set_reactive(ThreadView.cursor, cursor)
        if not messages:
            self._placeholder = "This thread has no messages any more."
        self._rebuild()
        if not same_thread:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.post_message(self.MessageFocused(self.focused_message))

    @property
    def match_position(self) -> tuple[int, int] | None:
        """(1-based number of the current match, how many), or None when no search matched here."""
        if not self._match_list:
            return None
        return (self._match_index or 0) + 1, len(self._match_list)

    @property
    def current_match(self) -> Match | None:
        """The match the cursor was last taken to by a search or n/N (None without a search)."""
        return self._match_list[self._match_index or 0] if self._match_list else None

    def show_matches(self, matches: ThreadMatches | None) -> None:
        """Highlight a search's matches (None: no search) and put the cursor on the first, its email expanded."""
        self._matches = matches
        self._match_list, self._match_index = [], None
        if matches is not None:
            for message in self._messages:
                if message.id in matches.message_ids:
                    spans = match_spans(message.body, list(matches.terms))
                    self._match_list += [Match(message.id, a, b) for a, b in spans] or [Match(message.id, None, None)]
                    self._expanded.add(message.id)
        self._clear_caches()
        if self._match_list:
            self._go_to_match(0)
        else:
            self._rebuild()

    def step_match(self, step: int) -> tuple[int, int] | None:
        """Move to the next (`step` 1) or previous (-1) match, round the thread; its position, as match_position."""
        if not self._match_list:
            return None
        here = -1 if self._match_index is None and step > 0 else (self._match_index or 0)
        self._go_to_match((here + step) % len(self._match_list))
        return self.match_position

    def _go_to_match(self, index: int) -> None:
        self._match_index = index
        match = self._match_list[index]
        ids = [m.id for m in self._messages]
        message = self._messages[ids.index(match.message_id)]
        self._expanded.add(message.id)
        cut = quote_start(message.body)
        if match.start is not None and cut is not None and match.start >= cut:
            self._unfolded.add(message.id)  # the match is in the quoted chain: show it
        self._move_to(ids.index(match.message_id), expand=True)
        if match.start is not None:
            line = self._line_of_offset(message.id, match.start)
            if line is not None:
                self._scroll_later(max(line - 2, 0))

    def _marks_of(self, message: MessageDetail) -> tuple[tuple[int, int, Style], ...]:
        """The excerpts, then the search matches over them (the current one in its own style), in an email's body."""
        current = self._match_list[self._match_index] if self._match_index is not None else None
        match, now = self._style("match"), self._style("match-current")
        return excerpt_marks(message, self._style("excerpt")) + tuple(
            (m.start, m.end, now if m == current else match)
            for m in self._match_list
            if m.message_id == message.id and m.start is not None and m.end is not None
        )

    def focus_message(self, message_id: str, offset: int | None = None) -> None:
        """Put the cursor on an email, expanded, scrolled to where a stored body offset is drawn when given."""
        ids = [m.id for m in self._messages]
        if message_id in ids:
            self._move_to(ids.index(message_id), expand=True)
            line = None if offset is None else self._line_of_offset(message_id, offset)
            if line is not None:
                self._scroll_later(max(line - 2, 0))

    def select_span(self, start: int, end: int) -> None:
        """Highlight [start, end) of the focused email's stored body and bring it into view."""
        message = self.focused_message
        if message is None:
            return
        start, end = sorted((max(0, start), max(0, end)))
        self._selection = (message.id, min(start, len(message.body)), min(end, len(message.body)))
        self._expanded.add(message.id)
        cut = quote_start(message.body)
        if cut is not None and end > cut:
            self._unfolded.add(message.id)  # the span reaches into the quoted chain: show it
        self._rebuild()
        line = self._line_of_offset(message.id, start)
        if line is not None and not self.scroll_y <= line < self.scroll_y + self.scrollable_content_region.height:
            self._scroll_later(max(line - 2, 0))

    def clear_selection(self) -> None:
        if self._selection is not None:
            self._selection = None
            self._rebuild()

    # Drawing

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"thread-view--{name}")

    def _clear_caches(self) -> None:
        self._headers.clear()
        self._details.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._clear_caches()
        if self.is_mounted:
            self._rebuild()

    def on_mount(self) -> None:
        self._rebuild()

    def on_resize(self) -> None:
        self._rebuild()

    def watch_show_leaks(self) -> None:
        self._rebuild()

    def watch_cursor(self, old: int, new: int) -> None:
        self._rebuild()
        self.post_message(self.MessageFocused(self.focused_message))

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._messages) - 1))

    def _width(self) -> int:
        return max(self.scrollable_content_region.width, 20)

    def _strips(self, text: Text, width: int, first: Text | None = None, indent: int = 0) -> list[Strip]:
        """Wrap styled text into full-width strips, `indent` cells in; `first` replaces the first line's indent."""
        console = self.app.console
        text.expand_tabs(4)
        inner = max(width - indent, 10)
        lines = text.wrap(console, inner, overflow="fold") if text.plain else [Text()]
        strips = []
        for number, line in enumerate(lines):
            prefix = first if number == 0 and first is not None else Text(" " * indent)
            row = prefix + line
            strips.append(Strip(list(row.render(console)), row.cell_len).adjust_cell_length(width))
        return strips

    def _rebuild(self) -> None:
        """Lay out every email's lines (cached per email and state), then refresh."""
        width = self._width()
        self._lines, self._starts, self._targets, self._bodies = [], [], {}, {}
        if not self._messages:
            self._lines = [
                Strip.blank(width),
                *self._strips(Text(" " + self._placeholder, self._style("empty")), width),
            ]
        else:
            self._lines.extend(self._title(width))
            for index, message in enumerate(self._messages):
                self._starts.append(len(self._lines))
                self._targets[len(self._lines)] = _LineTarget("header", index)
                self._lines.extend(self._message_lines(index, message, width))
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def _title(self, width: int) -> list[Strip]:
        text = Text(one_line(self.subject or "(no subject)"), self._style("title"))
        count = len(self._messages)
        dates = formatting.day_span(self._messages[0].sent, self._messages[-1].sent)
        text.append(f"  · {count} message{'s' if count != 1 else ''} · {dates}", self._style("date"))
        hidden = [
            what
            for what, count in (("leaked text", self.leak_count), ("text other releases show", self.exposure_count))
            if count
        ]
        if hidden:
            text.append(f"  · {' and '.join(hidden)} " + ("shown (r hides)" if self.show_leaks else "hidden (r shows)"))
        return [*self._strips(text, width), Strip.blank(width)]

    @staticmethod
    def _all_redactions(message: MessageDetail) -> list[Redaction]:
        return [*message.redactions, *(r for c in message.copies for r in c.redactions)]

    def _message_lines(self, index: int, message: MessageDetail, width: int) -> list[Strip]:
        expanded = message.id in self._expanded
        focused = index == self.cursor
        header_key = (message.id, width, focused, focused and self.has_focus, expanded)
        header = self._headers.get(header_key)
        if header is None:
            header = self._headers[header_key] = self._header(message, width, focused, expanded)
        if not expanded:
            return [header]
        selection = self._selection[1:] if self._selection and self._selection[0] == message.id else None
        marks = self._marks_of(message)
        details_key = (message.id, width, message.id in self._unfolded, self.show_leaks, selection, marks)
        details = self._details.get(details_key)
        if details is None:
            details = self._details[details_key] = self._draw_details(message, width, selection, marks)
        start = len(self._lines) + 1
        self._bodies[message.id] = (start, details)
        if details.fold_line is not None:
            self._targets[start + details.fold_line] = _LineTarget("fold", index)
        return [header, *details.lines]

    def _header(self, message: MessageDetail, width: int, focused: bool, expanded: bool) -> Strip:
        sender = formatting.person(message.sender_name, message.sender_email, message.sender_raw, 40)
        recipients = formatting.people(message.to + message.cc, 60) or "?"
        right = Text(f"  {formatting.moment(message.sent)}", self._style("date"))
        provenance = [PurePath(message.file).name or message.file]
        if message.page_start is not None:
            provenance.append(page_range(message.page_start, message.page_end))
        if message.bates_start:
            provenance.append(message.bates_start)
        right.append("  " + one_line(" ".join(provenance), 60), self._style("provenance"))
        marks = " █" if message.redactions else ""
        marks += "!" if any(r.leaked_text for r in self._all_redactions(message)) else ""
        marks += " +" if message.attachments else ""
        left = Text(f"{'▾' if expanded else '▸'} ", self._style("header"))
        left.append(sender, Style(bold=True))
        left.append(" → ")
        left.append(recipients)
        left.append(marks, self._style("redaction") if marks.strip() else None)
        left.truncate(max(width - right.cell_len, 10), overflow="ellipsis", pad=True)
        line = left + right
        line.truncate(width, overflow="ellipsis", pad=True)
        if focused:
            line.stylize(self._style("cursor"))
        return self._strips(line, width)[0]

    def _draw_details(
        self,
        message: MessageDetail,
        width: int,
        selection: tuple[int, int] | None,
        marks: tuple[tuple[int, int, Style], ...] = (),
    ) -> _Details:
        lines: list[Strip] = []
        inner = width - len(INDENT)
        field = self._style("field")

        def row(label: str, value: str | Text) -> None:
            prefix = Text(INDENT + f"{label:<9}", field)
            value = value if isinstance(value, Text) else Text(value)
            lines.extend(self._strips(value, width, first=prefix, indent=prefix.cell_len))

        row("From:", formatting.address(message.sender_name, message.sender_email, message.sender_raw))
        if message.to:
            row("To:", "; ".join(formatting.address(e.get("name"), e.get("email"), e.get("raw")) for e in message.to))
        if message.cc:
            row("Cc:", "; ".join(formatting.address(e.get("name"), e.get("email"), e.get("raw")) for e in message.cc))
        date = formatting.moment(message.sent)
        if message.date_text and one_line(message.date_text) != date:
            date += f"  (printed: {one_line(message.date_text, 80)})"
        row("Date:", date)
        row("Subject:", self._subject_text(message))
        row(
            "Source:",
            self._source(
                message.file,
                message.copy_kind,
                message.page_start,
                message.page_end,
                message.bates_start,
                message.bates_end,
            )
            + _continued(message),
        )
        for warning in message.warnings:
            row("Warning:", Text(one_line(warning, 200), self._style("warning")))
        if message.releases or any(copy.releases for copy in message.copies):
            row("Release:", self._releases(message))
        tags = tags_row(message, self._style("tag"))
        if tags is not None:
            row("Tags:", tags)
        lines.append(Strip.blank(width))
        rendered = render_body(
            message.body,
            message.redactions,
            show_leaks=self.show_leaks,
            fold_quotes=message.id not in self._unfolded,
            styles=self._body_styles(),
            selection=selection,
            exposures=message.exposures,
            marks=marks,
            notes=excerpt_notes(message, self._excerpt_styles()),
        )
        body_start = len(lines)
        body = rendered.text if rendered.text.plain else Text("(empty body)", field)
        body_strips = self._strips(body, width, indent=len(INDENT))
        lines.extend(body_strips)
        fold_line = body_start + len(body_strips) - 1 if rendered.folded_lines else None
        lines.append(Strip.blank(width))
        for line in unshown_lines(message, rendered.left_out, self._excerpt_styles()):
            lines.extend(self._strips(Text(INDENT) + line, width, indent=2 * len(INDENT)))
        lines.extend(self._extras(message, width))
        lines.append(Strip.blank(width))
        return _Details(lines, body_start, self._line_offsets(rendered.text, inner), fold_line, rendered)

    def _subject_text(self, message: MessageDetail) -> Text:
        """The subject as a row shows it, a search's words in it highlighted."""
        subject = Text(one_line(message.subject or "(no subject)"))
        if self._matches is not None and message.id in self._matches.message_ids:
            for start, end in match_spans(subject.plain, list(self._matches.terms), column="subject"):
                subject.stylize(self._style("match"), start, end)
        return subject

    def _body_styles(self) -> BodyStyles:
        return BodyStyles(
            redaction=self._style("redaction"),
            leak_label=self._style("leak-label"),
            leak=self._style("leak"),
            leak_hint=self._style("leak-label"),
            fold=self._style("fold"),
            selection=self._style("selection"),
        )

    def _excerpt_styles(self) -> ExcerptStyles:
        return ExcerptStyles(self._style("excerpt"), self._style("excerpt-note"), self._style("tag"))

    @staticmethod
    def _releases(message: MessageDetail) -> str:
        """This copy's releases, then the others that produced a copy of the same email."""
        shown = [one_line(name, 80) for name in message.releases]
        others = [one_line(n, 80) for c in message.copies for n in c.releases if one_line(n, 80) not in shown]
        text = "; ".join(shown) or "none"
        if others:
            text += " · also in " + "; ".join(dict.fromkeys(others))
        return text

    def _line_offsets(self, text: Text, width: int) -> list[int]:
        """Drawn offsets where each wrapped body line starts (to scroll to a selection)."""
        offsets, position = [], 0
        for paragraph in text.plain.split("\n"):
            for line in Text(paragraph).wrap(self.app.console, width, overflow="fold") or [Text()]:
                offsets.append(position)
                position += len(line.plain)
            position += 1
        return offsets

    def _source(
        self, file: str, copy_kind: str, start: int | None, end: int | None, bates: str | None, bates_end: str | None
    ) -> str:
        parts = [one_line(file)]
        if start is not None:
            parts.append(page_range(start, end))
        if bates:
            parts.append(
                "Bates " + one_line(bates) + (f"–{one_line(bates_end)}" if bates_end and bates_end != bates else "")
            )
        parts.append(
            {"native": "email file", "print": "printed copy", "quoted": "quoted in a reply"}.get(copy_kind, copy_kind)
        )
        return " · ".join(parts)

    def _extras(self, message: MessageDetail, width: int) -> list[Strip]:
        lines: list[Strip] = []
        field = self._style("field")
        if message.redactions:
            codes: dict[str, int] = {}
            for r in message.redactions:
                codes[r.code or "no code"] = codes.get(r.code or "no code", 0) + 1
            summary = ", ".join(f"{one_line(code, 40)} ×{n}" for code, n in codes.items())
            leaks = sum(1 for r in message.redactions if r.leaked_text)
            text = Text(INDENT + f"Redactions: {len(message.redactions)} ({summary})", field)
            if leaks:
                text.append(f"  {leaks} leaked ", self._style("leak-label"))
            if message.exposures:
                text.append(f"  {len(message.exposures)} readable in another release ", self._style("leak-label"))
            if leaks or message.exposures:
                text.append(" r hides" if self.show_leaks else " r shows")
            lines.extend(self._strips(text, width))
        for attachment in message.attachments:
            text = Text(INDENT + "Attachment: ", field)
            text.append(one_line(attachment.name, 120))
            kind = one_line(attachment.content_type or "type unknown", 60)
            text.append(f"  ({kind}, {formatting.size(attachment.size)})", self._style("date"))
            lines.extend(self._strips(text, width))
        if message.copies:
            heading = Text(INDENT + f"Copies of this email: {len(message.copies)}", field)
            heading.append("  (O: their original pages)", self._style("date"))
            lines.extend(self._strips(heading, width))
            for copy in message.copies:
                lines.extend(self._strips(self._copy_line(copy), width, indent=2 * len(INDENT)))
        return lines

    def _copy_line(self, copy: Copy) -> Text:
        """A copy as listed under the email: release, source, its boxes, and what they hide (behind `r`)."""
        text = Text("· ")
        if copy.releases:
            text.append("; ".join(one_line(name, 80) for name in copy.releases) + ": ", Style(bold=True))
        text.append(self._source(copy.file, copy.copy_kind, copy.page_start, copy.page_end, copy.bates_start, None))
        if copy.redactions:
            text.append(f"  {len(copy.redactions)} redaction{'s' if len(copy.redactions) != 1 else ''}")
        styles = self._body_styles()
        for redaction in copy.redactions:
            if redaction.leaked_text:
                text.append("  ")
                text.append(box(redaction.code), styles.redaction)
                text.append_text(leak_note(redaction.leaked_text, show=self.show_leaks, styles=styles))
        for exposure in copy.exposures:
            text.append("  ")
            text.append(box(exposure.code), styles.redaction)
            text.append_text(exposure_note(exposure, show=self.show_leaks, styles=styles))
        return text

    def _line_of_offset(self, message_id: str, offset: int) -> int | None:
        """The view line where a stored body offset is drawn."""
        if message_id not in self._bodies:
            return None
        start, details = self._bodies[message_id]
        drawn = details.body.drawn_offset(offset)
        return start + details.body_line + max(bisect.bisect_right(details.line_offsets, drawn) - 1, 0)

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return self._lines[index].crop_extend(0, width, None).apply_style(self.rich_style)

    # Movement

    def _message_at_line(self, line: int) -> int:
        return max(bisect.bisect_right(self._starts, line) - 1, 0)

    def _move_to(self, index: int, *, expand: bool) -> None:
        if not self._messages:
            return
        index = max(0, min(index, len(self._messages) - 1))
        if expand:
            self._expanded.add(self._messages[index].id)
        if index != self.cursor:
            self.cursor = index
        else:
            self._rebuild()
        self._scroll_later(self._starts[index] - (2 if index == 0 else 0))

    def _scroll_later(self, line: int) -> None:
        """Scroll once the new layout (and so the new scroll range) is in place."""
        self.call_after_refresh(self.scroll_to, y=line, animate=False)

    def next_message(self) -> None:
        self._move_to(self.cursor + 1, expand=True)

    def previous_message(self) -> None:
        self._move_to(self.cursor - 1, expand=True)

    def _follow_scroll(self) -> None:
        """After scrolling, put the cursor on the email at the top of the view if it scrolled away."""
        if not self._starts:
            return
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        start = self._starts[self.cursor]
        end = self._starts[self.cursor + 1] if self.cursor + 1 < len(self._starts) else len(self._lines)
        if end <= top or start >= bottom:
            self.cursor = self._message_at_line(top)

    def action_scroll_lines(self, count: int) -> None:
        self.scroll_to(y=self.scroll_y + count, animate=False, immediate=True)
        self._follow_scroll()

    def action_scroll_pages(self, count: int) -> None:
        self.scroll_to(
            y=self.scroll_y + count * max(self.scrollable_content_region.height - 1, 1), animate=False, immediate=True
        )
        self._follow_scroll()

    def action_scroll_edge(self, end: int) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False, immediate=True)
        if self._messages:
            self.cursor = len(self._messages) - 1 if end else 0

    def action_toggle_message(self) -> None:
        message = self.focused_message
        if message is None:
            return
        self._expanded ^= {message.id}
        self._rebuild()
        start = self._starts[self.cursor]
        if not self.scroll_y <= start < self.scroll_y + self.scrollable_content_region.height:
            self._scroll_later(start)

    def action_expand_all(self) -> None:
        ids = {m.id for m in self._messages}
        self._expanded = set() if ids <= self._expanded else ids
        self._rebuild()

    def action_toggle_quotes(self) -> None:
        message = self.focused_message
        if message is None:
            return
        self._unfolded ^= {message.id}
        self._expanded.add(message.id)
        self._rebuild()

    def action_back(self) -> None:
        self.post_message(self.Closed())

    def on_focus(self) -> None:
        self._rebuild()

    def on_blur(self) -> None:
        self._rebuild()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._messages:
            return
        line = round(self.scroll_y) + offset.y
        target = self._targets.get(line)
        index = target.message if target else self._message_at_line(line)
        if index != self.cursor:
            self.cursor = index
        if target and target.kind == "header":
            self.action_toggle_message()
        elif target and target.kind == "fold":
            self.action_toggle_quotes()
