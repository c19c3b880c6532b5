"""The Annotations screen (`A`): every excerpt and every note of the archive in one table (tag, release, email,
excerpt, note), filtered by tag (`t`), release (`l`) and words (`/`). `e` edits a note; `d` deletes an excerpt
(on a whole message's row, its note) and `x` a note, each asked first and undone with `u`. Enter opens the email
in the thread view at the excerpt, `o` its original page.

The list is read in a worker; filters only redraw the table. Changes go through foia_tui.services.annotations in
workers, and the app is told (foia_tui.app.changes) so the thread view shows them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Input, Static

from foia_tui.app import formatting, loading
from foia_tui.app.changes import Deleted, NotesChanged
from foia_tui.app.filters import next_filter
from foia_tui.app.footer import KeysFirst
from foia_tui.app.screens.confirm import ConfirmDialog
from foia_tui.app.screens.note_dialog import NoteDialog
from foia_tui.app.screens.original import OriginalPageScreen
from foia_tui.app.widgets.message_body import boxes_drawn
from foia_tui.archive import Archive
from foia_tui.archive.types import Annotation
from foia_tui.domain.display import one_line
from foia_tui.services.annotations import (
    Deletion,
    annotated,
    delete_excerpt,
    delete_note,
    filter_annotations,
    list_annotations,
    set_note,
)

COLUMNS = (("Tag", 14), ("Release", 16), ("Email", 28), ("Excerpt", 30), ("Note", 22))  # 120 columns with padding
DETAIL_CHARS = 2_000


@dataclass(frozen=True)
class Jump:
    """Where Enter goes: an email of a thread, at a stored body offset."""

    thread_id: str
    message_id: str
    offset: int | None


def excerpt_label(annotation: Annotation) -> str:
    """What the Excerpt column says: the text (its boxes drawn), or the whole message or thread a note is on."""
    return boxes_drawn(annotated(annotation))


def annotation_cells(annotation: Annotation) -> list[str]:
    """A row as text, every string through the display door."""
    email = f"{formatting.day(annotation.sent) or 'undated'} · {annotation.subject or '(no subject)'}"
    texts = [annotation.tagging.tag, "; ".join(annotation.releases) or "-", email, excerpt_label(annotation),
             annotation.tagging.note or ""]  # fmt: skip
    return [one_line(t, width) for t, (_header, width) in zip(texts, COLUMNS, strict=True)]


def annotation_detail(annotation: Annotation) -> list[tuple[str, str]]:
    """The highlighted row in full under the table, as (text, style) parts: where it is, the excerpt, the note."""
    tagging = annotation.tagging
    by = f"tagged by {tagging.created_by or '?'} {tagging.created_at[:10]}"
    when = formatting.day(annotation.sent) or "undated"
    where = [f"#{tagging.tag}", "; ".join(annotation.releases), when, annotation.subject or "(no subject)", by]
    note = one_line(tagging.note, DETAIL_CHARS) if tagging.note else "none (e adds one)"
    return [
        (" · ".join(one_line(part, 200) for part in where if part), "bold"),
        ("\n" + one_line(excerpt_label(annotation), DETAIL_CHARS), ""),
        ("\nNote: " + note, ""),
    ]


class AnnotationsScreen(KeysFirst):
    """Every excerpt and note. Dismissed with the Jump of the chosen row, or None."""

    FOOTER_FIRST = ("e", "d", "x", "t", "l", "slash")

    BINDING_GROUP_TITLE = "Annotations"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back"),
        Binding("/", "find", "Filter by words"),
        Binding("t", "next_tag", "Filter by tag"),
        Binding("l", "next_release", "Filter by release"),
        Binding("e", "edit_note", "Edit note"),
        Binding("d,delete", "delete", "Delete excerpt"),
        Binding("x", "delete_note", "Delete note"),
        Binding("o", "original", "Original page"),
        Binding("u", "app.undo", "Undo"),
    ]
    DEFAULT_CSS = """
    AnnotationsScreen #annotations-title { height: 1; background: $panel; padding: 0 1; }
    AnnotationsScreen #annotations-filter { height: 1; border: none; padding: 0 1; }
    AnnotationsScreen #annotations-table { height: 1fr; }
    AnnotationsScreen #annotations-detail { height: auto; max-height: 8; background: $boost; padding: 0 1; }
    """

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.annotations: list[Annotation] = []
        self.shown: list[Annotation] = []
        self.tag: str | None = None
        self.release: str | None = None
        self.words = ""
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Reading the annotations…", id="annotations-title")
        yield Input(placeholder="/ filter: words in the tag, email, excerpt or note", id="annotations-filter")
        yield DataTable(id="annotations-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="annotations-detail")
        yield Footer()

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        for header, width in COLUMNS:
            self.table.add_column(header, width=width)
        self.table.focus()
        self.reload_tags()

    def reload_tags(self) -> None:
        """Read the annotations again (after an edit, a deletion or an undo), keeping the cursor's row."""
        loading.load(self, "annotations-load", partial(list_annotations, self.archive), self.show, self.failed)

    def failed(self, error: Exception) -> None:
        self.problem = str(error)
        self.fill()

    def show(self, annotations: list[Annotation]) -> None:
        self.problem = None
        self.annotations = annotations
        if self.tag not in {a.tagging.tag for a in annotations}:
            self.tag = None
        self.fill()

    def fill(self) -> None:
        """Redraw the table with the annotations the filters let through, the cursor kept on its tagging."""
        current = self.current
        self.shown = filter_annotations(self.annotations, tag=self.tag, release=self.release, text=self.words)
        table = self.table
        table.clear()
        for annotation in self.shown:
            table.add_row(*(Text(cell) for cell in annotation_cells(annotation)))
        ids = [a.tagging.id for a in self.shown]
        if current is not None and current.tagging.id in ids:
            table.move_cursor(row=ids.index(current.tagging.id))
        filters = [f"tag {self.tag}" if self.tag else "", f"release {self.release}" if self.release else ""]
        filters.append(f"words “{self.words.strip()}”" if self.words.strip() else "")
        shown = ", ".join(one_line(f, 60) for f in filters if f)
        title = f"Annotations: {len(self.shown)} of {len(self.annotations)}" + (f" ({shown})" if shown else "")
        title += "  (Enter: the email)"
        self.query_one("#annotations-title", Static).update(Text(one_line(self.problem, 200) or title))
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        annotation = self.current
        self.query_one("#annotations-detail", Static).update(
            Text.assemble(*annotation_detail(annotation)) if annotation else Text("No annotations here.")
        )

    @property
    def current(self) -> Annotation | None:
        row = self.table.cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    # Filters

    def action_find(self) -> None:
        self.query_one("#annotations-filter", Input).focus()

    @on(Input.Changed, "#annotations-filter")
    def _words_changed(self, event: Input.Changed) -> None:
        self.words = event.value
        self.fill()

    @on(Input.Submitted, "#annotations-filter")
    def _words_done(self) -> None:
        self.table.focus()

    def action_next_tag(self) -> None:
        self.tag = next_filter([None, *dict.fromkeys(a.tagging.tag for a in self.annotations)], self.tag)
        self.fill()

    def action_next_release(self) -> None:
        self.release = next_filter([None, *sorted({r for a in self.annotations for r in a.releases})], self.release)
        self.fill()

    def action_back(self) -> None:
        """Escape: out of the filter into the table, else back to the main screen."""
        if self.focused is self.query_one("#annotations-filter", Input):
            self.table.focus()
        else:
            self.dismiss(None)

    # Going to the email

    @on(DataTable.RowSelected)
    def _open(self) -> None:
        """Enter: the email in the thread view, scrolled to the excerpt."""
        annotation = self.current
        if annotation is not None and annotation.thread_id is not None:
            self.dismiss(Jump(annotation.thread_id, annotation.tagging.message_id, annotation.tagging.start))

    def action_original(self) -> None:
        annotation = self.current
        if annotation is not None:
            self.app.push_screen(OriginalPageScreen(self.archive, [annotation.tagging.message_id], self.app.page_image))

    # Changes

    def action_edit_note(self) -> None:
        annotation = self.current
        if annotation is None:
            return
        title = f"Note on {excerpt_label(annotation)}" if annotation.tagging.kind == "excerpt" else "Note"
        title += f" (#{annotation.tagging.tag})"
        self.app.push_screen(NoteDialog(title, annotation.tagging.note), partial(self._edited, annotation))

    def _edited(self, annotation: Annotation, note: str | None) -> None:
        old = annotation.tagging.note
        if note is None or note == one_line(old or "", 2_000):
            return
        if not note:  # emptied: a deletion, so it asks and can be undone
            self._delete_note(annotation)
            return
        loading.load(
            self,
            "annotations-change",
            partial(set_note, self.archive, annotation.tagging.id, note),
            lambda _tagging: self.app.post_message(NotesChanged()),
            self._change_failed,
        )

    def action_delete(self) -> None:
        """d: delete the excerpt (with its note); on a whole message's or thread's row, its note."""
        annotation = self.current
        if annotation is None:
            return
        if annotation.tagging.kind != "excerpt":
            self._delete_note(annotation)
            return
        question = f"Delete the excerpt “{one_line(annotation.text, 60)}” tagged {one_line(annotation.tagging.tag)}"
        question += " and its note?" if annotation.tagging.note else "?"
        self._ask(question, partial(delete_excerpt, self.archive, annotation.tagging.id))

    def action_delete_note(self) -> None:
        annotation = self.current
        if annotation is not None:
            self._delete_note(annotation)

    def _delete_note(self, annotation: Annotation) -> None:
        if not annotation.tagging.note:
            self.notify("This annotation has no note.", timeout=4)
            return
        question = f"Delete the note “{one_line(annotation.tagging.note, 80)}”?"
        self._ask(question, partial(delete_note, self.archive, annotation.tagging.id))

    def _ask(self, question: str, delete: Callable[[], Deletion]) -> None:
        """Ask, then delete in a worker and tell the app (which keeps it for `u`)."""

        def answered(yes: bool | None) -> None:
            if yes:
                loading.load(self, "annotations-change", delete, self._deleted, self._change_failed)

        self.app.push_screen(ConfirmDialog(question), answered)

    def _deleted(self, deletion: Deletion) -> None:
        self.app.post_message(Deleted(deletion))

    def _change_failed(self, error: Exception) -> None:
        self.notify(str(error), title="Annotations", severity="error", timeout=8)
        self.reload_tags()
