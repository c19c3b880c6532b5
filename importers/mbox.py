"""mbox files, plain or gzip-compressed (mailing-list archives ship as .txt.gz): one record per message.

Messages are split on "From " separator lines. A body line that starts "From " is a separator only when it
looks like one (sender then an asctime date, after a blank line), so unescaped mboxo bodies survive;
">From " quoting (mboxo and mboxrd) loses one ">" on reading.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from importers.hashing import file_sha256
from importers.mailparts import message_record, parse_bytes, read_warnings
from importers.records import DocumentRecord, MessageRecord, UnreadableFile

GZIP_MAGIC = b"\x1f\x8b"
_DATE = (
    rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2},?\s+"
    rb"\d{1,2}:\d\d"
)
# "From sender date" (the sender may contain spaces, as pipermail's "user at host" does) ...
_SEPARATOR = re.compile(rb"From (?:.*\s)?" + _DATE)
# ... and the strict asctime form, trusted even without the blank line before it.
_STRICT_SEPARATOR = re.compile(rb"From \S+\s+" + _DATE + rb":\d\d(?:\s+[+-]\d{4})?\s+\d{4}\s*$")
_QUOTED_FROM = re.compile(rb">+From ")
_BLANK = (b"\n", b"\r\n")


def open_mbox(path: Path) -> BinaryIO:
    with path.open("rb") as handle:
        compressed = handle.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else path.open("rb")


def mbox_messages(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Raw bytes of each message, separator line dropped and ">From " unquoted."""
    current: list[bytes] | None = None
    previous_blank = True
    for line in lines:
        if line.startswith(b"From ") and (
            current is None or _STRICT_SEPARATOR.match(line) or (previous_blank and _SEPARATOR.match(line))
        ):
            if current is not None:
                yield _finish(current)
            current = []
        elif current is None:
            if line.strip():
                raise UnreadableFile("not an mbox file (no 'From ' line at the start)")
        else:
            if line.startswith(b">") and _QUOTED_FROM.match(line):
                line = line[1:]
            current.append(line)
        previous_blank = line in _BLANK
    if current is not None:
        yield _finish(current)


def _finish(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in _BLANK:  # the blank line that belongs to the next separator
        lines.pop()
    return b"".join(lines)


def parse(path: Path) -> DocumentRecord:
    """Every message of an mbox; unreadable messages are skipped with a warning, their ordinal kept free."""
    path = Path(path)
    messages: list[MessageRecord] = []
    warnings: list[str] = []
    seen = 0
    try:
        with open_mbox(path) as handle:
            for ordinal, raw in enumerate(mbox_messages(handle)):
                seen = ordinal + 1
                try:
                    msg = parse_bytes(raw)
                    messages.append(message_record(msg, ordinal))
                except UnreadableFile as exc:
                    warnings.append(f"message {ordinal + 1}: {exc}")
                    continue
                warnings.extend(f"message {ordinal + 1}: {warning}" for warning in read_warnings(msg))
    except (OSError, EOFError, zlib.error) as exc:
        if not messages:
            raise UnreadableFile(f"cannot read mbox ({exc})") from exc
        warnings.append(f"file ends early after {seen} messages ({exc})")
    if not seen:
        raise UnreadableFile("empty file")
    if not messages:
        raise UnreadableFile(f"none of the {seen} messages could be read")
    return DocumentRecord(path=str(path), sha256=file_sha256(path), kind="mbox", messages=messages, warnings=warnings)
