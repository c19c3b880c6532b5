"""Hostile files for the importer fuzz tests and the fuzz benchmark: broken PDFs, emails, mboxes, .msg files.

Every generator takes a `random.Random` (or nothing) and returns bytes, so a case is reproduced from its
seed alone. `CASES[kind](rng)` gives one case of a kind as (label, file name, bytes); the label says which
generator made it, so a failing case is easy to name in a report.
"""

from __future__ import annotations

import base64
import gzip
import random
import tempfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from fpdf import FPDF

from tests.support.pdfgen import make_scanned_copy, random_release, write_release

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
OUTLOOK_MSG = CORPORA / "mail-parser" / "mail_outlook_1"
Case = tuple[str, str, bytes]

# Tokens that parsers give meaning to: spliced into files, they reach deeper branches than random bytes.
PDF_TOKENS = [
    b"obj", b"endobj", b"stream\n", b"endstream", b"xref\n", b"trailer", b"startxref\n", b"%%EOF",
    b"<<", b">>", b"[", b"]", b"/Length 999999999", b"/Length -1", b"/Type /Page", b"/Type /Pages",
    b"/Kids [1 0 R]", b"/Count 2147483647", b"/Count -1", b"/Filter /FlateDecode", b"/Filter /LZWDecode",
    b"/Filter /JBIG2Decode", b"/Filter /DCTDecode", b"/Encrypt 1 0 R", b"/ObjStm", b"/Prev 0",
    b"0 0 R", b"99999 0 R", b"(" * 64, b"[" * 512, b"BT /F1 12 Tf (x) Tj ET", b"1e308", b"-2147483649",
]  # fmt: skip
MAIL_TOKENS = [
    b"\n\n", b"\r\n", b"\x00", b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80", b"=?utf-8?b?", b"=?utf-16?q?=FF?=", b"?=",
    b"--", b'boundary="', b"Content-Type: multipart/mixed; boundary=X\n", b"Content-Type: message/rfc822\n",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: x-uuencode\n", b"charset=utf-16",
    b"charset=zlib", b"filename*=utf-8''%FF%FE", b"From ", b">From ", b"begin 644 x\n", b"<", b">", b'"', b"(",
    b"\\", b":", b"@", b";", b",",
]  # fmt: skip


# --- byte-level mutation ---------------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random, tokens: list[bytes], rounds: int = 0) -> bytes:
    """One to six edits: flipped bits, overwritten runs, spliced tokens, cut or doubled spans, truncation."""
    out = bytearray(data)
    for _ in range(rounds or rng.randint(1, 6)):
        if not out:
            out += rng.randbytes(rng.randint(1, 64))
        at = rng.randrange(len(out))
        action = rng.randrange(7)
        if action == 0:
            out[at] ^= 1 << rng.randrange(8)
        elif action == 1:
            span = rng.randint(1, 64)
            out[at : at + span] = rng.randbytes(span)
        elif action == 2:
            out[at:at] = rng.choice(tokens) * rng.choice((1, 1, 1, 3, 100))
        elif action == 3:
            del out[at : at + rng.randint(1, 4096)]
        elif action == 4:
            span = out[at : at + rng.randint(1, 4096)]
            out[at:at] = span * rng.randint(1, 8)
        elif action == 5:
            del out[at:]
        else:
            out[at : at + 1] = rng.choice((b"\x00", b"\xff", b"\n", b"\r", b" ", b"0", b"9"))
    return bytes(out)


# --- PDFs ------------------------------------------------------------------------------------------------


@cache
def release_pdf(seed: int) -> bytes:
    """A small generated release (printed emails with boxes and Bates numbers): the seed of PDF mutations."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "release.pdf"
        write_release(path, random_release(seed, 1 + seed % 3, boxes=0.4, leak=0.2))
        return path.read_bytes()


@cache
def scanned_pdf(seed: int) -> bytes:
    """An image-only copy of a release (read by OCR): its image data is what mutations of it reach."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "release.pdf", Path(folder) / "scan.pdf"
        source.write_bytes(release_pdf(seed))
        make_scanned_copy(source, target, dpi=100)
        return target.read_bytes()


def _fpdf(text: str = "From: A <a@example.gov>\nSubject: hello\n\nBody text of the message.") -> FPDF:
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(400, 12, text)
    return pdf


