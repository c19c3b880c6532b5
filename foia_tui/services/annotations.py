"""Annotations as the app works with them: listed and filtered, notes edited, and deletions that can be undone.

Every deletion (a tag taken off messages, an excerpt, a note) returns a `Deletion` holding what went exactly as
it was, so `undo` can put it back: the same tagging ids, spans, quotes, notes, authors and times.
"""

from __future__ import annotations

from dataclasses import dataclass

from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.annotations import Annotation, list_annotations
from foia_tui.archive.tags import (
    Tagging,
    delete_taggings,
    get_tagging,
    restore_taggings,
    set_note,
    untag_messages,
)
from foia_tui.domain.display import one_line
from foia_tui.domain.wording import plural

__all__ = [
    "Deletion",
    "annotated",
    "delete_excerpt",
    "delete_note",
    "filter_annotations",
    "list_annotations",
    "set_note",
    "take_tag_off",
    "undo",
]


@dataclass(frozen=True)
class Deletion:
    """What one deletion took away: enough to put it back exactly."""

    what: str  # how a toast names it: "the tag lead on 1 message"
    taggings: tuple[Tagging, ...] = ()  # taggings deleted
    notes: tuple[Tagging, ...] = ()  # taggings whose note was deleted, as they were before


def filter_annotations(
    annotations: list[Annotation], *, tag: str | None = None, release: str | None = None, text: str = ""
) -> list[Annotation]:
    """The annotations of `tag` and `release` (None: any) holding every word of `text` in their tag, subject,
    excerpt, note or releases (case ignored)."""
    words = text.casefold().split()
    kept = []
    for a in annotations:
        if (tag is not None and a.tagging.tag != tag) or (release is not None and release not in a.releases):
            continue
        haystack = " ".join((a.tagging.tag, a.subject or "", a.text, a.tagging.note or "", *a.releases)).casefold()
        if all(word in haystack for word in words):
            kept.append(a)
    return kept


def annotated(annotation: Annotation) -> str:
    """What an annotation is on, as its lists say it: the excerpt's text, or the whole message or thread."""
    tagging = annotation.tagging
    if tagging.kind != "excerpt":
        return f"(the whole {tagging.kind})"
    return ("(no longer found) " if tagging.anchor_status == "lost" else "") + annotation.text


def take_tag_off(archive: Archive, tag: str, message_ids: list[str]) -> Deletion:
    """Take a tag off messages (their excerpts of it too)."""
    gone = untag_messages(archive, tag, message_ids)
    messages = len({t.message_id for t in gone})
    return Deletion(f"the tag {one_line(tag, 60)} on {plural(messages, 'message')}", taggings=tuple(gone))


def delete_excerpt(archive: Archive, tagging_id: int) -> Deletion:
    """Delete an excerpt tagging (or any tagging, by id) with its note."""
    gone = delete_taggings(archive, [tagging_id])
    if not gone:
        raise ArchiveError(f"no tagging with id {tagging_id}")
    (tagging,) = gone
    what = f"the excerpt “{one_line(tagging.quoted_text, 40)}”" if tagging.kind == "excerpt" else "the tagging"
    return Deletion(f"{what} tagged {one_line(tagging.tag, 60)}", taggings=(tagging,))


def delete_note(archive: Archive, tagging_id: int) -> Deletion:
    """Clear a tagging's note (the tagging stays)."""
    before = get_tagging(archive, tagging_id)
    if not before.note:
        raise ArchiveError("this annotation has no note to delete")
    set_note(archive, tagging_id, None)
    return Deletion(f"the note “{one_line(before.note, 40)}”", notes=(before,))


def undo(archive: Archive, deletion: Deletion) -> str:
    """Put back what a deletion took away; returns what was restored, for a toast."""
    restored = restore_taggings(archive, list(deletion.taggings)) if deletion.taggings else 0
    for tagging in deletion.notes:
        set_note(archive, tagging.id, tagging.note)
    if restored < len(deletion.taggings):
        of = plural(len(deletion.taggings), "tagging")
        return f"Restored {deletion.what} ({restored} of {of}: the emails of the others are gone)."
    return f"Restored {deletion.what}."
