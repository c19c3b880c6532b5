"""A native email as its file holds it: the raw header lines and the tree of MIME parts (content type, file
name, size), for the app's view of an original message. Bytes in, records out, like every importer."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from importers.mailparts import parse_bytes, skip_preamble
from importers.mbox import mbox_messages, open_mbox
from importers.records import UnreadableFile

MAX_PARTS = 500  # a hostile message may nest thousands: the view lists this many


@dataclass(frozen=True)
class MimePart:
    depth: int  # 0 for the message itself
    content_type: str
    filename: str | None
    size: int | None  # decoded bytes of a leaf part; None for a container


@dataclass
class RawMail:
    headers: list[tuple[str, str]] = field(default_factory=list)  # as written, in order, folds kept
    parts: list[MimePart] = field(default_factory=list)


def _parts(msg: Message, depth: int, out: list[MimePart]) -> None:
    if len(out) >= MAX_PARTS:
        return
    if msg.is_multipart():
        out.append(MimePart(depth, msg.get_content_type(), msg.get_filename(), None))
        for part in msg.get_payload():
            _parts(part, depth + 1, out)
        return
    payload = msg.get_payload(decode=True)
    out.append(MimePart(depth, msg.get_content_type(), msg.get_filename(), len(payload) if payload else 0))


def from_message(msg: Message) -> RawMail:
    """Headers and part tree of a parsed message."""
    parts: list[MimePart] = []
    try:
        _parts(msg, 0, parts)
    except RecursionError as exc:
        raise UnreadableFile("MIME parts nested too deeply") from exc
    return RawMail([(name, str(value)) for name, value in msg.raw_items()], parts)


def _mbox_message(path: Path, ordinal: int) -> bytes:
    with open_mbox(path) as handle:
        for n, raw in enumerate(mbox_messages(handle)):
            if n == ordinal:
                return raw
    raise UnreadableFile(f"the mbox no longer holds message {ordinal + 1}")


def _outlook(path: Path) -> RawMail:
    import extract_msg

    item = extract_msg.openMsg(str(path), strict=False)
    try:
        headers = [(n, str(v)) for n, v in item.header.raw_items()] if getattr(item, "header", None) else []
        parts = [MimePart(0, "application/vnd.ms-outlook", None, None)]
        parts.append(MimePart(1, "text/plain", None, len((item.body or "").encode())))
        if getattr(item, "htmlBody", None):
            parts.append(MimePart(1, "text/html", None, len(item.htmlBody)))
        for attachment in item.attachments:
            data = attachment.data
            name = getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None)
            kind = getattr(attachment, "mimetype", None) or "application/octet-stream"
            parts.append(MimePart(1, kind, name, len(data) if isinstance(data, bytes) else None))
        return RawMail(headers, parts)
    finally:
        item.close()


def read_raw_mail(path: Path, kind: str, ordinal: int) -> RawMail:
    """The `ordinal`-th message of a native mail file of `kind` (eml, maildir, mbox, msg); UnreadableFile when
    the file cannot be read as one."""
    path = Path(path)
    try:
        if kind == "msg":
            return _outlook(path)
        data = _mbox_message(path, ordinal) if kind == "mbox" else skip_preamble(path.read_bytes())
    except UnreadableFile:
        raise
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(f"cannot read the file ({exc})") from exc
    except Exception as exc:  # extract-msg and olefile raise many types on a damaged file
        raise UnreadableFile(f"cannot read the file ({type(exc).__name__})") from exc
    return from_message(parse_bytes(data))
