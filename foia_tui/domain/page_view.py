"""How much of a page the original-page screen shows and where: a zoom level and the view's centre, pure
geometry (the screen renders and crops), and the command that opens the page in a desktop PDF viewer."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace

ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0)
PAN_STEP = 0.25  # of the view's width or height per key press


@dataclass(frozen=True)
class PageView:
    """The part of a page on screen: ZOOMS[level] times the whole page, centred on (x, y), fractions of the page's
    width and height."""

    level: int = 0
    x: float = 0.5
    y: float = 0.5

    @property
    def zoom(self) -> float:
        return ZOOMS[self.level]

    def zoomed(self, step: int) -> PageView:
        """One level closer (step > 0) or further (step < 0); step 0 shows the whole page again."""
        if step == 0:
            return PageView()
        level = min(max(self.level + step, 0), len(ZOOMS) - 1)
        return replace(self, level=level).panned(0, 0)

    def panned(self, dx: int, dy: int) -> PageView:
        """Moved by `dx`, `dy` steps (a quarter of the view each), never past the page's edges."""
        half = 0.5 / self.zoom
        step = PAN_STEP / self.zoom

        def clamp(value: float) -> float:
            return min(max(value, half), 1 - half)

        return replace(self, x=clamp(self.x + dx * step), y=clamp(self.y + dy * step))

    def crop(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The (left, top, right, bottom) pixels of a `width` × `height` page image that are in view."""
        w, h = width / self.zoom, height / self.zoom
        left, top = round(self.x * width - w / 2), round(self.y * height - h / 2)
        return max(left, 0), max(top, 0), min(round(left + w), width), min(round(top + h), height)


def viewer_command(template: str | None, file: str, page: int, fallback: str | None) -> list[str] | None:
    """The command that opens `file` at `page`: `template` (split like a shell line, never run by one) with
    `{file}` and `{page}` put in place, or the file appended when it names neither; else `fallback` (xdg-open,
    which takes no page) with the file; None when there is neither."""
    if template and template.strip():
        words = shlex.split(template)
        if not any("{file}" in w or "{page}" in w for w in words):
            return [*words, file]
        return [w.replace("{page}", str(page)).replace("{file}", file) for w in words]
    return [fallback, file] if fallback else None
