"""The tag picker (`t`): type to find a tag by fuzzy match (rapidfuzz) or create a new one, add a note, Enter.

Enter takes the highlighted line: a tag whose name holds what was typed, else "create" what was typed; tags
that only look alike (a typo away) are listed below it, one ↓ away, so a new name is never swallowed by a guess.

The picker tags what it was opened on (a message, a whole thread, or an excerpt chosen in selection mode) from a
worker thread, and dismisses with a one-line account of what it did (None when cancelled). Taking a tag off
(ctrl+r) asks first, and is told to the app (foia_tui.app.changes.Deleted), which keeps it for `u`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rapidfuzz import fuzz
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from foia_tui.app import loading
from foia_tui.app.changes import Deleted
from foia_tui.app.screens.confirm import ConfirmDialog
from foia_tui.archive import Archive, ArchiveError
from foia_tui.archive.types import MessageDetail, Tag
from foia_tui.domain.display import one_line
from foia_tui.services.annotations import Deletion, take_tag_off
from foia_tui.services.tagging import (
    clean_name,
    list_tags,
    message_taggings,
    tag_excerpt,
    tag_messages,
    tag_thread,
    thread_message_ids,
)

FUZZY_CUTOFF = 60
CREATE = "\x00create"  # option id of "create a new tag" (no tag name can hold a NUL)


@dataclass(frozen=True)
class TagTarget:
    """What the picker tags: a message, every message of a thread, or body[start:end] of a message."""

    kind: str  # message | thread | excerpt
    message_id: str
    thread_id: str | None = None
    start: int | None = None
    end: int | None = None
    label: str = ""  # how the title names it, e.g. the sender and subject


def tag_target(
    message: MessageDetail | None, kind: str, start: int | None = None, end: int | None = None
) -> TagTarget | None:
    """The target for the message the reader is on (None when there is none), named by sender and subject."""
    if message is None:
        return None
    sender = message.sender_name or message.sender_email or message.sender_raw or "?"
    label = f"{sender}, “{message.subject or '(no subject)'}”"
    return TagTarget(kind, message.id, message.thread_id, start, end, label)


def rank_tags(text: str, tags: list[Tag]) -> list[Tag]:
    """Tags for what was typed: exact name, then prefixes, then substrings, then fuzzy matches; all when empty."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return sorted(tags, key=lambda t: t.name.casefold())
    scored = []
    for tag in tags:
        name = tag.name.casefold()
        if name == wanted:
            score = 300.0
        elif name.startswith(wanted):
            score = 200.0
        elif wanted in name:
            score = 150.0
        else:  # a typo (ratio), or a misspelt part of a longer name (partial_ratio, discounted)
            score = fuzz.ratio(wanted, name)
            if len(name) > len(wanted):
                score = max(score, 0.9 * fuzz.partial_ratio(wanted, name))
        if score >= FUZZY_CUTOFF:
            scored.append((-score, name, tag))
    return [tag for _, _, tag in sorted(scored, key=lambda s: (s[0], s[1]))]


def apply_tag(archive: Archive, target: TagTarget, name: str, note: str | None) -> str:
    """Tag the target; returns what happened, for a notification."""
    if target.kind == "excerpt":
        tagging = tag_excerpt(archive, name, target.message_id, target.start or 0, target.end or 0, note=note)
        return f"Tagged the excerpt “{one_line(tagging.quoted_text, 40)}” with {one_line(tagging.tag)}."
    if target.kind == "thread":
        added = tag_thread(archive, name, target.thread_id or "", note=note)
        return f"Tagged the thread with {one_line(name)} ({added} message{'s' if added != 1 else ''} newly tagged)."
    added = tag_messages(archive, name, [target.message_id], note=note)
    return (
        f"Tagged the message with {one_line(name)}." if added else f"The message was tagged {one_line(name)} already."
    )


def remove_tag(archive: Archive, target: TagTarget, name: str) -> Deletion:
    """Take a tag off the target's message (or every message of its thread)."""
    ids = thread_message_ids(archive, target.thread_id) if target.kind == "thread" and target.thread_id else []
    return take_tag_off(archive, name, ids or [target.message_id])


