"""Counts as English: one helper, so "1 message" and "2 files" read the same in the CLI, the app and exports."""

from __future__ import annotations

IRREGULAR = {"box": "boxes", "copy": "copies", "person": "people", "match": "matches", "address": "addresses"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 message', '2,000 messages', '1 box', '3 redaction boxes' (`many` names a plural the table lacks)."""
    if count == 1:
        return f"1 {word}"
    if many is None:
        head, space, last = word.rpartition(" ")
        many = head + space + IRREGULAR.get(last, last + "s")
    return f"{count:,} {many}"
