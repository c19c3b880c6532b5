"""Turn one raw RFC 822 message into a MessageRecord: the code the eml, mbox, maildir and msg readers share.

Parsing uses the stdlib `email` package with its default compat32 policy and decodes headers here, not
mail-parser or policy.default: on real list mail (fedora mbox + notmuch lkml) those cost ~780 and ~1150 µs
of CPU a message against ~220 µs for this whole path, and policy.default even raises on some real address
headers. A message file (.eml, maildir) of one text/plain part under plain ASCII headers, most mail, skips the parser
(importers.plain_mail gives exactly what it would). Every byte is untrusted: charsets may be wrong or missing,
headers may carry raw 8-bit text, MIME may be broken.
"""

from __future__ import annotations

import binascii
import email.parser
import functools
import hashlib
import mimetypes
import quopri
import re
from collections.abc import Callable, Iterable, Iterator
from email.errors import MissingHeaderBodySeparatorDefect
from email.message import Message
from email.utils import parsedate_to_datetime, quote
from html import unescape
from pathlib import Path

import html2text

from importers.dates import parse_date
from importers.plain_mail import MAX_PARAM_HEADER, PlainMessage, split_plain
from importers.records import Address, AttachmentRecord, DocumentRecord, MessageRecord, UnreadableFile

