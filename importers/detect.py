"""Choose the importer for a path by its content first and its name second."""

from __future__ import annotations

import gzip
import importlib
import re
from collections.abc import Callable
from pathlib import Path

from importers.records import DocumentRecord, UnreadableFile

Parser = Callable[[Path], DocumentRecord]

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?", re.MULTILINE)
MAIL_SUFFIXES = {".eml", ".msg", ".mbox", ".pdf", ".gz", ".txt", ""}


def sniff_kind(path: Path) -> str | None:
    """'pdf', 'msg', 'mbox' or 'eml' from the first bytes (and the name, for gzip); None if it is none of them."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise UnreadableFile(f"cannot read ({error.strerror})") from None
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "msg"
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as handle:
                inner = handle.read(64)
        except (OSError, EOFError):
            return None
        return "mbox" if inner.startswith(b"From ") else None
    if head.startswith(b"From "):
        return "mbox"
    if path.suffix.lower() == ".msg":
        return "msg"
    if path.suffix.lower() == ".eml" or len(_HEADER_LINE.findall(head[:2048])) >= 2:
        return "eml"
    return None


IMPORTER_MODULES = {"pdf": "pdf", "msg": "msg", "mbox": "mbox", "eml": "eml", "maildir": "maildir"}


def parser_for(kind: str) -> Parser:
    """The entry point of the importer module for a kind, imported on first use: workers load only what they need."""
    return importlib.import_module(f"importers.{IMPORTER_MODULES[kind]}").parse
