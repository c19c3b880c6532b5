"""Document text made literal for the formats it is exported in: Markdown, CSV cells and JSON strings.

Released documents are hostile input: a body may hold Markdown, a spreadsheet formula or a bidi control, and each
must show as the text it is, never act.
"""

from __future__ import annotations

import json
import re

from foia_tui.domain.display import controls_shown

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_LINE_START = re.compile(r"^([>+\-=:])|^(\d+)([.)])")


def md_escape_line(line: str) -> str:
    """One line of document text as literal Markdown: no emphasis, links, code, tables, HTML or block markers."""
    if not line.strip():
        return ""
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)].replace("\t", "    ").replace(" ", "\u00a0")  # no code blocks
    body = body.replace("&", "&amp;").replace("<", "&lt;")
    body = _INLINE_SPECIAL.sub(r"\\\1", body)
    body = _LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", body)
    return indent + body.rstrip()


def md_inline(text: str | None) -> str:
    """Document text on one Markdown line (a heading, a citation)."""
    return md_escape_line(" ".join(controls_shown(text or "").split()))


def md_block(text: str) -> list[str]:
    """Document text as escaped Markdown lines, line structure kept."""
    return [md_escape_line(line) for line in controls_shown(text).split("\n")]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading apostrophe stops =, +, -, @, tab and CR starting a formula."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _json_visible(match: re.Match) -> str:
    return json.dumps(match.group())[1:-1]


# Characters JSON leaves raw but a terminal or viewer may act on: C1 controls, bidi and other format characters,
# and lone surrogates (no UTF-8 writer takes them).
_JSON_HIDDEN = re.compile(
    "[\u0080-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb]"
)


def json_visible(text: str) -> str:
    """JSON text with the characters a terminal or viewer may act on written as escapes."""
    return _JSON_HIDDEN.sub(_json_visible, text)


def storable(text: str) -> str:
    """Text SQLite can store, from a file name or argument that was not UTF-8: each byte Python kept as a lone
    surrogate (surrogateescape) written as a visible \\xff, everything else unchanged."""
    if text.isascii():
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no byte stands for
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


# --- Markdown that stays readable: escape only what CommonMark (and GFM tables, strikethrough) would act on ---

_ASCII_PUNCT = r"!-/:-@\[-`{-~"
_EMAIL_CHARS = r"A-Za-z0-9.!#$%&'*+/=?^_`{|}~-"
_NEEDED = re.compile(
    rf"\\(?=[{_ASCII_PUNCT}]|$)"  # a backslash that would escape what follows it, or break the line
    r"|[*`~]"  # emphasis, code spans and fences, strikethrough
    r"|(?P<underscores>(?<!_)_+(?!_))"  # kept inside a word (snake_case, file_names), escaped elsewhere
    rf"|<(?=[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|/[A-Za-z]|[!?]|[A-Za-z][A-Za-z0-9+.-]{{1,31}}:|[{_EMAIL_CHARS}]+@)"
    r"|&(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"  # an entity that would be decoded
    r"|\](?=\()"  # the end of an inline link or image
    r"|(?<=[ \t])#(?=#*[ \t]*$)"  # a closing sequence a heading would drop
)
_NEEDED_IN_LINK_TEXT = re.compile(_NEEDED.pattern + r"|[\[\]]")  # a link's text: every bracket too
_BLOCK_STARTS = (
    re.compile(r"^(?=#{1,6}(?:[ \t]|$))"),  # ATX heading
    re.compile(r"^(?=[>\[])"),  # block quote, link reference definition or footnote
    re.compile(r"^(?=[-+](?:[ \t]|$))"),  # bullet list
    re.compile(r"^(?=-[- \t]*$|=+[ \t]*$)"),  # thematic break or setext underline
    re.compile(r"^\d{1,9}(?=[.)](?:[ \t]|$))"),  # ordered list: the backslash goes before its '.' or ')'
)
_TABLE_DELIMITER = re.compile(r"[|:\- \t]*")


def _escape(match: re.Match) -> str:
    if match.group("underscores"):
        text, start, end = match.string, match.start(), match.end()
        if start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
            return match.group()
    return "".join("\\" + char for char in match.group())


def md_text(line: str, *, link_text: bool = False) -> str:
    """One line of document text as literal Markdown, escaped only where a renderer would otherwise act:
    `C:\\Users`, `file_name.pdf`, `(b)(6)` and `a < b` stay as they are; `*`, `<b>`, `# ` at a line's start do not."""
    if not line.strip():
        return ""
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)].replace("\t", "    ").replace(" ", "\u00a0")  # no code blocks
    body = (_NEEDED_IN_LINK_TEXT if link_text else _NEEDED).sub(_escape, body.rstrip())
    if "|" in body and "-" in body and _TABLE_DELIMITER.fullmatch(body):
        body = body.replace("|", "\\|")  # a table's delimiter row: without it no table forms
    for pattern in _BLOCK_STARTS:
        match = pattern.match(body)
        if match:
            body = body[: match.end()] + "\\" + body[match.end() :]
            break
    return indent + body


def md_line(text: str | None, *, link_text: bool = False) -> str:
    """Document text on one Markdown line (a heading, a citation), its line breaks made spaces."""
    return md_text(" ".join(controls_shown(text or "").split()), link_text=link_text)


def md_lines(text: str) -> list[str]:
    """Document text as literal Markdown lines, its line structure kept."""
    return [md_text(line) for line in controls_shown(text).split("\n")]