def encrypted_pdf(user_password: str | None) -> bytes:
    """A PDF encrypted with an owner password; with `user_password` it cannot be opened without it."""
    pdf = _fpdf()
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def raw_pdf(
    pages: list[bytes],
    stream_keys: bytes = b"",
    kids_override: bytes | None = None,
    count_override: int | None = None,
    media_box: bytes = b"0 0 12 12",
) -> bytes:
    """A hand-written PDF with one content stream per page (`stream_keys` added to each stream's dictionary)
    and a correct xref, unless told to lie about the page tree: whatever the content, the file loads."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for content in pages:
        page_number = len(objects) + 1
        kids.append(b"%d 0 R" % page_number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (media_box, font, page_number + 1)
        )
        objects.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), stream_keys, content))
    count = len(pages) if count_override is None else count_override
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids_override or b" ".join(kids), count)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PRINTED_LINES = [
    b"Jane Doe", b"From: Jane Doe <jane.doe@agency.example.gov>", b"Sent: Tuesday, December 4, 2018 3:14 PM",
    b"To: Roe, Richard <rr@agency.example.gov>; (b)(6)", b"Cc: Records", b"Subject: RE: Meeting on Thursday",
    b"Attachments: memo.pdf", b"We continue to receive positive results.", b"-----Original Message-----",
    b"On Mon, Dec 3, 2018 at 9:00 AM John <j@x.gov> wrote:", b"> quoted line", b"NYPD-FOIL-000123",
    b"1 of 2", b"FOIL 2018-PL-1234 - Released Records",
]  # fmt: skip
CONTENT_TOKENS = [
    b" Tj ", b" TJ ", b"[(a) -500 (b)] TJ ", b" re f ", b" 1e38 ", b" -1e38 ", b" 0 ", b" 0 0 0 rg ", b" 1 1 1 rg ",
    b" Td ", b" 0 0 0 0 0 0 Tm ", b" 1e9 0 0 1e9 0 0 cm ", b" q ", b" Q ", b" BT ", b" ET ", b"(\\", b"<FEFF00>",
    b" 0 Tz ", b" 3 Tr ", b" /F1 0 Tf ", b" /F1 -10 Tf ", b" /F2 10 Tf ", b"\x00", b"(From: a@b)", "(\u202e)".encode(),
    b"(Subject: x)", b"0 0 612 792 re f ", b"0 0 0.1 0.1 re f " * 50,
]  # fmt: skip


def printed_email_content(rng: random.Random) -> bytes:
    """A page's content stream as a print of an email looks: header lines, body, black boxes with codes."""
    ops = [b"BT /F1 10 Tf 54 740 Td 13 TL"]
    for _ in range(rng.randint(3, 40)):
        ops.append(b"(%s) '" % rng.choice(PRINTED_LINES))
    ops.append(b"ET")
    for _ in range(rng.randint(0, 6)):
        x, y, w = rng.randint(50, 500), rng.randint(60, 740), rng.randint(5, 200)
        ops.append(b"0 0 0 rg %d %d %d 11 re f" % (x, y, w))
        if rng.random() < 0.5:
            ops.append(b"BT 1 1 1 rg /F1 8 Tf %d %d Td ((b)(6)) Tj ET" % (x + 2, y + 2))
    return b"\n".join(ops)


def content_fuzzed_pdf(rng: random.Random) -> bytes:
    """Printed-email pages whose content streams are mutated, in a file whose structure stays valid: this
    reaches the text, box and splitting code that byte-mutated files, mostly refused at open, never reach."""
    pages = [mutate(printed_email_content(rng), rng, CONTENT_TOKENS) for _ in range(rng.randint(1, 4))]
    return raw_pdf(pages, media_box=rng.choice((b"0 0 612 792", b"0 0 612 792", b"0 0 0 0", b"-1e9 0 1e9 1")))


def zero_page_pdf() -> bytes:
    return raw_pdf([])


def tiny_pages_pdf(count: int = 10_000) -> bytes:
    """`count` 12-point pages of one character each: the page loop, not the text, is what is under test."""
    return raw_pdf([b"BT /F1 4 Tf 1 4 Td (%d) Tj ET" % (n % 10) for n in range(count)])


def page_tree_cycle_pdf() -> bytes:
    """A Pages node that lists itself as its own kid, claiming a billion pages."""
    return raw_pdf([b"BT ET"], kids_override=b"2 0 R 4 0 R", count_override=1_000_000_000)


