"""Black boxes turned into text: the code each carries, the text each fails to hide, and its marker.

A box is a filled dark rectangle (vector path or solid black image) over the text area. Light text
inside it is its printed label (an exemption code); dark text under it is still in the text layer: a
failed redaction, reported as `leaked_text` and never put back into the body. Each box becomes a marker
such as "█[REDACTED (b)(6)]█" at its place in the line it stands on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from importers.pdf_boxes import Box
from importers.pdf_layout import Line, Unit
from importers.records import RedactionRecord

# wide enough to catch codes that do not exist ("(b)(10)", "(b)(7)(G)"): the redaction log flags them
CODE_RE = re.compile(
    r"""
    \(b\)\s*\(\s*\d{1,2}\s*\)(?:\s*\(\s*[A-Za-z]\s*\))*
  | \bb\s*\(\s*\d{1,2}\s*\)(?:\s*\(\s*[A-Za-z]\s*\))*
  | (?:\bPOL|Public\s+Officers\s+Law|§)\s*§?\s*87\s*\(\s*2\s*\)\s*\(\s*[a-zA-Z]\s*\)(?:\s*\(\s*[ivx]+\s*\))?
  | \bB[1-9](?:\s*\(\s*[A-F]\s*\))?\b
  | \bEx(?:emption|\.)?\s*[1-9]\b
  | \bRedacted\b | \bWithheld\b
    """,
    re.VERBOSE | re.IGNORECASE,
)
MARKER_RE = re.compile(r"█\[[^\]]*\]█")
_ART_BAND = 0.12
_LABEL_WORDS_RE = re.compile(r"\b(?:redact|withheld|exempt|privilege|confidential|sensitive)\w*", re.IGNORECASE)
# a date under a box: when every box of a page shows only a date, they are stamps the boxes were cut
# around (x-ray's users found these), not failed redactions
_DATE_STAMP_RE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})\b",
    re.IGNORECASE,
)


def marker(code: str | None) -> str:
    """The text a box leaves in the body."""
    return f"█[REDACTED {code}]█" if code and code.lower() != "redacted" else "█[REDACTED]█"


def find_codes(text: str) -> str | None:
    """Exemption codes printed in `text`, joined as printed ("(b)(6), (b)(7)(C)"), or None."""
    codes = [re.sub(r"\s+", " ", m.group(0)).strip() for m in CODE_RE.finditer(text)]
    return ", ".join(dict.fromkeys(codes)) or None


def _covers(box: Box, unit: Unit) -> bool:
    cx, cy = (unit.x0 + unit.x1) / 2, (unit.top + unit.bottom) / 2
    return box.x0 - 0.5 <= cx <= box.x1 + 0.5 and box.top - 1 <= cy <= box.bottom + 1


def _touches(box: Box, line: Line) -> bool:
    height = max(1.0, line.bottom - line.top)
    return min(box.bottom, line.bottom) - max(box.top, line.top) >= 0.45 * min(height, box.bottom - box.top)


def leak_text(hidden: list[str], label: str = "") -> str | None:
    """Readable text under a box, unless it is only filler ("XXXX", a dot, one character) or the box's
    own label ("Privileged", "(b)(6)", "REDACTED", the code printed in it)."""
    text = re.sub(r"\s+", " ", "".join(hidden)).strip()
    alnum = [c for c in text if c.isalnum()]
    if len(alnum) < 2 or len(set(c.lower() for c in alnum)) < 2:
        return None
    rest = _LABEL_WORDS_RE.sub("", CODE_RE.sub("", text))
    for word in (w for w in label.split() if len(w) >= 3):
        rest = rest.replace(word, "")
    if not any(c.isalnum() for c in rest):
        return None
    return text


def _leak(box: Box) -> str | None:
    """What a box fails to hide: the leak audit's finding when it ran, else the characters the line
    reader put under it."""
    return leak_text(box.audited if box.audited is not None else box.hidden, "".join(box.label))


class _Builder:
    """Rebuilds a line from visible units and markers, spacing markers like words."""

    def __init__(self, joiner: str) -> None:
        self.joiner, self.out, self.after_marker = joiner, "", False

    def add(self, text: str) -> None:
        if text.isspace():
            if self.out and not self.out.endswith(" "):
                self.out += " "
            return
        if self.after_marker:  # punctuation sticks to the box it follows, words stand apart from it
            if not self.out.endswith(" ") and text[0] not in ".,;:)!?'\"":
                self.out += " "
        elif self.joiner and self.out and not self.out.endswith(" "):
            self.out += self.joiner
        self.out += text
        self.after_marker = False

    def mark(self, text: str) -> int:
        if self.out and not self.out.endswith(" ") and self.out[-1] not in "-(/$@#":
            self.out += " "
        offset = len(self.out)
        self.out += text
        self.after_marker = True
        return offset


def apply_boxes(
    lines: list[Line],
    boxes: list[Box],
    page: int,
    height: float,
    units_for: Callable[[Line, list[Box]], list[Unit]],
) -> list[Line]:
    """Lines with each box turned into a marker (with its code) and hidden text taken out."""
    if not boxes:
        return lines
    touched = {i: [b for b in boxes if _touches(b, line)] for i, line in enumerate(lines)}
    touched = {i: bs for i, bs in touched.items() if bs}
    units = {i: units_for(lines[i], bs) for i, bs in touched.items()}
    owners = {i: [next((b for b in touched[i] if _covers(b, u)), None) for u in units[i]] for i in touched}
    for i, line_boxes in touched.items():
        for unit, box in zip(units[i], owners[i], strict=True):
            if box is None:
                continue
            if unit.text.isspace():
                box.label.append(" ")
                box.hidden.append(" ")
            else:
                (box.label if unit.light else box.hidden).append(unit.text + lines[i].joiner)
        for box in line_boxes:
            box.hidden.append(" ")
    beside_text: set[int] = set()  # boxes set in a line that has visible words too
    for i, line_boxes in touched.items():
        pairs = zip(units[i], owners[i], strict=True)
        if any(owner is None and any(c.isalnum() for c in unit.text) for unit, owner in pairs):
            beside_text.update(id(box) for box in line_boxes)
    real = []
    for box in boxes:
        in_margin = not _ART_BAND * height < (box.top + box.bottom) / 2 < (1 - _ART_BAND) * height
        if box.burned_in and in_margin and id(box) not in beside_text:
            continue  # scanned letterhead or footer art (seals, flag bars), not set in any text line
        label = "".join(box.label)
        box.code = find_codes(label) or (find_codes("".join(box.hidden)) if _leak(box) is None else None)
        heading = sum(c.isalnum() for c in label) >= 3 and not _LABEL_WORDS_RE.search(label)
        if box.code is None and heading and not box.scanned:
            continue  # light text on a dark band: a styled heading, not a redaction
        real.append(box)
    emitted: set[int] = set()
    records = {
        id(b): RedactionRecord(
            page=page, bbox=(b.x0, b.top, b.x1, b.bottom), kind=b.kind, readable_text=b.readable, crop=b.crop
        )
        for b in real
    }
    out: list[Line] = []
    for i, line in enumerate(lines):
        line_boxes = [b for b in touched.get(i, []) if id(b) in records]
        if not line_boxes:
            out.append(line)
            continue
        owner = [b if b is not None and id(b) in records else None for b in owners[i]]
        out.append(_rebuild(line, units[i], owner, line_boxes, records, emitted))
    for box in real:
        if id(box) in emitted:
            continue
        record = records[id(box)]  # a box over a blank stretch: its own line, in page order
        record.code, record.leaked_text = box.code, _leak(box)
        out.append(Line(page, box.top, box.bottom, box.x0, box.x1, marker(box.code), marks=[(0, record)]))
    leaks = [records[id(b)] for b in real if records[id(b)].leaked_text]
    if leaks and all(not _DATE_STAMP_RE.sub("", r.leaked_text or "").strip(" ()[],;.") for r in leaks):
        for record in leaks:
            record.leaked_text = None
    out.sort(key=lambda ln: (round(ln.top), ln.x0))
    return [ln for ln in out if ln.text.strip()]


def _beside_code(box: Box, units: list[Unit], covered: set[int], joiner: str) -> tuple[str | None, set[int]]:
    """A code printed just right of a box, and the units it occupies (they join the marker)."""
    after = [(k, u) for k, u in enumerate(units) if k not in covered and box.x1 - 1 <= u.x0 <= box.x1 + 60]
    text, spans = "", []
    for k, unit in after:
        if text and joiner:
            text += joiner
        spans.append((len(text), k))
        text += unit.text
    stripped = text.lstrip()
    match = CODE_RE.match(stripped)
    if not match or box.code is not None:
        return None, set()
    end = len(text) - len(stripped) + match.end()
    return re.sub(r"\s+", " ", match.group(0)), {k for pos, k in spans if pos < end}


def _rebuild(
    line: Line,
    units: list[Unit],
    owner: list[Box | None],
    boxes: list[Box],
    records: dict[int, RedactionRecord],
    emitted: set[int],
) -> Line:
    """The line again, visible units in order and each box's marker where the box stands."""
    covered = {k for k, box in enumerate(owner) if box is not None}
    consumed: set[int] = set()
    pending = sorted((b for b in boxes if id(b) not in emitted), key=lambda b: b.x0)
    for box in pending:
        code, used = _beside_code(box, units, covered, line.joiner)
        if code:
            box.code, consumed = code, consumed | used
    builder = _Builder(line.joiner)
    marks: list[tuple[int, RedactionRecord]] = []

    def emit(box: Box) -> None:
        record = records[id(box)]
        record.code, record.leaked_text = box.code, _leak(box)
        marks.append((builder.mark(marker(box.code)), record))
        emitted.add(id(box))
        pending.remove(box)

    for k, unit in enumerate(units):
        cx = (unit.x0 + unit.x1) / 2
        for box in list(pending):
            if owner[k] is box or (cx > box.cx and not unit.text.isspace()):
                emit(box)
        if k not in covered and k not in consumed:
            builder.add(unit.text)
    for box in list(pending):
        emit(box)
    line.text, line.marks, line.units = builder.out.strip(), marks, None
    return line
