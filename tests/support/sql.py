"""The archive's tables as tests and benchmarks check them: the one door outside foia_tui.archive to its SQL.

foia_tui itself reads only through the archive's named functions; a test that compares with ground truth
sometimes needs a column no function returns, and reads it here rather than through the archive's privates.
"""

from __future__ import annotations

from foia_tui.archive import Archive


def sql_rows(archive: Archive, sql: str, params: tuple | dict = ()) -> list[dict]:
    """Rows of a read, as mappings, on the archive's own connection."""
    return archive._query(sql, params)


def sql_value(archive: Archive, sql: str, params: tuple | dict = ()):
    """The first column of the first row of a read, or None."""
    return archive._scalar(sql, params)
