"""The one-way rule between the layers, read from the source so it cannot silently break again.

importers → nothing of foia_tui; domain → neither archive, services, app nor cli; archive → no services, app
or cli; only archive runs SQL; only app imports textual; the CLI and the app take from the archive only
`Archive`, its errors and the types in foia_tui.archive.types, and reach its reads and writes through
foia_tui.services. A test breaks the rules on purpose in a copy and checks that it is caught.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import foia_tui.archive
from foia_tui.archive import ArchiveError, types
from foia_tui.domain.redactions import CODED_MARKER, MARKER, marker_code
from importers.pdf_redactions import marker

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "importers": ("foia_tui",),
    "foia_tui/domain": ("foia_tui.archive", "foia_tui.services", "foia_tui.app", "foia_tui.cli", "textual"),
    "foia_tui/archive": ("foia_tui.services", "foia_tui.app", "foia_tui.cli", "textual"),
    "foia_tui/services": ("foia_tui.app", "foia_tui.cli", "textual"),
    "foia_tui/cli": ("textual",),
}
# What the CLI and the app may import of the archive: `Archive` and its errors (ArchiveError and every kind of it)
# from the package, anything of its types module.
ARCHIVE_ERRORS = {
    name
    for name, value in vars(foia_tui.archive).items()
    if isinstance(value, type) and issubclass(value, ArchiveError)
}
ARCHIVE_FOR_CALLERS = {"foia_tui.archive": {"Archive", *ARCHIVE_ERRORS}, "foia_tui.archive.types": None}
CALLERS = ("foia_tui/cli/", "foia_tui/app/")
SQL_CALL = re.compile(r"\.execute(?:many|script)?\(")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str


def _imports(tree: ast.AST) -> list[tuple[int, str, list[str] | None]]:
    """(line, module, names taken from it, or None for a plain `import module`) of every absolute import."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def _archive_internals(module: str, names: list[str] | None) -> list[str]:
    """What a CLI or app import takes of the archive beyond its public types."""
    if module != "foia_tui.archive" and not module.startswith("foia_tui.archive."):
        return []
    if module not in ARCHIVE_FOR_CALLERS or names is None:
        return [module]
    allowed = ARCHIVE_FOR_CALLERS[module]
    return [f"{module}.{name}" for name in names if allowed is not None and name not in allowed]


def violations(root: Path) -> list[Violation]:
    """Every import across the rule and every SQL call outside foia_tui/archive, under `root`."""
    found = []
    for path in sorted([*root.glob("foia_tui/**/*.py"), *root.glob("importers/**/*.py")]):
        where = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        for line, module, names in _imports(ast.parse(source)):
            for folder, banned in FORBIDDEN.items():
                if where.startswith(folder + "/") and any(module == b or module.startswith(b + ".") for b in banned):
                    found.append(Violation(where, line, f"imports {module}"))
            if where.startswith(CALLERS):
                found += [Violation(where, line, f"imports {what}") for what in _archive_internals(module, names)]
            if module == "sqlite3" and not where.startswith("foia_tui/archive/"):
                found.append(Violation(where, line, "imports sqlite3"))
        if where.startswith("foia_tui/") and not where.startswith("foia_tui/archive/"):
            for number, text in enumerate(source.splitlines(), 1):
                if SQL_CALL.search(text):
                    found.append(Violation(where, number, "runs SQL"))
    return found


def test_the_layers_import_one_way_and_only_the_archive_runs_sql():
    assert violations(ROOT) == []


def test_a_wrong_import_is_caught(tmp_path):
    for folder in ("foia_tui", "importers"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    quoting = tmp_path / "foia_tui" / "domain" / "quoting.py"
    quoting.write_text(quoting.read_text() + "\nfrom foia_tui.archive import Archive\n")
    (tmp_path / "foia_tui" / "cli" / "sneaky.py").write_text('def f(conn):\n    conn.execute("SELECT 1")\n')
    (tmp_path / "foia_tui" / "app" / "shortcut.py").write_text(
        "from foia_tui.archive import Archive, browse\nfrom foia_tui.archive.tags import list_tags\n"
        "from foia_tui.archive.types import Tag\n"
    )
    caught = {(v.path, v.what) for v in violations(tmp_path)}
    assert caught == {
        ("foia_tui/domain/quoting.py", "imports foia_tui.archive"),
        ("foia_tui/cli/sneaky.py", "runs SQL"),
        ("foia_tui/app/shortcut.py", "imports foia_tui.archive.browse"),
        ("foia_tui/app/shortcut.py", "imports foia_tui.archive.tags"),
    }


def test_the_archive_types_the_callers_see_are_rows_and_errors():
    for name in types.__all__:
        found = getattr(types, name)
        assert dataclasses.is_dataclass(found) or issubclass(found, ArchiveError), name


def test_the_importer_writes_the_marker_foia_tui_reads():
    for code in (None, "(b)(6)", "(b)(7)(C)", "POL 87(2)(b)"):
        written = marker(code)
        assert MARKER.fullmatch(written) and CODED_MARKER.fullmatch(written)
        assert marker_code(written) == code
        assert CODED_MARKER.fullmatch(written).group(1) == code
