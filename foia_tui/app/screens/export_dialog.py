"""The export dialog (`e`): choose tags, format and file, see a preview of the export, write it.

The preview is the export itself (the same `foia_tui.services.export` code as `foia export`), built in a worker whenever
a choice changes, and shown as literal text through `foia_tui.domain.display`. The file it proposes does not exist
yet (brief-2.md beside brief.md), and writing over a file that does asks first.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, SelectionList, Static

from foia_tui.app import loading
from foia_tui.archive import Archive
from foia_tui.archive.types import Tag
from foia_tui.domain.display import name_shown, one_line, safe_rich
from foia_tui.domain.wording import plural
from foia_tui.services.export import FORMATS, Export, build_export, free_path, render
from foia_tui.services.tagging import list_tags

PREVIEW_CHARS = 20_000


def write_export(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")


class ExportDialog(ModalScreen[str | None]):
    """Export tagged passages; dismisses with what was written (None when cancelled)."""

    BINDING_GROUP_TITLE = "Export"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Write the export"),
    ]
    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
    }
    ExportDialog #export-box {
        width: 95%;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    ExportDialog #export-title { text-style: bold; height: 1; }
    ExportDialog #export-panes { height: 1fr; }
    ExportDialog #export-options { width: 42; height: 100%; }
    ExportDialog #export-tags { height: 1fr; min-height: 4; }
    ExportDialog #export-format { height: auto; layout: horizontal; }
    ExportDialog #export-preview { width: 1fr; height: 100%; border: round $panel; padding: 0 1; }
    ExportDialog #export-status { height: auto; color: $text-muted; }
    ExportDialog #export-buttons { height: auto; }
    ExportDialog Label { margin-top: 1; }
    """

    def __init__(self, archive: Archive, query: str | None = None, path: str | None = None) -> None:
        super().__init__()
        self.archive = archive
        self.search = query or None
        self.wanted = Path(path or Path.cwd() / "foia-export.md")  # what to name it; proposed once it is free
        self.default_path = str(free_path(self.wanted))
        self.proposed = self.default_path
        self.confirmed: Path | None = None  # an existing file the investigator agreed to write over
        self.export: Export | None = None
        self.text = ""
        self.building = True  # an export for the current choices is being built (the first from mount on)
        self.write_when_built = False  # Export was pressed while it was: write it once it is ready

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Text("Export tagged passages"), id="export-title")
            with Horizontal(id="export-panes"):
                with Vertical(id="export-options"):
                    yield Label("Tags (space toggles)")
                    yield SelectionList[str](id="export-tags")
                    yield Label("Format")
                    with RadioSet(id="export-format"):
                        for fmt in FORMATS:
                            yield RadioButton(Text(fmt), value=fmt == "md", name=fmt)
                    if self.search:
                        yield Checkbox(Text(f"Only the search: {one_line(self.search, 24)}"), True, id="export-query")
                    yield Label("File")
                    yield Input(self.default_path, id="export-path")
                    with Horizontal(id="export-buttons"):
                        yield Button("Export", id="export-write", variant="primary")
                        yield Button("Cancel", id="export-cancel")
                with VerticalScroll(id="export-preview"):
                    yield Static(Text("Building the preview…"), id="export-preview-text")
            yield Static("", id="export-status")

    def on_mount(self) -> None:
        self.query_one("#export-preview").border_title = "Preview"
        self.query_one("#export-tags").focus()
        loading.load(self, "export-tags", partial(list_tags, self.archive), self._show_tags, self._failed)

    @property
    def fmt(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "md"

    def _options(self) -> tuple[list[str], str | None]:
        chosen = list(self.query_one("#export-tags", SelectionList).selected)
        query = self.search if self.search and self.query_one("#export-query", Checkbox).value else None
        return chosen, query

    def _show_tags(self, tags: list[Tag]) -> None:
        selection = self.query_one("#export-tags", SelectionList)
        for tag in tags:
            selection.add_option((Text(f"{one_line(tag.name, 28)} ({tag.taggings})"), tag.name, True))
        if tags:
            selection.highlighted = 0
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Build the export for the current choices (in a worker) and show it."""
        chosen, query = self._options()
        fmt = self.fmt
        if not chosen:
            self.export, self.text = None, ""
            self.building = self.write_when_built = False
            self._preview(Text("Choose at least one tag."))
            return
        self.building = True

        every = len(chosen) == self.query_one("#export-tags", SelectionList).option_count

        def build() -> tuple[Export, str]:  # every tag ticked: the same export as `foia export` without --tag
            export = build_export(self.archive, tags=None if every else chosen, query=query)
            return export, render(export, fmt)

        loading.load(self, "export-preview", build, self._show_preview, self._failed)

    def _preview(self, text: Text) -> None:
        self.query_one("#export-preview-text", Static).update(text)

    def _show_preview(self, built: tuple[Export, str]) -> None:
        export, text = built
        self.export, self.text = export, text
        self.building = False
        self._preview(safe_rich(text, limit=PREVIEW_CHARS))
        self._status(
            f"{plural(len(export.passages), 'passage')} under {plural(len(export.tags), 'tag')}"
            f" · {plural(len(text), 'character')}"
        )
        if self.write_when_built:
            self.write_when_built = False
            self.action_export()

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#export-status", Static).update(Text(one_line(text, 300), style="red" if error else ""))

    def on_selection_list_selected_changed(self) -> None:
        self.refresh_preview()

    def on_checkbox_changed(self) -> None:
        self.refresh_preview()

    def on_radio_set_changed(self) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path_input.value == self.proposed:  # still our proposal: propose a free name in the new format
            self.proposed = path_input.value = str(free_path(self.wanted.with_suffix(f".{self.fmt}")))
        elif path.suffix.lower().lstrip(".") in FORMATS:
            path_input.value = str(path.with_suffix(f".{self.fmt}"))
        self.refresh_preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-write":
            self.action_export()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        if self.building:  # never the export of earlier choices, nor "nothing yet" a moment before it is ready
            self.write_when_built = True
            self._status("Building the export: it is written as soon as it is ready.")
            return
        if self.export is None:
            self._status("Nothing to export yet.", error=True)
            return
        path = Path(self.query_one("#export-path", Input).value.strip() or self.default_path).expanduser()
        if path.exists() and path != self.confirmed:
            self.confirmed = path
            self._status(f"{name_shown(path)} exists: press Export (ctrl+s) again to replace it.", error=True)
            return
        export, text = self.export, self.text

        def write() -> str:
            write_export(path, text)
            return f"Exported {plural(len(export.passages), 'passage')} to {path}."

        loading.load(self, "export-write", write, self.dismiss, self._failed)

    def _failed(self, error: Exception) -> None:
        self.building = self.write_when_built = False
        self._status(str(error), error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
