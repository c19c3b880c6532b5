"""Subject lines as threading sees them: reply/forward prefixes and tags stripped, whitespace folded."""

from __future__ import annotations

import re

_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|sv|vs|antw|fwd?|fw|wg|tr|rv)\s*(?:\[\d+\])?\s*:|\[(?:external|ext|caution)[^\]]*\]|"
    r"\*\*?external\*?\*?:?|external\s*:)\s*",
    re.IGNORECASE,
)
_FORWARD = re.compile(r"^\s*(?:fwd?|fw|wg|tr)\s*:", re.IGNORECASE)
_REPLY = re.compile(r"^\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)


def normalise_subject(subject: str | None) -> str:
    """'RE: FW: [EXTERNAL]  Clearview  trial' -> 'clearview trial'."""
    text = subject or ""
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.split()).casefold()


def is_reply_or_forward(subject: str | None) -> bool:
    """True when the printed subject carries a reply or forward prefix (after any [EXTERNAL] tag)."""
    text = subject or ""
    while True:
        if _REPLY.match(text) or _FORWARD.match(text):
            return True
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return False
        text = stripped