CHUNK = 1 << 20
MAX_BOUNDARY = 200
_PARAM_HEADERS = {"content-type", "content-disposition"}
_ADDRESS_HEADERS = ("from", "to", "cc", "bcc", "reply-to")
# The headers a record is made of, and those that, present, make a header block an email's (not a text
# file that happens to start with "Word:").
_MAIL_HEADERS = {
    *_ADDRESS_HEADERS,
    *("subject", "date", "message-id", "in-reply-to", "references"),
    *("received", "return-path", "mime-version", "sender", "delivered-to", "x-mailer"),
}
_HEADER_LINE = re.compile(rb"(?:From |[\x21-\x39\x3b-\x7e]{1,100}:)")
_FOLD = re.compile(r"\r?\n[ \t]*")
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([QqBb])\?([^?\s]*)\?=")
_ANGLE_ID = re.compile(r"<([^<>]+)>")
_ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")
_COMMENT = re.compile(r"\([^()]*\)")
_ADDRESS_SYNTAX = re.compile(r'[\\"()<>,;:@]')
_NESTING_TAG = re.compile(r"<(/?)(?:ul|ol|dl|blockquote)\b", re.IGNORECASE)
MAX_HTML_NESTING = 100
MAX_REMEMBERED_HEADER = 2000  # address headers longer than this are read each time, not kept
MAX_HTML_GROWTH = 4  # text html2text may make of HTML, times its size (real mail: well under 1)
_BOUNDARY_LINE = re.compile(rf"^--([^\r\n]{{1,{MAX_BOUNDARY}}}?)[ \t]*\r?$", re.MULTILINE)
_NON_ASCII_TEXT = re.compile("[^\x00-\x7f\ufffd]")
_STRAY_PARAMETER = re.compile(r"[\w.*-]+\s*=\s*\S")
_PADDED_SEGMENT = re.compile(rb"[^=]+=*")
_NOT_BASE64 = bytes(set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="))
_BOUNDARY_DEFECTS = {"StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect", "MultipartInvariantViolationDefect"}
# Latin-1 labels are read as cp1252, as browsers do: mailers that say iso-8859-1 mostly mean Windows text.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}


class _MailMessage(Message):
    """compat32 Message bounding the work hostile Content-* headers cost the stdlib.

    Its parameter parser is quadratic in the number of parameters (minutes for a megabyte of "; a=b"), so
    those headers are read up to MAX_PARAM_HEADER characters; and it compiles each boundary into a regex (a
    megabyte boundary takes minutes), so a boundary longer than any mailer writes (RFC 2046: 70) is ignored
    and the multipart's body read as text.
    """

    def get(self, name: str, failobj: object = None) -> object:
        value = super().get(name, failobj)
        if value is not failobj and name.lower() in _PARAM_HEADERS and len(text := str(value)) > MAX_PARAM_HEADER:
            return text[:MAX_PARAM_HEADER]
        return value

    def get_boundary(self, failobj: str | None = None) -> str | None:
        boundary = super().get_boundary(failobj)
        return failobj if isinstance(boundary, str) and len(boundary) > MAX_BOUNDARY else boundary


def clean_text(text: str) -> str:
    """Drop NUL bytes and lone surrogates, which SQLite and terminals cannot store or show."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode text whose declared charset may be wrong, unknown or missing, never failing.

    Order: the declared charset; UTF-8; UTF-8 with replacement when the bytes are mostly UTF-8;
    cp1252; latin-1 (which maps every byte).
    """
    if charset:
        label = charset.strip().strip("\"'").lower()
        try:
            return data.decode(_CHARSET_ALIASES.get(label, label))
        except (LookupError, ValueError):  # unknown or non-text codec, or bytes it rejects
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    if _NON_ASCII_TEXT.search(text):
        return text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "Bb":
        raw = payload.encode("ascii", "ignore").translate(None, _NOT_BASE64).rstrip(b"=")
        return binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
    return binascii.a2b_qp(payload.encode("utf-8"), header=True)


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words, joining adjacent words of one charset before decoding.

    Joining matters: some mailers split a multibyte character across two encoded words. Whitespace
    between two encoded words is dropped, as the RFC says; undecodable words stay as written.
    """
    if "=?" not in value:
        return value
    out: list[str] = []
    pending = bytearray()  # not bytes: += on bytes copies, quadratic over a header of 100,000 words
    pending_charset = ""
    position = 0
    after_word = False
    for match in _ENCODED_WORD.finditer(value):
        gap = value[position : match.start()]
        between_words = after_word and (not gap or gap.isspace())
        charset = match.group(1).lower()
        if pending and not (between_words and charset == pending_charset):
            out.append(decode_bytes(bytes(pending), pending_charset))
            pending = bytearray()
        if not between_words:
            out.append(gap)
        position = match.end()
        try:
            pending += _word_bytes(match.group(2), match.group(3))
        except binascii.Error:
            if pending:
                out.append(decode_bytes(bytes(pending), pending_charset))
                pending = bytearray()
            out.append(match.group(0))
            after_word = False
            continue
        pending_charset = charset
        after_word = True
    if pending:
        out.append(decode_bytes(bytes(pending), pending_charset))
    out.append(value[position:])
    return "".join(out)


def header_fields(msg: Message) -> dict[str, str]:
    """The headers a record needs, unfolded, raw 8-bit text recovered; repeated address headers joined."""
    return _fields_of(msg.raw_items())


def _fields_of(items: Iterable[tuple[str, object]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, value in items:
        key = name.strip().lower()
        if key not in _MAIL_HEADERS:
            continue
        text = str(value)
        if not text.isascii():
            text = decode_bytes(text.encode("utf-8", "surrogateescape"))
        text = _FOLD.sub(" ", text).strip()
        if key not in fields:
            fields[key] = text
        elif key in _ADDRESS_HEADERS and text:
            fields[key] = f"{fields[key]}, {text}"
    return fields


def _split_top_level(value: str) -> list[str]:
    """Split an address list on commas/semicolons outside quotes, <> and comments; drop group names.

    Only the characters of address syntax are visited (a regex skips the runs between them): a loop over
    every character cost more than the rest of the message's headers."""
    if not any(c in value for c in '"(:;\\'):  # commas inside <> need a colon (source routes)
        return value.split(",")
    parts: list[str] = []
    start = 0  # where the part being read begins
    quoted = has_at = False  # has_at: "@" in the part so far
    escaped = -1  # the position of the character a backslash escapes
    angle = comment = 0
    for match in _ADDRESS_SYNTAX.finditer(value):
        at, char = match.start(), match.group()
        if at == escaped:
            pass
        elif char == "\\":
            escaped = at + 1
        elif quoted:
            quoted = char != '"'
        elif char == '"' and not angle:
            quoted = True
        elif char == "(":
            comment += 1
        elif char == ")" and comment:
            comment -= 1
        elif char == "<" and not comment:
            angle += 1
        elif char == ">" and angle:
            angle -= 1
        elif not (angle or comment):
            if char in ",;":
                parts.append(value[start:at])
                start, has_at = at + 1, False
                continue
            if char == ":" and not has_at:  # "group-name:" of RFC 5322 group syntax
                start = at + 1
                continue
        has_at = has_at or char == "@"
    parts.append(value[start:])
    return parts


def _merge_unquoted_names(parts: list[str]) -> list[str]:
    """Rejoin `Doe, John <jd@x.gov>` that a sender left unquoted and the comma split in two."""
    merged: list[str] = []
    for part in parts:
        previous = merged[-1] if merged else ""
        if (
            previous
            and "@" not in previous
            and "<" not in previous
            and '"' not in previous
            and "<" in part
            and "@" not in part.split("<", 1)[0]
        ):
            merged[-1] = f"{previous.strip()}, {part.strip()}"
        else:
            merged.append(part)
    return merged


def _unquote_name(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if _COMMENT.fullmatch(name):  # "a@b.gov (Name)": the comment is the name
        name = name[1:-1]
    if len(name) >= 2 and name[0] == name[-1] == "'":
        name = name[1:-1]
    return name.strip()


def _squeezed(text: str, between: str = " ") -> str:
    """Each run of whitespace as `between`, none at the ends (str.split knows the same whitespace as regex \\s)."""
    return between.join(text.split())


def _address(part: str) -> Address | None:
    raw = _squeezed(decode_words(part))
    if not raw:
        return None
    bracket = _ANGLE_ADDRESS.search(part)
    if bracket:
        email: str | None = bracket.group(1)
        name = part[: bracket.start()] + part[bracket.end() :]
    elif "@" in part:
        words = part.split()
        word = next(word for word in words if "@" in word)
        name = " ".join(other for other in words if other is not word)
        email = word.strip("()")
    else:
        email, name = None, part
    if email is not None:
        email = _squeezed(email, "").strip("\"'").removeprefix("mailto:") or None
    if email is not None and "@" not in email:  # e.g. an Exchange "/O=ORG/OU=..." or a redaction code
        name = name if name.strip() else email
        email = None
    name = _squeezed(decode_words(_unquote_name(name)))
    if not name and not email:  # "<>", the null sender of bounces
        return None
    return Address(name=clean_text(name) or None, email=clean_text(email) if email else None, raw=clean_text(raw))


def split_addresses(value: str | None) -> list[Address]:
    """Every correspondent in an address header, as far as it can be read."""
    if not value:
        return []
    if len(value) > MAX_REMEMBERED_HEADER:
        return list(_read_addresses(value))
    return list(_remembered_addresses(value))


def _read_addresses(value: str) -> tuple[Address, ...]:
    found = (_address(part) for part in _merge_unquoted_names(_split_top_level(value)))
    return tuple(address for address in found if address is not None)


# The same From and To lines come back message after message (a list's address, its regulars): each is read once
# per worker. Addresses are frozen, so the records may share them.
_remembered_addresses = functools.lru_cache(maxsize=2048)(_read_addresses)


def iso_date(text: str | None) -> str | None:
    """ISO 8601 of a Date header, keeping its UTC offset (none when the header gave none or -0000).

    Dates that are not RFC 5322 (converters write "12/4/2018 3:14 PM") are read like printed ones.
    """
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return parse_date(text)


def message_ids(value: str | None) -> list[str]:
    """Message-IDs in a header, angle brackets stripped; bare ids accepted when no <> are present."""
    if not value:
        return []
    found = [_squeezed(match, "") for match in _ANGLE_ID.findall(value)]
    if not found:
        found = [word.strip("<>,;") for word in value.split() if "@" in word]
    return [clean_text(i) for i in dict.fromkeys(found) if i]


def record_from_fields(fields: dict[str, str], ordinal: int) -> MessageRecord:
    """A MessageRecord holding what the headers say (no body or attachments yet)."""
    senders = split_addresses(fields.get("from"))
    date_text = fields.get("date") or None
    subject = fields.get("subject")
    message_id = message_ids(fields.get("message-id"))
    in_reply_to = message_ids(fields.get("in-reply-to"))
    return MessageRecord(
        ordinal=ordinal,
        subject=clean_text(decode_words(subject)) if subject is not None else None,
        sender=senders[0] if senders else None,
        to=split_addresses(fields.get("to")),
        cc=split_addresses(fields.get("cc")),
        bcc=split_addresses(fields.get("bcc")),
        reply_to=split_addresses(fields.get("reply-to")),
        sent=iso_date(date_text),
        date_text=clean_text(date_text) if date_text else None,
        message_id=message_id[0] if message_id else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=message_ids(fields.get("references")),
    )


def _nested_too_deep(html: str) -> bool:
    """Whether lists or quotes nest deeper than MAX_HTML_NESTING: html2text indents each level, so its output
    (and time) grows with the square of the depth, gigabytes for a megabyte of "<ul><li>"."""
    depth = 0
    for match in _NESTING_TAG.finditer(html):
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        if depth > MAX_HTML_NESTING:
            return True
    return False


def _strip_tags(html: str) -> str:
    """The fallback: text with every tag taken out, never longer than the HTML."""
    return unescape(re.sub(r"<[^>]*>", " ", html))


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (html2text), with a tag-stripping fallback for HTML it chokes on."""
    converter = html2text.HTML2Text(bodywidth=0)
    converter.ignore_images = True
    converter.unicode_snob = True
    try:
        if _nested_too_deep(html):
            raise ValueError("nested too deeply")
        text = converter.handle(html)
    except Exception:  # hostile markup can trip html2text's internals in many ways
        text = _strip_tags(html)
    if len(text) > MAX_HTML_GROWTH * len(html) + 65_536:  # each line of text indented by every level above it
        text = _strip_tags(html)
    return text.replace("\xa0", " ")  # &nbsp; is layout, and would split words for search


def safe_name(name: str | None, fallback: str) -> str:
    """An attachment name without directories or control characters, so nobody writes it outside a folder."""
    name = decode_words(name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    return clean_text(name[:255]) or fallback


def attachment_record(name: str, content_type: str | None, chunks: Iterable[bytes]) -> AttachmentRecord:
    """Size and sha256 from streamed chunks; bytes kept only for PDFs, which the pipeline imports too."""
    keep = content_type == "application/pdf" or name.lower().endswith(".pdf")
    digest = hashlib.sha256()
    size = 0
    kept: list[bytes] = []
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if keep:
            kept.append(chunk)
    return AttachmentRecord(name, content_type, size, digest.hexdigest(), b"".join(kept) if keep else None)


def _base64_decode(data: bytes) -> bytes:
    """Decode cleaned base64 that may be padded mid-stream (converters that encode each line on its own)
    or broken; each padded segment is decoded on its own and a dangling character dropped, never raising."""
    decoded = []
    for segment in _PADDED_SEGMENT.findall(data):
        segment = segment.rstrip(b"=")
        segment = segment[: len(segment) - (len(segment) % 4 == 1)]
        decoded.append(binascii.a2b_base64(segment + b"=" * (-len(segment) % 4)))
    return b"".join(decoded)


def _base64_chunks(text: str) -> Iterator[bytes]:
    """Decode base64 a slice at a time, so a 50 MB attachment is never held decoded as a whole."""
    rest = b""
    for start in range(0, len(text), CHUNK):
        block = rest + text[start : start + CHUNK].encode("ascii", "ignore").translate(None, _NOT_BASE64)
        padded = block.rstrip(b"=").rfind(b"=")  # cut after the last padding run that is followed by data
        cut = padded + 1 if padded >= 0 else len(block) - len(block) % 4
        if cut:
            yield _base64_decode(block[:cut])
        rest = block[cut:]
    if rest:
        yield _base64_decode(rest)


def _raw_payload(part: Message) -> str | list[Message]:
    """The payload as parsed: 8-bit bytes still surrogate-escaped, sub-parts as a list.

    compat32's get_payload() decodes 8-bit text with the declared charset (lossy, and it raises on
    charset names such as one holding a NUL), so the stored payload is read directly.
    """
    return part._payload


def _part_chunks(part: Message) -> Iterator[bytes]:
    payload = _raw_payload(part)
    if isinstance(payload, list):  # an attached message (message/rfc822) or a multipart marked attachment
        try:
            yield part.as_bytes() if part.get_content_maintype() == "multipart" else payload[0].as_bytes()
        except Exception:  # the generator may choke on whatever the parser accepted
            yield b""
    elif str(part.get("content-transfer-encoding", "")).strip().lower() == "base64":
        yield from _base64_chunks(payload)
    else:
        yield part.get_payload(decode=True) or b""


def _filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except (TypeError, ValueError, LookupError):  # stdlib decode_params fails on some RFC 2231 mixes
        return None


def _part_attachment(part: Message, number: int) -> AttachmentRecord:
    content_type = part.get_content_type()
    payload = _raw_payload(part)
    if content_type == "message/rfc822" and isinstance(payload, list) and payload:
        inner = header_fields(payload[0]).get("subject") or "attached message"
        fallback = f"{safe_name(inner, 'attached message')}.eml"
    else:
        fallback = f"attachment-{number}{mimetypes.guess_extension(content_type) or '.bin'}"
    return attachment_record(safe_name(_filename(part), fallback), content_type, _part_chunks(part))


def _part_text(part: Message) -> str:
    return _decoded_text(b"".join(_part_chunks(part)), part.get_content_charset(), part.get_content_type())


def _decoded_text(data: bytes, charset: str | None, content_type: str) -> str:
    text = decode_bytes(data, charset)
    if content_type == "text/html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain_text(plain: PlainMessage) -> str:
    """The text of a PlainMessage, decoded as _part_text decodes the same part parsed by the email package."""
    encoding = plain.transfer_encoding
    if encoding.strip().lower() == "base64":
        data = b"".join(_base64_chunks(plain.payload))
    else:
        data = plain.payload.encode("ascii", "surrogateescape")
        if encoding.lower() == "quoted-printable":
            data = quopri.decodestring(data)
    return _decoded_text(data, plain.charset, "text/plain")


def _alternative_order(children: list[Message]) -> list[Message]:
    """Parts of a multipart/alternative in reading preference: plain text, nested multipart, HTML."""
    rank = {"text/plain": 0, "multipart": 1, "text/html": 2}

    def key(child: Message) -> int:
        return rank.get(child.get_content_type(), rank.get(child.get_content_maintype(), 3))

    return sorted((c for c in children if key(c) < 3 and c.get_content_disposition() != "attachment"), key=key)


def _rejoin_split_header(part: Message) -> Message | None:
    """Repair a Content-* header a converter broke without indenting ("...; fil" / "ename=x.pdf").

    The parser ends the headers at such a line and reads the rest of the header block as body.
    """
    payload = _raw_payload(part)
    if not isinstance(payload, str) or not any(
        isinstance(defect, MissingHeaderBodySeparatorDefect) for defect in part.defects
    ):
        return None
    items = list(part.raw_items())
    first, _, rest = payload.partition("\n")
    if not items or not items[-1][0].lower().startswith("content-") or not _STRAY_PARAMETER.match(first):
        return None
    headers = "".join(f"{name}: {value}\n" for name, value in items[:-1])
    headers += f"{items[-1][0]}: {items[-1][1]}{first.rstrip()}\n"
    if not headers.isascii():  # 8-bit MIME headers: leave the part as the parser read it
        return None
    return email.parser.Parser(_MailMessage).parsestr(headers + rest)


def _recover_multipart(content_type: str, payload: str) -> Message | None:
    """Re-split a multipart whose declared boundary never occurs, on the first "--" line it does contain."""
    match = _BOUNDARY_LINE.search(payload, 0, 65536)
    if not match or not match.group(1).isascii():  # boundaries are ASCII (RFC 2046)
        return None
    header = f'Content-Type: {content_type}; boundary="{quote(match.group(1))}"\n\n'
    recovered = email.parser.Parser(_MailMessage).parsestr(header + payload)
    return recovered if isinstance(_raw_payload(recovered), list) else None


def _collect(
    part: Message, texts: list[str] | None, attachments: list[AttachmentRecord] | None, depth: int = 0
) -> None:
    """Walk the MIME tree: body text into `texts`, every file into `attachments` (None: skip that kind)."""
    if texts is None and attachments is None:
        return
    if depth > 50:
        raise UnreadableFile("MIME parts nested too deeply")
    repaired = _rejoin_split_header(part)
    if repaired is not None:
        _collect(repaired, texts, attachments, depth + 1)
        return
    disposition = part.get_content_disposition()
    payload = _raw_payload(part)
    if isinstance(payload, list) and part.get_content_maintype() == "multipart" and disposition != "attachment":
        if part.get_content_type() == "multipart/alternative" and texts is not None:
            for choice in _alternative_order(payload):  # the first that has text (plain parts can be empty)
                found: list[str] = []
                _collect(choice, found, None, depth + 1)
                if any(text.strip() for text in found):
                    texts.extend(found)
                    break
            texts = None
        for child in payload:
            _collect(child, texts, attachments, depth + 1)
        return
    if part.get_content_maintype() == "multipart" and isinstance(payload, str):
        recovered = _recover_multipart(part.get_content_type(), payload)
        if recovered is not None:
            _collect(recovered, texts, attachments, depth + 1)
            return
    is_text = part.get_content_type() in ("text/plain", "text/html") or part.get_content_maintype() == "multipart"
    if is_text and disposition != "attachment":
        if texts is not None:
            texts.append(_part_text(part))
        if attachments is not None and _filename(part):
            attachments.append(_part_attachment(part, len(attachments) + 1))
    elif attachments is not None:
        attachments.append(_part_attachment(part, len(attachments) + 1))


def parse_bytes(data: bytes) -> Message:
    """Parse raw message bytes, turning the parser's own failures into UnreadableFile."""
    try:
        return email.parser.BytesParser(_MailMessage).parsebytes(data)
    except RecursionError as exc:
        raise UnreadableFile("MIME parts nested too deeply") from exc
    except Exception as exc:  # the stdlib parser is lenient, but untrusted bytes find its corners
        raise UnreadableFile(f"cannot parse message ({type(exc).__name__})") from exc


def message_record(msg: Message, ordinal: int) -> MessageRecord:
    """Headers, body and attachments of one parsed message; UnreadableFile when it has no email headers."""

    def texts(record: MessageRecord) -> list[str]:
        found: list[str] = []
        _collect(msg, found, record.attachments)
        return found

    return _record(msg.raw_items, texts, ordinal)


def _plain_record(plain: PlainMessage) -> MessageRecord:
    return _record(lambda: plain.items, lambda _record: [_plain_text(plain)], 0)


def _record(
    items: Callable[[], Iterable[tuple[str, object]]], texts: Callable[[MessageRecord], list[str]], ordinal: int
) -> MessageRecord:
    """A message's record from its header items and the texts of its body (which may add attachments to it)."""
    try:
        fields = _fields_of(items())
        if not _MAIL_HEADERS & fields.keys():
            raise UnreadableFile("no email headers found")
        record = record_from_fields(fields, ordinal)
        record.body = clean_text("\n".join(text.strip("\n") for text in texts(record) if text.strip()))
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile("MIME parts nested too deeply") from exc
    except Exception as exc:  # untrusted input: the email package can raise almost anything on it
        raise UnreadableFile(f"cannot read message ({type(exc).__name__})") from exc
    return record


def read_warnings(msg: Message) -> list[str]:
    """Structural problems worth telling the user about (text may be missing or run together)."""
    try:
        found = {type(defect).__name__ for part in msg.walk() for defect in part.defects}
    except RecursionError:
        return ["MIME parts nested too deeply"]
    return [f"broken MIME structure ({name})" for name in sorted(found & _BOUNDARY_DEFECTS)]


def skip_preamble(head: bytes) -> bytes:
    """Drop a UTF-8 byte-order mark and blank lines some tools write before the first header."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n\t ")


def looks_like_message(head: bytes) -> bool:
    """Whether a file's first bytes open with a header line (or an mbox "From " line)."""
    return bool(_HEADER_LINE.match(skip_preamble(head)))


def parse_message_file(path: Path, kind: str) -> DocumentRecord:
    """One file holding one message (.eml, a maildir file): hashed and parsed in one streamed read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            chunk = handle.read(CHUNK)
            if not chunk.strip():
                raise UnreadableFile("empty file")
            if not looks_like_message(chunk):
                raise UnreadableFile("not an email message (no headers)")
            digest.update(chunk)
            head = skip_preamble(chunk)
            plain = split_plain(head) if len(chunk) < CHUNK else None  # the whole file, and plain
            if plain is not None:
                return DocumentRecord(
                    path=str(path), sha256=digest.hexdigest(), kind=kind, messages=[_plain_record(plain)]
                )
            parser = email.parser.BytesFeedParser(_MailMessage)
            parser.feed(head)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                parser.feed(chunk)
        msg = parser.close()
    except OSError as exc:
        raise UnreadableFile(f"cannot read file ({exc.strerror or exc})") from exc
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile("MIME parts nested too deeply") from exc
    except Exception as exc:  # see parse_bytes
        raise UnreadableFile(f"cannot parse message ({type(exc).__name__})") from exc
    record = message_record(msg, 0)
    return DocumentRecord(
        path=str(path), sha256=digest.hexdigest(), kind=kind, messages=[record], warnings=read_warnings(msg)
    )
