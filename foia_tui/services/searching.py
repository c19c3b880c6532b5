"""Search as the CLI and the app run it: pages of matches, the ids a search narrows other views to, saved searches.

Each use case is one archive read (foia_tui.archive.search turns the query into SQL), so they pass straight through.
"""

from __future__ import annotations

from foia_tui.archive.search import (
    RANK_LIMIT,
    count_matches,
    delete_saved_search,
    matching_message_ids,
    matching_thread_ids,
    save_search,
    saved_searches,
    search_messages,
    search_threads,
    thread_matches,
)

__all__ = [
    "RANK_LIMIT",
    "count_matches",
    "delete_saved_search",
    "matching_message_ids",
    "matching_thread_ids",
    "save_search",
    "saved_searches",
    "search_messages",
    "search_threads",
    "thread_matches",
]