class TagPicker(ModalScreen[str | None]):
    """Choose or create a tag for a message, a thread or an excerpt."""

    BINDING_GROUP_TITLE = "Tag picker"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "cursor(1)", "Next tag", show=False),
        Binding("up", "cursor(-1)", "Previous tag", show=False),
        Binding("ctrl+r", "remove", "Remove the highlighted tag"),
    ]
    DEFAULT_CSS = """
    TagPicker {
        align: center middle;
    }
    TagPicker #tag-box {
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 80%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    TagPicker #tag-title { text-style: bold; height: auto; }
    TagPicker #tag-options { height: auto; max-height: 12; border: none; }
    TagPicker #tag-hint { color: $text-muted; height: auto; }
    TagPicker #tag-error { color: $error; height: auto; }
    """

    def __init__(self, archive: Archive, target: TagTarget) -> None:
        super().__init__()
        self.archive = archive
        self.target = target
        self.tags: list[Tag] = []
        self.applied: set[str] = set()

    def compose(self) -> ComposeResult:
        what = {"message": "Tag message", "thread": "Tag every message of the thread", "excerpt": "Tag excerpt"}
        title = Text(what[self.target.kind])
        if self.target.label:
            title.append(": " + one_line(self.target.label, 50), style="not bold")
        with Vertical(id="tag-box"):
            yield Static(title, id="tag-title")
            yield Input(placeholder="Tag: type to find or create", id="tag-name")
            yield OptionList(id="tag-options")
            yield Input(placeholder="Note (optional)", id="tag-note")
            yield Static("", id="tag-error")
            hint = "Enter: tag · ↑↓: choose · Tab: note · Esc: cancel"
            if self.target.kind != "excerpt":
                hint += " · ctrl+r: remove highlighted"
            yield Static(hint, id="tag-hint")

    def on_mount(self) -> None:
        self.options.can_focus = False  # Tab goes from the name to the note; ↑↓ move in the list
        self.query_one("#tag-name", Input).focus()
        loading.load(self, "tag-load", self._load, self._loaded, self._failed)

    def _load(self) -> tuple[list[Tag], set[str]]:
        taggings = message_taggings(self.archive, self.target.message_id)
        if self.target.kind == "excerpt":
            applied = {t.tag for t in taggings if (t.start, t.end) == (self.target.start, self.target.end)}
        else:
            applied = {t.tag for t in taggings if t.kind != "excerpt"}
        return list_tags(self.archive), applied

    def _loaded(self, found: tuple[list[Tag], set[str]]) -> None:
        self.tags, self.applied = found
        self._fill(self.query_one("#tag-name", Input).value)

    @property
    def options(self) -> OptionList:
        return self.query_one("#tag-options", OptionList)

    def _fill(self, text: str) -> None:
        options = self.options
        options.clear_options()
        typed = " ".join(text.split())
        ranked = rank_tags(typed, self.tags)
        # What was typed wins over a fuzzy guess: tags containing it come first, then "create", then the guesses.
        containing = [t for t in ranked if typed.casefold() in t.name.casefold()]
        for tag in containing:
            options.add_option(self._option(tag))
        if typed and all(t.name.casefold() != typed.casefold() for t in ranked):
            options.add_option(Option(Text.assemble("+ create tag ", (one_line(typed, 50), "bold")), id=CREATE))
        for tag in ranked[len(containing) :]:
            options.add_option(self._option(tag))
        if options.option_count:
            options.highlighted = 0

    def _option(self, tag: Tag) -> Option:
        label = Text("✓ " if tag.name in self.applied else "  ")
        label.append(one_line(tag.name, 50), Style.parse(tag.color) if tag.color else Style(bold=True))
        label.append(f"  {tag.messages} message{'s' if tag.messages != 1 else ''}", style="dim")
        return Option(label, id=tag.name)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "tag-name":
            self.query_one("#tag-error", Static).update("")
            self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick()

    def _chosen(self) -> str | None:
        """The highlighted tag's name, or the typed name when creating."""
        options = self.options
        typed = self.query_one("#tag-name", Input).value
        if options.highlighted is None:
            return typed if typed.strip() else None
        option_id = options.get_option_at_index(options.highlighted).id
        return typed if option_id == CREATE else option_id

    def _pick(self) -> None:
        name = self._chosen()
        if name is None:
            self._problem("Type a tag name.")
            return
        try:
            name = clean_name(name)
        except ArchiveError as error:
            self._problem(str(error))
            return
        note = self.query_one("#tag-note", Input).value.strip() or None
        self._apply(lambda: apply_tag(self.archive, self.target, name, note))

    def action_remove(self) -> None:
        name = self._chosen()
        if self.target.kind == "excerpt" or name is None or name not in self.applied:
            self._problem("Highlight a tag this message carries (✓) to remove it.")
            return
        where = "every message of the thread" if self.target.kind == "thread" else "this message"
        question = f"Take the tag {one_line(name, 60)} off {where} (its excerpts of that tag too)?"
        self.app.push_screen(ConfirmDialog(question), partial(self._remove, name))

    def _remove(self, name: str, yes: bool | None) -> None:
        if yes:
            remove = partial(remove_tag, self.archive, self.target, name)
            loading.load(self, "tag-apply", remove, self._removed, self._failed)

    def _removed(self, deletion: Deletion) -> None:
        self.app.post_message(Deleted(deletion))
        self.dismiss(None)

    def _apply(self, change: Callable[[], str]) -> None:
        loading.load(self, "tag-apply", change, self.dismiss, self._failed)

    def _failed(self, error: Exception) -> None:
        self._problem(str(error))

    def _problem(self, text: str) -> None:
        self.query_one("#tag-error", Static).update(Text(one_line(text, 200)))

    def action_cursor(self, step: int) -> None:
        options = self.options
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = (current + step) % options.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
