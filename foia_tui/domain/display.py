"""The one way document text reaches a terminal: controls made visible, bidi tricks neutralised, size bounded.

Text from emails and PDFs is untrusted. Widgets show the result of `safe_text` as plain `rich.text.Text`
(never parsed as markup), and the CLI prints it as it is; neither can then be steered by an escape sequence.
"""

from __future__ import annotations

import os
import unicodedata

from rich.text import Text

MAX_BODY_CHARS = 200_000
MAX_LINE_CHARS = 2_000
TRUNCATED = "… [truncated: {hidden:,} more characters]"

# Bidi overrides and isolates can make text read differently from how it is stored (CVE-2021-42574).
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def _visible(char: str) -> str:
    if char in "\n\t":
        return char
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape (a file name)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL …
    if code == 0x7F:
        return "␡"
    if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co"):
        return f"<U+{code:04X}>"
    return char


def controls_shown(text: str) -> str:
    """Text with line ends made \\n and every other control, bidi or format character visible; nothing cut
    (for writers such as the Markdown export that bound size their own way)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.isprintable() else "".join(_visible(c) for c in text)


def name_shown(name: str | os.PathLike[str] | None) -> str:
    """A file name, path, tag or release name on one line as stored, every control visible: a name holding a
    line break shows it as ␊ rather than printing a line of its own (a fake "foia: …" line)."""
    text = os.fspath(name) if name is not None else ""
    if text.isprintable():
        return text
    return "".join(chr(0x2400 + ord(c)) if c in "\n\r\t" else _visible(c) for c in text)


def safe_text(text: str | None, limit: int = MAX_BODY_CHARS) -> str:
    """Document text as it may be shown: every control character visible, long lines and bodies cut."""
    if not text:
        return ""
    hidden = max(0, len(text) - limit)
    text = controls_shown(text[:limit])
    if len(text) > MAX_LINE_CHARS and any(len(line) > MAX_LINE_CHARS for line in text.split("\n")):
        text = "\n".join(
            line
            if len(line) <= MAX_LINE_CHARS
            else line[:MAX_LINE_CHARS] + TRUNCATED.format(hidden=len(line) - MAX_LINE_CHARS)
            for line in text.split("\n")
        )
    if hidden:
        text += "\n" + TRUNCATED.format(hidden=hidden)
    return text


def one_line(text: str | None, width: int | None = None) -> str:
    """A single safe line (for lists and headers), cut to `width` with an ellipsis."""
    line = " ".join(safe_text(text, 4 * (width or 500)).split())
    if width and len(line) > width:
        line = line[: max(width - 1, 0)] + "…"
    return line


def middle_cut(text: str | None, width: int) -> str:
    """A single safe line cut in its middle to `width`, so names that share a long start stay apart
    ("NYPD-FOIL-2020-0001…PART 3.pdf" and "…PART 4.pdf")."""
    line = one_line(text)
    if len(line) <= width:
        return line
    tail = max((width - 1) // 3, 0)  # names part at their ends ("PART 3"), and are read from their starts
    return line[: max(width - 1 - tail, 0)] + "…" + (line[-tail:] if tail else "")


def safe_rich(text: str | None, style: str = "", limit: int = MAX_BODY_CHARS) -> Text:
    """A Rich Text of document text: literal characters, never markup."""
    return Text(safe_text(text, limit), style=style)