def deflate_bomb(chunk: bytes, count: int, prefix: bytes = b"", gzip_format: bool = False) -> bytes:
    """zlib (or gzip) data inflating to `prefix` then `chunk` `count` times, quick to make however large:
    `chunk` is compressed once, flushed so that it stands alone, and its bytes repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15 if gzip_format else 15)
    first = packer.compress(prefix + chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    body = first + repeat * (count - 1) + b"\x03\x00"  # an empty final block
    checksum = zlib.crc32(prefix) if gzip_format else zlib.adler32(prefix)
    for _ in range(count):
        checksum = (zlib.crc32 if gzip_format else zlib.adler32)(chunk, checksum)
    if not gzip_format:
        return body + checksum.to_bytes(4, "big")
    size = (len(prefix) + len(chunk) * count) & 0xFFFFFFFF
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + body + checksum.to_bytes(4, "little") + size.to_bytes(4, "little")
    )


@cache
def flate_bomb_pdf(size: int = 4 << 30) -> bytes:
    """One page whose content stream inflates to `size` bytes of spaces (about 1 KB a MiB)."""
    return raw_pdf([deflate_bomb(b" " * (1 << 20), size >> 20)], stream_keys=b" /Filter /FlateDecode")


@cache
def gzip_bomb_mbox(size: int = 4 << 30) -> bytes:
    """A .mbox.gz whose one message inflates to `size` bytes of 1 KB lines."""
    head = b"From a@b.gov Mon Apr  1 00:00:00 2019\nFrom: a@b.gov\nSubject: bomb\n\n"
    return deflate_bomb((b"x" * 1023 + b"\n") * 1024, size >> 20, head, gzip_format=True)


def deep_array_pdf(depth: int = 100_000) -> bytes:
    """A content stream and a page dictionary nested `depth` levels deep (recursive-descent parsers)."""
    return raw_pdf([b"[" * depth + b"]" * depth]).replace(b"/Type /Page ", b"/Type /Page /X " + b"[" * depth, 1)


def broken_xref(data: bytes, rng: random.Random) -> bytes:
    """The cross-reference table lies: wrong startxref, garbled offsets, or no table at all."""
    at = data.rfind(b"startxref")
    if at < 0:
        return mutate(data, rng, PDF_TOKENS)
    choice = rng.randrange(4)
    if choice == 0:
        return data[:at] + b"startxref\n%d\n%%%%EOF\n" % rng.choice(
            (0, 1, len(data) * 2, 2**63, rng.randrange(len(data)))
        )
    if choice == 1:
        table = data.rfind(b"xref", 0, at)
        table = table if table >= 0 else at
        garbled = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            spot = rng.randrange(table, len(garbled))
            garbled[spot] = rng.choice(b"0123456789 fn\n")
        return bytes(garbled)
    if choice == 2:
        return data.replace(b"xref", b"xre\x00", 1)
    return data[:at]  # no startxref, no %%EOF


def pdf_case(rng: random.Random, big: bool = True) -> Case:
    """One hostile PDF: a mutated release most of the time, now and then one of the fixed monsters
    (`big`: with the 10,000-page and decompression-bomb ones, which take seconds and gigabytes)."""
    base = release_pdf(rng.randrange(6))
    pick = rng.random()
    if pick < 0.2:
        return "pdf-mutated", "mutated.pdf", mutate(base, rng, PDF_TOKENS)
    if pick < 0.3:
        return "pdf-truncated", "truncated.pdf", base[: rng.randrange(len(base))]
    if pick < 0.4:
        return "pdf-broken-xref", "xref.pdf", broken_xref(base, rng)
    if pick < 0.5:
        flipped = bytearray(base)
        for _ in range(rng.randint(1, 50)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        return "pdf-flipped", "flipped.pdf", bytes(flipped)
    if pick < 0.85:
        return "pdf-content-mutated", "content.pdf", content_fuzzed_pdf(rng)
    if pick < 0.88 and big:  # OCR takes seconds a page
        scan = bytearray(scanned_pdf(rng.randrange(2)))
        for _ in range(rng.randint(1, 30)):  # in place, so the xref stays right: the damage is in the images
            scan[rng.randrange(1024, len(scan) - 1024)] = rng.randrange(256)
        return "pdf-scanned-flipped", "scan.pdf", bytes(scan)
    fixed: list[tuple[str, Callable[[], bytes]]] = [
        ("pdf-encrypted-password", lambda: encrypted_pdf("user-secret")),
        ("pdf-encrypted-no-password", lambda: encrypted_pdf(None)),
        ("pdf-zero-pages", zero_page_pdf),
        ("pdf-page-tree-cycle", page_tree_cycle_pdf),
        ("pdf-deep-arrays", deep_array_pdf),
        ("pdf-not-really", lambda: b"%PDF-1.7\n" + rng.randbytes(rng.randint(0, 5000))),
    ]
    if big:
        fixed += [("pdf-10000-tiny-pages", tiny_pages_pdf), ("pdf-flate-bomb", flate_bomb_pdf)]
    label, make = rng.choice(fixed)
    return label, f"{label}.pdf", make()


# --- emails ----------------------------------------------------------------------------------------------

CHARSETS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "iso-8859-1", "gb2312", "shift_jis", "utf-7", "zlib",
            "base64", "rot13", "idna", "x-unknown", "", "utf-8\x00", "\xff", "punycode", "unicode_escape"]  # fmt: skip
ENCODINGS = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode", "bogus", ""]
SUBTYPES = ["mixed", "alternative", "related", "digest", "report", "signed", "encrypted", "x-junk"]
LEAF_TYPES = ["text/plain", "text/html", "application/pdf", "application/octet-stream", "image/png",
              "message/delivery-status", "text/rfc822-headers", "message/partial", "application/ms-tnef"]  # fmt: skip


def _random_text(rng: random.Random, size: int) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randbytes(size)
    if kind == 1:
        return "".join(
            chr(rng.choice((rng.randrange(32, 127), rng.randrange(0x80, 0x2FFFF)))) for _ in range(size)
        ).encode("utf-8", "surrogatepass")
    if kind == 2:
        return ("Ünïcödé text ‮ reversed " * (size // 20 + 1)).encode(rng.choice(("utf-16", "utf-16-be", "utf-32")))
    if kind == 3:
        return b"<html><body>" + b"<div><p><b>" * rng.randint(0, 3000) + b"text &amp; &#xD800; &#99999999;" + b"</p>"
    return bytes(rng.choice(b'abc \n\r\t\x00\xff=?<>"') for _ in range(size))


def _leaf(rng: random.Random) -> bytes:
    content_type = rng.choice(LEAF_TYPES)
    charset = rng.choice(CHARSETS)
    encoding = rng.choice(ENCODINGS)
    body = _random_text(rng, rng.randint(0, 3000))
    if encoding == "base64" and rng.random() < 0.7:
        body = base64.encodebytes(body)
    name = rng.choice((b"", b'; name="a.pdf"', b"; name*=utf-8''%E2%80%AE.pdf", b"; name=" + rng.randbytes(20)))
    disposition = rng.choice(
        (b"", b"Content-Disposition: attachment; filename=x.pdf\n", b"Content-Disposition: inline\n")
    )
    return (
        b'Content-Type: %s; charset="%s"%s\n' % (content_type.encode(), charset.encode("utf-8", "replace"), name)
        + b"Content-Transfer-Encoding: %s\n" % encoding.encode()
        + disposition
        + b"\n"
        + body
    )


def mime_tree(rng: random.Random, depth: int = 0) -> bytes:
    """A random MIME entity: multiparts (some with missing or wrong boundaries) over hostile leaves."""
    if depth > 4 or rng.random() < 0.4:
        return _leaf(rng)
    if rng.random() < 0.15:
        return b"Content-Type: message/rfc822\n\n" + random_email(rng, depth + 1)
    boundary = rng.choice((b"B%d" % depth, b"", b"=_\x00", b"a" * 300, b"--", b"\xff\xfe"))
    declared = boundary if rng.random() < 0.85 else b"WRONG"
    parts = [mime_tree(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    body = b"".join(b"--" + boundary + b"\n" + part + b"\n" for part in parts)
    if rng.random() < 0.8:
        body += b"--" + boundary + b"--\n"
    return b'Content-Type: multipart/%s; boundary="%s"\n\n' % (rng.choice(SUBTYPES).encode(), declared) + body


SENDERS = [b"Jane Doe <jane@agency.example.gov>", b'"Doe, J" <j@x>', b"=?utf-8?b?/w==?= <a@b>", b"<>", b"(((((",
           b"a@b" * 1000, b"Group: ;"]  # fmt: skip
RECIPIENTS = [b"a@b.gov", b"B <b@c>", b'"x\\"y" <q@r>', b":;", b"@@@", b"Doe, Jane <j@x>", b"undisclosed-recipients:;"]
SUBJECTS = [b"hello", b"=?utf-8?q?caf=C3=A9?=" * 20, b"=?x?b?####?=", b"=?utf-16?b?2D3cAA==?=", b"Re: " * 300]
DATES = [b"Tue, 04 Dec 2018 15:14:00 -0500", b"32/13/99999 99:99", b"Mon, 1 Jan 0000 00:00:00 +9999", b"", b"9" * 400]


def _headers(rng: random.Random) -> bytes:
    lines = [
        b"From: " + rng.choice([*SENDERS, rng.randbytes(40)]),
        b"To: " + b", ".join(rng.choice(RECIPIENTS) for _ in range(rng.randint(0, 20))),
        b"Subject: " + rng.choice([*SUBJECTS, rng.randbytes(30)]),
        b"Date: " + rng.choice(DATES),
        b"Message-ID: <" + rng.randbytes(rng.randint(0, 30)).replace(b">", b"") + b"@x>",
        b"MIME-Version: 1.0",
    ]
    rng.shuffle(lines)
    return b"\n".join(lines[: rng.randint(1, len(lines))]) + b"\n"


def random_email(rng: random.Random, depth: int = 0) -> bytes:
    return _headers(rng) + mime_tree(rng, depth)


def nested_rfc822(depth: int) -> bytes:
    """A message that attaches a message that attaches a message ... `depth` levels down."""
    inner = b"From: bottom@x.gov\nSubject: the bottom\n\nDeepest body.\n"
    for level in range(depth):
        inner = (
            b"From: level%d@x.gov\nSubject: level %d\nMIME-Version: 1.0\n"
            b"Content-Type: message/rfc822\nContent-Disposition: attachment\n\n" % (level, level) + inner
        )
    return inner


def nested_multipart(depth: int) -> bytes:
    head = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (n, n) for n in range(depth))
    tail = b"".join(b"\n--b%d--\n" % n for n in reversed(range(depth)))
    return b"From: a@b.gov\nSubject: deep\n" + head + b"Content-Type: text/plain\n\nbottom\n" + tail


_ABOUT = b"From: a@b.gov\nDate: Tue, 04 Dec 2018 15:14:00 -0500\n"
# Header shapes that cost parsers the most per byte (several were quadratic once): name -> size -> message.
HUGE_HEADERS: dict[str, Callable[[int], bytes]] = {
    "long-subject": lambda n: _ABOUT + b"Subject: " + b"x" * n + b"\n\nbody\n",
    "folded-subject": lambda n: _ABOUT + b"Subject: " + b"word\n " * (n // 6) + b"\n\nbody\n",
    "many-headers": lambda n: _ABOUT + b"X-H: v\n" * (n // 7) + b"\nbody\n",
    "group-colons": lambda n: _ABOUT + b"To: " + b"a@b:" * (n // 4) + b"\n\nb\n",
    "open-comments": lambda n: _ABOUT + b"To: " + b"(" * n + b"\n\nb\n",
    "open-angles": lambda n: _ABOUT + b"To: " + b"<" * n + b"\n\nb\n",
    "open-quotes": lambda n: _ABOUT + b"To: " + b'"a", ' * (n // 5) + b"\n\nb\n",
    "bare-names": lambda n: _ABOUT + b"To: " + b"a, " * (n // 3) + b"<z@b>\n\nb\n",
    "encoded-words": lambda n: _ABOUT + b"Subject: " + b"=?utf-8?q?=C3=A9?= " * (n // 20) + b"\n\nbody\n",
    "references": lambda n: _ABOUT + b"References: " + b"<a@b> " * (n // 6) + b"\n\nbody\n",
    "parameters": lambda n: _ABOUT + b"Content-Type: text/plain" + b"; a=b" * (n // 5) + b"\n\nbody\n",
    "boundary": lambda n: (
        _ABOUT + b"Content-Type: multipart/mixed; boundary=" + b"b" * n + b"\n\n--" + b"b" * n + b"\n"
    ),
}


def huge_headers(rng: random.Random, big: bool = True) -> bytes:
    """Headers megabytes long (`big`; else up to 256 KB), of one of the costly shapes."""
    size = rng.choice((1 << 16, 1 << 20, 4 << 20) if big else (1 << 12, 1 << 16, 1 << 18))
    return HUGE_HEADERS[rng.choice(sorted(HUGE_HEADERS))](size)


def deep_html(rng: random.Random, big: bool = True) -> bytes:
    """An HTML body of lists or quotes nested thousands deep: each level indents every line below it."""
    depth = rng.choice((100, 5_000, 100_000) if big else (100, 2_000))
    tag = rng.choice((b"<ul><li>", b"<ol><li>", b"<blockquote>", b"<dl><dd>", b"<table><tr><td>", b"<div>"))
    return b"From: a@b.gov\nSubject: html\nContent-Type: text/html\n\n" + tag * depth + b"text"


def email_case(rng: random.Random, big: bool = True) -> Case:
    """One hostile .eml: random MIME, mutated MIME, huge headers, NULs, bad encodings or deep nesting."""
    pick = rng.random()
    if pick < 0.4:
        data, label = random_email(rng), "eml-random-mime"
    elif pick < 0.68:
        data, label = mutate(random_email(rng), rng, MAIL_TOKENS), "eml-mutated"
    elif pick < 0.76:
        data, label = huge_headers(rng, big), "eml-huge-headers"
    elif pick < 0.82:
        raw = bytearray(random_email(rng))
        for _ in range(rng.randint(1, 200)):
            raw.insert(rng.randrange(len(raw) + 1), 0)
        data, label = bytes(raw), "eml-nuls"
    elif pick < 0.88:
        body = rng.choice(("Résumé ‮txt.exe".encode("utf-16"), b"\xff\xfe\x00\xd8", b"\xc3\x28\xa0\xa1\xed\xa0\x80"))
        header = rng.choice((b"Subject: \xff\xfe\xc3(\n", "Subject: ‮".encode("utf-16-le") + b"\n"))
        charset = rng.choice(CHARSETS).encode("utf-8", "surrogateescape")
        data = b"From: a@b.gov\n" + header + b"Content-Type: text/plain; charset=" + charset + b"\n\n" + body * 50
        label = "eml-bad-unicode"
    elif pick < 0.93:
        data, label = nested_rfc822(rng.choice((50, 51, 200, 1000) if big else (50, 51, 200))), "eml-nested-rfc822"
    elif pick < 0.96:
        depth = rng.choice((50, 200, 2000) if big else (50, 200))
        data, label = nested_multipart(depth), "eml-nested-multipart"
    else:
        data, label = deep_html(rng, big), "eml-deep-html"
    return label, f"{label}.eml", data


def mbox_case(rng: random.Random, big: bool = True) -> Case:
    """An mbox of hostile messages, broken separators, ">From" lines, gzip that stops early (or a gzip bomb)."""
    if big and rng.random() < 0.02:
        return "mbox-gzip-bomb", "bomb.mbox.gz", gzip_bomb_mbox()
    parts = []
    for _ in range(rng.randint(1, 8)):
        separator = rng.choice((b"From a@b.gov Mon Apr  1 00:00:00 2019\n", b"From \n", b"From x Tue Dec 4 15:14\n",
                                b"From " + rng.randbytes(20) + b"\n"))  # fmt: skip
        message = email_case(rng, big=False)[2] if rng.random() < 0.7 else rng.randbytes(rng.randint(0, 2000))
        parts.append(separator + message + b"\n")
    data = b"".join(parts)
    if rng.random() < 0.3:
        data = mutate(data, rng, MAIL_TOKENS)
    if rng.random() < 0.3:
        data = gzip.compress(data, compresslevel=1)
        if rng.random() < 0.5:
            data = data[: rng.randrange(len(data))]
        return "mbox-gzip", "hostile.mbox.gz", data
    return "mbox", "hostile.mbox", data


def msg_case(rng: random.Random, big: bool = True) -> Case:
    """The real Outlook .msg from the mail-parser corpus, mutated (callers skip when `outlook_msg()` is empty)."""
    original = outlook_msg()
    pick = rng.random()
    if pick < 0.2:
        return "msg-truncated", "cut.msg", original[: rng.randrange(len(original))]
    if pick < 0.6:
        flipped = bytearray(original)
        for _ in range(rng.randint(1, 40)):
            spot = rng.randrange(512) if rng.random() < 0.3 else rng.randrange(len(flipped))  # the OLE header too
            flipped[spot] = rng.randrange(256)
        return "msg-flipped", "flipped.msg", bytes(flipped)
    tokens = [b"\xff\xff\xff\xff", b"\xfe\xff\xff\xff", b"\xfd\xff\xff\xff", b"\x00" * 512, b"\x01\x00\x00\x00"]
    return "msg-mutated", "mutated.msg", mutate(original, rng, tokens)


@cache
def outlook_msg() -> bytes:
    return OUTLOOK_MSG.read_bytes() if OUTLOOK_MSG.is_file() else b""


CASES: dict[str, Callable[[random.Random, bool], Case]] = {
    "eml": email_case,
    "maildir": email_case,
    "mbox": mbox_case,
    "msg": msg_case,
    "pdf": pdf_case,
}
