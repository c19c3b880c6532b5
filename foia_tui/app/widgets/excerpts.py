"""How the thread view shows an email's annotations: each excerpt highlighted in the body with its tag and note
on the line after it (no key needed), a `Tags:` row that tells whole-message tags from excerpt tags, and a line
for each excerpt the body does not show (in a folded quote, or whose text is no longer found).

Tag names and notes are investigators' text, so they pass the display door like document text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from foia_tui.archive.types import MessageDetail, Tagging
from foia_tui.domain.display import MAX_BODY_CHARS, one_line

NOTE_CHARS = 400


@dataclass(frozen=True)
class ExcerptStyles:
    excerpt: Style  # the highlighted span
    note: Style  # the note under it
    tag: Style


def tags_row(message: MessageDetail, style: Style) -> Text | None:
    """'#a #b · Excerpts: #c (2)': the tags on the whole email, then the excerpts' tags with how many."""
    parts = [" ".join(f"#{one_line(t, 40)}" for t in message.tags)] if message.tags else []
    counts = Counter(t.tag for t in message.excerpts)
    if counts:
        parts.append("Excerpts: " + ", ".join(f"#{one_line(tag, 40)} ({n})" for tag, n in counts.items()))
    return Text(" · ".join(parts), style) if parts else None


def _placed(message: MessageDetail) -> list[Tagging]:
    """The excerpts with a place in the body (one whose text is lost has none)."""
    return [t for t in message.excerpts if t.anchor_status != "lost" and t.start is not None and t.end is not None]


def excerpt_marks(message: MessageDetail, style: Style) -> tuple[tuple[int, int, Style], ...]:
    """The spans to highlight, for render_body's `marks`."""
    return tuple((t.start or 0, t.end or 0, style) for t in _placed(message))


def _note(tagging: Tagging, styles: ExcerptStyles) -> Text:
    line = Text("↳ ", styles.note)
    line.append(f"#{one_line(tagging.tag, 40)}", styles.tag)
    if tagging.note:
        line.append(": " + one_line(tagging.note, NOTE_CHARS), styles.note)
    return line


def _places(message: MessageDetail) -> dict[int, list[Tagging]]:
    """Excerpts by where their note goes: the start of the line after the excerpt ends (or the body's end)."""
    places: dict[int, list[Tagging]] = {}
    for tagging in _placed(message):
        start, end = tagging.start or 0, tagging.end or 0
        line_end = message.body.find("\n", max(end - 1, start))
        places.setdefault(len(message.body) if line_end == -1 else line_end + 1, []).append(tagging)
    return places


def excerpt_notes(message: MessageDetail, styles: ExcerptStyles) -> list[tuple[int, Text]]:
    """(stored offset, what to draw there) for render_body's `notes`: each excerpt's tag and note."""
    notes = []
    for at, taggings in _places(message).items():
        lines = Text("\n").join(_note(t, styles) for t in taggings)
        notes.append((at, Text("\n") + lines if at == len(message.body) else lines + Text("\n")))
    return notes


def unshown_lines(message: MessageDetail, left_out: list[int], styles: ExcerptStyles) -> list[Text]:
    """A line for each excerpt the drawn body leaves out: in the folded quote, cut off, or no longer found."""
    places = _places(message)
    lines = []
    for at in left_out:
        where = "in the folded quote (z shows)" if at <= MAX_BODY_CHARS else "past the part of this long body shown"
        for tagging in places.get(at, []):
            lines.append(Text(f"Excerpt {where}: ", styles.note) + _quoted(tagging, styles))
    for tagging in message.excerpts:
        if tagging.anchor_status == "lost":
            lines.append(Text("Excerpt no longer found in the text: ", styles.note) + _quoted(tagging, styles))
    return lines


def _quoted(tagging: Tagging, styles: ExcerptStyles) -> Text:
    line = Text(f"“{one_line(tagging.quoted_text, 80)}” ", styles.excerpt)
    return line + _note(tagging, styles)
