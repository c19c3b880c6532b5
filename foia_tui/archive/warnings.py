"""What an import could not read, and the pages that belong to no email: nothing is lost silently."""

from __future__ import annotations

from dataclasses import dataclass

from foia_tui.archive import Archive

# Pages of imported documents that no stored email covers: not in any email's page range in its own file,
# nor in the part of a file an email from the file before runs on into.
OUTSIDE_EMAILS = """
SELECT p.document_id, d.path, p.number, p.bates, p.text = '' AS blank
FROM pages p JOIN documents d ON d.id = p.document_id AND d.status = 'imported'
WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.document_id = p.document_id
                  AND p.number BETWEEN m.page_start AND coalesce(m.page_end, m.page_start))
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.continued_in = p.document_id
                  AND p.number <= m.continued_page_end)
"""
UNASSIGNED_PAGES = f"SELECT count(*) FROM ({OUTSIDE_EMAILS})"
WARNINGS = "SELECT count(*) FROM warnings w JOIN documents d ON d.id = w.document_id AND d.status = 'imported'"


@dataclass(frozen=True)
class PageWarning:
    """One thing an import could not read: its file, its page (None for the whole file) and why."""

    file: str
    page: int | None
    reason: str

    def as_json(self) -> dict:
        return {"file": self.file, "page": self.page, "reason": self.reason}

    @property
    def order(self) -> tuple[str, int]:
        """Where it stands in a listing: by file, then page (a whole-file warning first)."""
        return self.file, self.page or 0


@dataclass(frozen=True)
class OutsidePage:
    """A page that belongs to no email: a cover letter, an attachment printed as pages, a blank page."""

    file: str
    page: int
    bates: str | None
    blank: bool

    def as_json(self) -> dict:
        return {"file": self.file, "page": self.page, "bates": self.bates, "blank": self.blank}


def page_warnings(archive: Archive) -> list[PageWarning]:
    """Every warning, by file and page."""
    rows = archive._query(
        """SELECT d.path, w.page, w.reason FROM warnings w
           JOIN documents d ON d.id = w.document_id AND d.status = 'imported'
           ORDER BY d.path, coalesce(w.page, 0), w.id"""
    )
    return [PageWarning(r["path"], r["page"], r["reason"]) for r in rows]  # the SQL sorts as `order` does


def pages_outside_emails(archive: Archive) -> list[OutsidePage]:
    rows = archive._query(f"SELECT * FROM ({OUTSIDE_EMAILS}) ORDER BY path, number")
    return [OutsidePage(r["path"], r["number"], r["bates"], bool(r["blank"])) for r in rows]


def add_warning(archive: Archive, document_id: str, page: int | None, reason: str) -> None:
    """A warning found after the document was stored (how it fits its production); stored once."""
    with archive.transaction() as conn:
        conn.execute(
            """INSERT INTO warnings (document_id, page, reason) SELECT ?, ?, ?
               WHERE NOT EXISTS (SELECT 1 FROM warnings WHERE document_id = ? AND page IS ? AND reason = ?)""",
            (document_id, page, reason, document_id, page, reason),
        )
