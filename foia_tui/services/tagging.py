"""Tags as the CLI and the app apply them: to messages, threads, excerpts and every message a search finds.

Each use case is one archive read or write (foia_tui.archive.tags), so they pass straight through.
"""

from __future__ import annotations

from foia_tui.archive.tags import (
    clean_name,
    delete_tag,
    get_tag,
    list_tags,
    merge_tags,
    message_taggings,
    rename_tag,
    set_color,
    set_description,
    tag_excerpt,
    tag_messages,
    tag_thread,
    thread_message_ids,
    untag_messages,
)

__all__ = [
    "clean_name",
    "delete_tag",
    "get_tag",
    "list_tags",
    "merge_tags",
    "message_taggings",
    "rename_tag",
    "set_color",
    "set_description",
    "tag_excerpt",
    "tag_messages",
    "tag_thread",
    "thread_message_ids",
    "untag_messages",
]
