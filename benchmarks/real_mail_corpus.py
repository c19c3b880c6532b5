"""Build a 20,000-message maildir from real list mail (issue 20): the notmuch test maildirs, the fedora-devel
mbox and mail-parser's captured messages, read in place under ../shared/corpora, copied as many times as it
takes. Bodies stay byte for byte as sent; each copy gets its own Message-IDs (In-Reply-To and References
rewritten to match), dates moved by 37 days per copy and an X-Bench-Copy header, so no two files are
byte-identical and no thread crosses copies. A JSON-lines truth beside it gives each message's thread by
its headers (the copy, and the root of its In-Reply-To / References chain).

    python benchmarks/real_mail_corpus.py [--count 20000] [--out /tmp/foia-realmail-20000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import mailbox
import re
import sys
import tempfile
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
ID_HEADERS = (b"message-id", b"in-reply-to", b"references")
MESSAGE_ID = re.compile(rb"<([^<>\s]+)>")
HEADER_END = re.compile(rb"\r?\n\r?\n")


def sources() -> list[bytes]:
    """Every real message under the corpora this benchmark reads (Outlook .msg files left out: notmuch can't)."""
    found = [p.read_bytes() for p in sorted((CORPORA / "notmuch").rglob("*")) if p.is_file() and _is_mail(p)]
    found += [p.read_bytes() for p in sorted((CORPORA / "mail-parser").iterdir()) if _is_mail(p)]
    with tempfile.NamedTemporaryFile(suffix=".mbox") as unpacked:
        unpacked.write(gzip.decompress((CORPORA / "fedora-devel-mbox" / "2010-January.txt.gz").read_bytes()))
        unpacked.flush()
        found += [message.as_bytes() for message in mailbox.mbox(unpacked.name)]
    return list(dict.fromkeys(found))  # a few files sit in two of notmuch's corpora: once each


def _is_mail(path: Path) -> bool:
    return path.is_file() and path.name not in {"README", "SOURCE.txt"} and "outlook" not in path.name


def _header_lines(head: bytes) -> list[tuple[bytes, bytes]]:
    """(lower-cased name of the header a line belongs to, the line), continuation lines included."""
    lines, name = [], b""
    for line in head.splitlines(keepends=True):
        if line[:1] not in (b" ", b"\t"):
            name = line.split(b":", 1)[0].strip().lower()
        lines.append((name, line))
    return lines


def variant(raw: bytes, copy: int) -> bytes:
    """Copy `copy` of a message: its own ids, its date moved, marked; the body untouched."""
    cut = HEADER_END.search(raw)
    head, rest = (raw[: cut.start()], raw[cut.start() :]) if cut else (raw, b"")
    out = [f"X-Bench-Copy: {copy}\n".encode()]
    for name, line in _header_lines(head):
        if name in ID_HEADERS:
            line = MESSAGE_ID.sub(lambda m: b"<c%d." % copy + m.group(1) + b">", line)
        elif name == b"date" and copy:
            line = _moved_date(line, copy)
        out.append(line)
    return b"".join(out) + rest


def _moved_date(line: bytes, copy: int) -> bytes:
    try:
        sent = parsedate_to_datetime(line.split(b":", 1)[1].decode("ascii", "replace").strip())
    except (TypeError, ValueError, IndexError):
        return line
    return f"Date: {format_datetime(sent + timedelta(days=37 * copy))}\n".encode()


def ids_of(raw: bytes) -> tuple[str | None, list[str]]:
    """A message's own id and the ids it answers (In-Reply-To then References), as printed."""
    cut = HEADER_END.search(raw)
    own, parents = None, []
    for name, line in _header_lines(raw[: cut.start()] if cut else raw):
        found = [m.decode("ascii", "replace") for m in MESSAGE_ID.findall(line)]
        if name == b"message-id" and found and own is None:
            own = found[0]
        elif name in (b"in-reply-to", b"references"):
            parents += found
    return own, parents


def thread_roots(messages: list[bytes]) -> list[str | None]:
    """The thread each message belongs to by its headers alone (union of every id it names)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    named = [ids_of(raw) for raw in messages]
    for own, parents in named:
        for other in parents:
            if own:
                parent[root(other)] = root(own)
    return [root(own) if own else None for own, _ in named]


def build(out: Path, count: int) -> int:
    """Write the maildir and its truth; how many messages were written."""
    originals = sources()
    roots = thread_roots(originals)
    (out / "cur").mkdir(parents=True, exist_ok=False)
    for folder in ("new", "tmp"):
        (out / folder).mkdir()
    with out.with_name(out.name + ".truth.jsonl").open("w") as truth:
        for n in range(count):
            copy, index = divmod(n, len(originals))
            (out / "cur" / f"{copy:03d}.{index:04d}:2,").write_bytes(variant(originals[index], copy))
            own, _ = ids_of(originals[index])
            if own is not None and roots[index] is not None:
                truth.write(json.dumps({"message_id": f"c{copy}.{own}", "thread": f"{copy}:{roots[index]}"}) + "\n")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/foia-realmail-20000"))
    args = parser.parse_args()
    if not CORPORA.exists():
        sys.exit(f"no corpora at {CORPORA}")
    if args.out.exists():
        sys.exit(f"{args.out} exists: remove it first")
    print(f"wrote {build(args.out, args.count):,} messages to {args.out}")


if __name__ == "__main__":
    main()
