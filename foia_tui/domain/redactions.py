"""The redaction marker: how a box drawn over a released page stands in a stored body, and how it is read.

The PDF importer writes it (`importers.pdf_redactions.marker`: "█[REDACTED (b)(6)]█", or "█[REDACTED]█" for a
box without a code). Importers import nothing of foia_tui, so the writer stays there as part of the importer's
output contract; every reader in foia_tui takes its pattern from here, and tests/test_layers.py checks that what
the writer writes is what these patterns read.
"""

from __future__ import annotations

import re

MARKER_START = "█["  # a body holds a box if it holds this
MARKER = re.compile(r"█\[[^\]█\n]*\]█")
CODED_MARKER = re.compile(r"█\[REDACTED(?: ([^\]\n]{1,80}))?\]█")  # group 1: the exemption code, if printed
PRINTED_BOX = re.compile(r"█[^█\n]{0,80}█|█+")  # a marker, or a box some other producer printed as blocks


def is_marker(token: str) -> bool:
    """Whether a token of a body is a whole marker (not a stray block character)."""
    return token.startswith(MARKER_START) and len(token) > 3


def marker_code(marker: str) -> str | None:
    """'█[REDACTED (b)(6)]█' -> '(b)(6)'; a box printed without a code -> None."""
    inner = marker[2:-2].strip()
    word, _, rest = inner.partition(" ")
    if word.upper() in ("REDACTED", "WITHHELD"):
        return rest.strip() or None
    return inner or None
