"""Correspondents as releases print them: "Last, First <addr>", "First Last", bare addresses, redacted ones.

Printed lists are split on ";" or "," but a comma inside "Last, First" does not start a new person, and
nothing inside <>, [], () or quotes is ever a separator (redaction markers carry commas between codes).
"""

from __future__ import annotations

import re

from importers.records import Address

_ANGLE_RE = re.compile(r"^(?P<name>.*?)\s*<(?P<addr>[^<>]*)>\s*(?P<rest>.*)$")
_MAILTO_RE = re.compile(r"^(?P<name>.*?)\s*\[mailto:(?P<addr>[^\]]*)\]\s*$", re.IGNORECASE)
_BARE_RE = re.compile(r"^[^\s@<>,;]+@[^\s@<>,;]+$")
_PAREN_NAME_RE = re.compile(r"^(?P<addr>[^\s@<>]+@[^\s@<>]+)\s*\((?P<name>[^()]*)\)$")
_BEHALF_RE = re.compile(r"^(?P<mailbox>.+?)\s+on\s+behalf\s+of\s+(?P<person>.+)$", re.IGNORECASE)
_MARKER_RE = re.compile(r"█\[[^\]]*\]█|█+")
_SUFFIX = r"(?:jr|sr|ii|iii|iv|v|esq)\.?"
_PARTICLE = r"(?:van|von|de|del|della|der|di|da|du|la|le|st\.?|mac|mc|o')"
_SURNAME_RE = re.compile(rf"(?:{_PARTICLE}\s+)*[A-Za-z][\w'\.-]*(?:\s+{_SUFFIX})?", re.IGNORECASE)
_CODE_ONLY_RE = re.compile(r"^\(?\s*(?:\(b\)\s*\(\d\)(?:\s*\([a-f]\))?|pol\s*87|redacted|withheld|b\d)", re.I)


def _clean(text: str) -> str:
    """Whitespace folded, surrounding quotes off, and a list's stray end (";" or OCR's ":" for it) dropped."""
    return re.sub(r"\s+", " ", text).strip().strip("'\"").strip().rstrip(":;").rstrip()


def _behalf(raw: str) -> Address | None:
    """Outlook's "mailbox On Behalf Of Person": the person wrote it, from the mailbox's address."""
    match = _BEHALF_RE.match(raw)
    if not match:
        return None
    person, mailbox = parse_address(match.group("person")), parse_address(match.group("mailbox"))
    return Address(name=person.name or mailbox.name, email=person.email or mailbox.email, raw=raw)


def _partly_boxed(raw: str) -> Address | None:
    """A name with a box beside it (the address boxed, "Doe, Jane █[REDACTED]█"): the visible name, still
    marked as redacted through `raw`."""
    if "█" not in raw:
        return None
    visible = _clean(re.sub(r"[\[<(]\s*[\]>)]", " ", _MARKER_RE.sub(" ", raw)))
    if not re.search(r"[^\W\d_]{2}", visible):
        return None
    found = parse_address(visible)
    return Address(name=found.name, email=found.email, raw=raw)


# An underlined link cuts the tails of letters at 300 dpi: OCR reads ".org" as ".ors" or ".ore", and the
# underline under "@" as a bracket before it
_TLD_MISREADS_RE = re.compile(r"\.(?:or[se]|orq|0rg)$|\.(?:corn|c0m)$", re.IGNORECASE)
_TLD_FIXED = {"o": ".org", "0": ".org", "c": ".com"}


def _ocr_address(addr: str) -> str:
    """An address as OCR read it, put right: no spaces (OCR puts them around "@"), the misread endings of
    underlined links (".ors", ".corn") and a bracket read before "@"."""
    addr = re.sub(r"\s+", "", addr)
    addr = re.sub(r"[(\[{]@", "@", addr)
    return _TLD_MISREADS_RE.sub(lambda m: _TLD_FIXED[m.group(0)[1].lower()], addr)


def parse_address(text: str) -> Address:
    """One correspondent; the printed form is always kept in `raw`."""
    raw = _clean(text)
    special = _behalf(raw) or _partly_boxed(raw)
    if special is not None:
        return special
    for pattern in (_MAILTO_RE, _ANGLE_RE):
        match = pattern.match(raw)
        if match:
            name = _clean(match.group("name")) or None
            addr = _clean(match.group("addr")) or None
            if addr and "@" in addr and "█" not in addr:
                addr = _ocr_address(addr)
            return Address(name=name, email=addr, raw=raw)
    match = _PAREN_NAME_RE.match(raw)
    if match:
        return Address(name=_clean(match.group("name")) or None, email=match.group("addr"), raw=raw)
    if _BARE_RE.match(raw):
        return Address(email=raw.strip("."), raw=raw)
    if _CODE_ONLY_RE.match(raw) and "█" not in raw:
        # An exemption code printed instead of a name: show it as a redaction, not as a person.
        return Address(name=f"[REDACTED {raw}]" if "redact" not in raw.lower() else raw, raw=raw)
    return Address(name=raw or None, raw=raw)


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, depth, quote, current = [], 0, False, []
    for char in text:
        if char == '"':
            quote = not quote
        elif not quote and char in "<[(":
            depth += 1
        elif not quote and char in ">])" and depth:
            depth -= 1
        if char in separators and depth == 0 and not quote:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def _is_surname(part: str) -> bool:
    """A surname before a comma, as in "Doe, Jane", "Buckley Jr, Robert C." or "van Dyke, Ann": the
    comma is inside one name."""
    return bool(_SURNAME_RE.fullmatch(part)) and "@" not in part


def _starts_like_given_name(part: str) -> bool:
    return bool(re.match(r"[A-Z][\w'\.-]*(\s|$|<|\(|\[)", part)) and "@" not in re.split(r"[<\[(]", part)[0]


def parse_address_list(text: str | None) -> list[Address]:
    """All correspondents in a printed To/Cc line, in printed order."""
    if not text or not text.strip():
        return []
    text = re.sub(r"█\s*█", "█; █", text)  # two boxes side by side hide two people
    if ";" in text:
        chunks = _split_outside_brackets(text, ";")
    else:
        pieces = _split_outside_brackets(text, ",")
        chunks = []
        i = 0
        while i < len(pieces):
            piece = pieces[i]
            if i + 1 < len(pieces) and _is_surname(piece) and _starts_like_given_name(pieces[i + 1]):
                piece = f"{piece}, {pieces[i + 1]}"
                i += 1
            chunks.append(piece)
            i += 1
    return [parse_address(chunk) for chunk in chunks if _clean(chunk)]
