"""How a citation names pages, other copies and redaction boxes, so the app, the chronology and the exports cite
a message the same way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from foia_tui.domain.wording import plural


def page_range(start: int | None, end: int | None) -> str:
    """'p. 3', or 'pp. 2–3' for a span of pages; '' when the page is unknown."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"p. {start}"
    return f"pp. {start}–{end}"


@dataclass(frozen=True)
class OtherCopy:
    """Another stored copy of a cited email: where else a reader can find it."""

    release: str | None
    file: str
    page_start: int | None
    bates: str | None

    @property
    def label(self) -> str:
        """Its Bates number, else its release (or file) and page: 'NYPD-FOIL-000203', 'HSI referral p. 4'."""
        if self.bates:
            return self.bates
        where = self.release or PurePath(self.file).name
        return f"{where} {page_range(self.page_start, None)}".strip()


@dataclass(frozen=True)
class CitedBox:
    """A redaction box inside a cited passage: its code, whether its text leaked, which releases show it."""

    code: str | None
    leaked: bool = False
    shown_by: tuple[str, ...] = ()  # releases (or files) whose copy of the email prints what it hides
    offset: int | None = None  # where its marker stands in the body (None: a box over a header field)


def also_line(copies: tuple[OtherCopy, ...]) -> str:
    """'also NYPD-FOIL-000203, HSI-FOIA-000012', or '' when the email has no other copy."""
    labels = list(dict.fromkeys(c.label for c in copies))
    return f"also {', '.join(labels)}" if labels else ""


def box_note(boxes: tuple[CitedBox, ...], whole: bool) -> str:
    """One sentence on the boxes a passage holds: how many, their codes, which leaked, what another release shows."""
    if not boxes:
        return ""
    codes = list(dict.fromkeys(b.code or "no code" for b in boxes))
    where = "The message" if whole else "This excerpt"
    count = "a redaction box" if len(boxes) == 1 else plural(len(boxes), "redaction box")
    parts = [f"{where} contains {count} ({', '.join(codes)})"]
    leaked = sum(b.leaked for b in boxes)
    if leaked:
        parts.append(
            "its text leaked (readable in the file's text layer)"
            if len(boxes) == 1
            else f"the text under {plural(leaked, 'box')} leaked (readable in the file's text layer)"
        )
    shown: dict[tuple[str, ...], int] = {}
    for b in boxes:
        if b.shown_by:
            shown[b.shown_by] = shown.get(b.shown_by, 0) + 1
    for names, n in shown.items():
        what = "it" if len(boxes) == 1 else plural(n, "box")
        parts.append(f"{', '.join(names)} shows what {what} hides")
    return "; ".join(parts) + "."
