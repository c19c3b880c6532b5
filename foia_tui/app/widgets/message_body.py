"""A message body as the thread view draws it: redaction markers as styled boxes, leaks and the text other
releases show under a box behind a toggle, quoted chains folded, all text made safe, and a map from stored body
offsets to drawn offsets.

Importers leave a marker such as `█[REDACTED (b)(6)]█` where a box stood; taggings and selections speak in
offsets of the stored body, so the drawn text keeps a map back to them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from foia_tui.archive.types import Exposure, Redaction
from foia_tui.domain.display import MAX_BODY_CHARS, TRUNCATED, one_line, safe_text
from foia_tui.domain.quoting import own_text
from foia_tui.domain.redactions import CODED_MARKER


@dataclass(frozen=True)
class BodyStyles:
    redaction: Style
    leak_label: Style
    leak: Style
    leak_hint: Style
    fold: Style
    selection: Style


@dataclass
class RenderedBody:
    """The drawn body and, per piece, (stored start, stored end, drawn start, drawn end)."""

    text: Text
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)
    folded_lines: int = 0  # lines hidden behind the fold line (0: nothing folded)
    left_out: list[int] = field(default_factory=list)  # stored offsets of the notes not drawn (folded or cut off)

    def drawn_offset(self, stored: int) -> int:
        """Where a stored body offset is drawn (inside a box or a changed piece: its nearest edge)."""
        if not self.pieces:
            return 0
        index = max(bisect.bisect_right([p[0] for p in self.pieces], stored) - 1, 0)
        start, end, drawn_start, drawn_end = self.pieces[index]
        if stored >= end:
            return drawn_end
        if end - start == drawn_end - drawn_start:
            return drawn_start + (stored - start)
        return drawn_start

    def drawn_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Where the stored span [start, end) is drawn, piece by piece: a box whole, never a note between pieces."""
        spans = []
        for piece_start, piece_end, drawn_start, drawn_end in self.pieces:
            if piece_end <= start or piece_start >= end:
                continue
            if piece_end - piece_start != drawn_end - drawn_start:
                spans.append((drawn_start, drawn_end))
            else:
                spans.append(
                    (drawn_start + max(start - piece_start, 0), drawn_start + min(end, piece_end) - piece_start)
                )
        return spans


def box(code: str | None) -> str:
    """A redaction box as drawn: '█ (b)(6) █'."""
    return f"█ {one_line(code or 'REDACTED', 40)} █"


def boxes_drawn(text: str) -> str:
    """Text with each redaction marker drawn as its box, for a line that quotes a body (a name, an excerpt)."""
    return CODED_MARKER.sub(lambda marker: box(marker.group(1)), text)


def leak_note(leaked_text: str, *, show: bool, styles: BodyStyles) -> Text:
    """What follows a box whose text is still there underneath: the text in a warning style, or a hint."""
    if not show:
        return Text().append("!", styles.leak_hint)
    note = Text()  # styles as spans: a base style would lie under the text's own
    note.append(" LEAKED: ", styles.leak_label)
    note.append(one_line(leaked_text, 400), styles.leak)
    return note


def exposure_note(exposure: Exposure, *, show: bool, styles: BodyStyles) -> Text:
    """What follows a box that another release shows as text: where, and (when shown) the text itself."""
    where = "readable in " + one_line("; ".join(exposure.readable_in) or "another copy", 200)
    if not show:
        return Text().append(f" [{where} · r shows]", styles.leak_hint)
    note = Text()
    note.append(f" {where}: ", styles.leak_label)
    note.append(one_line(exposure.text, 400), styles.leak)
    return note


def quote_start(body: str) -> int | None:
    """Offset where the quoted chain begins (see foia_tui.domain.quoting), when the author wrote something first."""
    own = own_text(body)
    if len(own) == len(body) or not own.strip():
        return None
    return len(own)


