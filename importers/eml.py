"""A single RFC 822 message file (.eml): one native MessageRecord."""

from __future__ import annotations

from pathlib import Path

from importers.mailparts import parse_message_file
from importers.records import DocumentRecord


def parse(path: Path) -> DocumentRecord:
    """Read one .eml file; raises UnreadableFile when it is empty, junk or has no email headers."""
    return parse_message_file(path, "eml")
