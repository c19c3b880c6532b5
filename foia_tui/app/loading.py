"""One way the screens read the archive: off the UI thread, the result handed back to a method on it.

`load` runs a read in a thread worker (one at a time per name: a newer read cancels the older) and calls `done`
with its result on the UI thread, or `failed` with an expected problem (the archive locked, gone or damaged; a
malformed query; a file that cannot be read or written). Any other exception is a bug: the app stops with its
traceback, as Textual does for a failed worker. A cancelled read's result is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from foia_tui.archive import ArchiveError
from foia_tui.domain.query import QueryError

EXPECTED_ERRORS: tuple[type[Exception], ...] = (ArchiveError, QueryError, OSError)

T = TypeVar("T")


def load(
    node: DOMNode,
    name: str,
    read: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[Exception], object],
) -> Worker[None]:
    """Run `read` in a worker named `name`; its result goes to `done`, an expected error to `failed`."""

    def run() -> None:
        worker = get_current_worker()
        try:
            result = read()
        except EXPECTED_ERRORS as error:
            node.app.call_from_thread(_unless_cancelled, worker, failed, error)
            return
        node.app.call_from_thread(_unless_cancelled, worker, done, result)

    return node.run_worker(run, name=name, group=name, thread=True, exclusive=True)


def _unless_cancelled(worker: Worker, callback: Callable[[T], object], value: T) -> None:
    # Checked on the UI thread, where workers are cancelled, so a result cannot slip in after its cancellation.
    if not worker.is_cancelled:
        callback(value)
