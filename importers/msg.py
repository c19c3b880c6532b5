"""Outlook .msg files (OLE compound documents) read with extract-msg: one native MessageRecord.

Transport headers, when Outlook kept them, are read exactly as for .eml; MAPI properties fill the rest.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

import extract_msg
from extract_msg.enums import RecipientType
from extract_msg.msg_classes import MessageBase, MSGFile

from importers.hashing import file_sha256
from importers.mailparts import (
    attachment_record,
    clean_text,
    decode_bytes,
    header_fields,
    html_to_text,
    message_ids,
    record_from_fields,
    safe_name,
    split_addresses,
)
from importers.records import Address, AttachmentRecord, DocumentRecord, MessageRecord, UnreadableFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RECIPIENT_FIELDS = {RecipientType.TO: "to", RecipientType.CC: "cc", RecipientType.BCC: "bcc"}


def _attachments(item: MessageBase) -> list[AttachmentRecord]:
    records = []
    for number, attachment in enumerate(item.attachments, start=1):
        name = safe_name(
            getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None),
            f"attachment-{number}",
        )
        data = attachment.data
        if isinstance(data, MSGFile):  # an attached Outlook item
            content_type = "application/vnd.ms-outlook"
            try:
                data = data.exportBytes()
            except Exception:  # extract-msg cannot always re-serialise what it read
                records.append(AttachmentRecord(name, content_type))
                continue
        else:
            content_type = getattr(attachment, "mimetype", None) or mimetypes.guess_type(name)[0]
        if isinstance(data, bytes):
            records.append(attachment_record(name, content_type, [data]))
        else:
            records.append(AttachmentRecord(name, content_type))
    return records


def _body(item: MessageBase) -> str:
    body = item.body
    if not body:
        html = item.htmlBody
        body = html_to_text(decode_bytes(html) if isinstance(html, bytes) else html or "")
    return clean_text(body.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))


def _record(item: MessageBase) -> MessageRecord:
    record = record_from_fields(header_fields(item.header) if item.header is not None else {}, 0)
    if record.subject is None and item.subject:
        record.subject = clean_text(item.subject)
    if record.sender is None:
        senders = split_addresses(item.sender)
        record.sender = senders[0] if senders else None
    from_headers = {field for field in _RECIPIENT_FIELDS.values() if getattr(record, field)}
    for recipient in item.recipients:
        field = _RECIPIENT_FIELDS.get(recipient.type)
        if field and field not in from_headers:  # the transport headers, when present, say what was sent
            name, email = clean_text(recipient.name or "") or None, clean_text(recipient.email or "") or None
            raw = f"{name} <{email}>" if name and email else name or email or ""
            getattr(record, field).append(Address(name=name, email=email, raw=raw))
    if record.sent is None and isinstance(item.date, datetime):
        record.sent = item.date.isoformat()
        record.date_text = record.date_text or format_datetime(item.date)
    record.message_id = record.message_id or next(iter(message_ids(item.messageId)), None)
    record.in_reply_to = record.in_reply_to or next(iter(message_ids(item.inReplyTo)), None)
    record.body = _body(item)
    record.attachments = _attachments(item)
    return record


def parse(path: Path) -> DocumentRecord:
    """Read one Outlook .msg; UnreadableFile for empty, non-OLE, corrupt or non-email Outlook items."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(OLE_MAGIC))
    except OSError as exc:
        raise UnreadableFile(f"cannot read file ({exc.strerror or exc})") from exc
    if not head:
        raise UnreadableFile("empty file")
    if head != OLE_MAGIC:
        raise UnreadableFile("not an Outlook .msg file (no OLE header)")
    try:
        item = extract_msg.openMsg(str(path), strict=False)
    except Exception as exc:  # extract-msg and olefile raise many types on corrupt input
        raise UnreadableFile(f"unreadable Outlook .msg file ({type(exc).__name__})") from exc
    try:
        if not isinstance(item, MessageBase):
            raise UnreadableFile(f"Outlook item is not an email ({type(item).__name__})")
        record = _record(item)
    except UnreadableFile:
        raise
    except Exception as exc:  # see above: property reads parse the file lazily
        raise UnreadableFile(f"unreadable Outlook .msg file ({type(exc).__name__})") from exc
    finally:
        item.close()
    return DocumentRecord(path=str(path), sha256=file_sha256(path), kind="msg", messages=[record])