def match_redactions(body: str, redactions: list[Redaction]) -> list[tuple[re.Match[str], Redaction | None]]:
    """Pair each marker in the body with its stored redaction: by offset when recorded, else in order."""
    markers = list(CODED_MARKER.finditer(body))
    starts = {match.start() for match in markers}
    by_offset = {r.body_offset: r for r in redactions if r.body_offset in starts}
    spare = iter([r for r in redactions if r.body_offset not in starts])
    return [(match, by_offset.get(match.start()) or next(spare, None)) for match in markers]


def render_body(
    body: str,
    redactions: list[Redaction],
    *,
    show_leaks: bool,
    fold_quotes: bool,
    styles: BodyStyles,
    selection: tuple[int, int] | None = None,
    exposures: Sequence[Exposure] = (),
    marks: Sequence[tuple[int, int, Style]] = (),
    notes: Sequence[tuple[int, Text]] = (),
) -> RenderedBody:
    """The body as styled, literal text; `selection` is a stored-offset span to highlight; `exposures` are the
    boxes (by marker offset) whose text another copy shows; `marks` are stored-offset spans drawn in their own
    style under the selection (search matches, excerpts); `notes` are drawn where they stand in the stored body
    (an excerpt's note on the line after it), the ones folded away or cut off listed in `left_out`."""
    exposed = {exposure.offset: exposure for exposure in exposures}
    hidden = max(0, len(body) - MAX_BODY_CHARS)
    stored = body[:MAX_BODY_CHARS] if hidden else body
    cut = quote_start(stored) if fold_quotes else None
    visible = stored if cut is None else stored[:cut]
    rendered = RenderedBody(Text())
    text = rendered.text

    waiting = sorted(notes, key=lambda note: note[0])

    def add(piece: str, start: int, end: int, style: Style | None = None) -> None:
        drawn_start = len(text)
        text.append(piece, style)
        rendered.pieces.append((start, end, drawn_start, len(text)))

    def add_plain(start: int, end: int) -> None:
        """Body text between boxes, each note that stands in it drawn at its place."""
        while waiting and waiting[0][0] < end:
            at, note = waiting.pop(0)
            if at > start:
                add(safe_text(visible[start:at], len(visible)), start, at)
                start = at
            text.append_text(note)
        if end > start:
            add(safe_text(visible[start:end], len(visible)), start, end)

    position = 0
    for match, redaction in match_redactions(visible, redactions):
        if match.start() > position:
            add_plain(position, match.start())
        code = (redaction.code if redaction and redaction.code else None) or match.group(1)
        add(box(code), match.start(), match.end(), styles.redaction)
        notes = Text()
        if redaction and redaction.leaked_text:
            notes.append_text(leak_note(redaction.leaked_text, show=show_leaks, styles=styles))
        if match.start() in exposed:
            notes.append_text(exposure_note(exposed[match.start()], show=show_leaks, styles=styles))
        text.append_text(notes)
        if show_leaks and notes.plain.strip():
            text.append(" ")
        position = match.end()
    add_plain(position, len(visible))
    while waiting and waiting[0][0] <= len(visible):
        text.append_text(waiting.pop(0)[1])
    rendered.left_out = [at for at, _ in waiting]
    if cut is not None:
        rendered.folded_lines = stored.count("\n", cut) + 1
        text.rstrip()
        text.append(f"\n▸ quoted text folded: {rendered.folded_lines} lines (z unfolds)", styles.fold)
    if hidden:
        text.append("\n" + TRUNCATED.format(hidden=hidden), styles.fold)
    for mark_start, mark_end, style in marks:
        for start, end in rendered.drawn_spans(mark_start, mark_end):
            text.stylize(style, start, end)
    if selection is not None:
        start, end = rendered.drawn_offset(selection[0]), rendered.drawn_offset(selection[1])
        text.stylize(styles.selection, start, max(end, start + 1))
    return rendered
