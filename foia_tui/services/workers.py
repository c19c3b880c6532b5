"""Worker processes for parsing untrusted files: every task has a time budget, every worker a memory cap.

A ProcessPoolExecutor cannot stop a task that hangs (`future.result(timeout)` only stops waiting, and the
worker stays busy for good), and one worker that dies breaks the whole pool. Here a worker that runs past
the budget is killed, one that dies (memory cap, a C library's abort) takes only its current task with it,
and either is replaced by a fresh process so the batch goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

TOO_LARGE = "too large to read in memory"
UNEXPECTED = "could not be read"  # starts the reason when a parser raised something else than expected
_PR_SET_PDEATHSIG = 1
QUEUE_PER_WORKER = 8  # tasks handed to a worker ahead of time, so it never waits for the parent
# Workers yield the CPU to their parent: it writes what they read (one writer, the import's slowest part once
# they have read ahead) and may be the app, which stays responsive.
WORKER_NICENESS = 10
_SIGNAL_CAUSES = {
    signal.SIGKILL: "killed, usually for using too much memory",
    signal.SIGABRT: "aborted, usually for lack of memory",
    signal.SIGSEGV: "the parser crashed",
}


@dataclass(frozen=True)
class Stopped:
    """A task given up: `reason` is one line for the user; `timed_out` or `signal` say why."""

    reason: str
    timed_out: bool = False
    signal: int | None = None


def _cap_memory(extra: int) -> None:
    """Let this process grow by `extra` bytes of address space over what it inherited, and no more."""
    try:
        with open("/proc/self/statm") as statm:
            inherited = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        inherited = 0
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = inherited + extra if hard == resource.RLIM_INFINITY else min(inherited + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_parent_ends: set[Connection] = set()  # this process's ends of its workers' pipes


def _die_with(parent: int) -> None:
    """Linux: have the kernel kill this worker when its parent dies (SIGKILL), even in the middle of a file."""
    with contextlib.suppress(OSError, AttributeError):  # elsewhere: the worker ends at its next result
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(0)


def _serve(
    conn: Connection, function: Callable[[Any], Any], items: Sequence[Any], memory_limit: int | None, parent: int
) -> None:
    """A worker's life: take a task (an index into `items`, which it inherited), send back its result, until
    told to stop (None) or killed."""
    _die_with(parent)
    for end in _parent_ends:  # copies made by fork: held open here, they would hide the parent's death
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    os.setpgid(0, 0)  # a group of its own, so that killing it also stops the programs it runs (Tesseract)
    os.nice(WORKER_NICENESS)
    if memory_limit:
        _cap_memory(memory_limit)
    try:
        while (index := conn.recv()) is not None:
            try:
                result = function(items[index])
            except MemoryError:
                result = Stopped(TOO_LARGE)
            except Exception as error:  # the function should not raise; if it does, only its task fails
                result = Stopped(f"{UNEXPECTED} ({type(error).__name__})")
            try:
                conn.send(result)
            except (OSError, EOFError):
                raise
            except Exception as error:  # a result too large to pickle within the memory cap
                del result
                conn.send(Stopped(f"the result could not be passed back ({type(error).__name__})"))
    except (OSError, EOFError):  # the parent is gone (killed): nobody wants the result
        return


class _Worker:
    def __init__(self, function: Callable[[Any], Any], items: Sequence[Any], memory_limit: int | None) -> None:
        # Forked: cheap to replace, and it inherits the parser already loaded and the items, so a task is sent
        # as its index alone.
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        arguments = (child, function, items, memory_limit, os.getpid())
        self.process = context.Process(target=_serve, args=arguments, daemon=True)
        _parent_ends.add(self.conn)
        self.process.start()
        child.close()
        self.tasks: deque[int] = deque()  # indexes sent and not yet answered, oldest (running) first
        self.started = time.monotonic()  # when the oldest task began, at the latest

    def send(self, index: int) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(index)
        self.conn.send(index)

    def death(self) -> Stopped:
        """Why a closed worker ended."""
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            cause = _SIGNAL_CAUSES.get(-code, "the parser crashed")
            return Stopped(f"the reader process stopped ({name}: {cause})", signal=-code)
        return Stopped(f"the reader process stopped (exit code {code})")

    def close(self, wait_s: float = 0.0) -> None:
        """Stop the worker and what it started; with `wait_s`, first ask it to stop (an idle one does at once)."""
        if wait_s:
            with contextlib.suppress(OSError):  # already gone
                self.conn.send(None)
            self.process.join(wait_s)
        # Nothing has reaped the worker yet (exitcode polls, and reaps only one that has ended), so its pid
        # cannot have been reused: its group is still its own.
        if not wait_s or self.process.exitcode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):  # none left, or not set up yet
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.kill()
        self.process.join()
        _parent_ends.discard(self.conn)
        self.conn.close()


def run_bounded(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    workers: int,
    time_budget: float,
    memory_limit: int | None = None,
    lookahead: int = 64,
) -> Iterator[tuple[Any, Any]]:
    """Yield (item, function(item) or Stopped) in input order, running `function` in `workers` processes.

    `function` must not raise (what it does raise becomes a Stopped); a task still running after
    `time_budget` seconds has its process killed; `memory_limit` caps each worker's extra address space in
    bytes. At most `lookahead` results wait for an earlier one, so memory stays bounded.
    """
    if not items:
        return
    pending = deque(range(len(items)))  # not yet sent; tasks of a replaced worker go back to the front
    results: dict[int, Any] = {}
    following = 0  # the next index to yield
    pool = [_Worker(function, items, memory_limit) for _ in range(max(1, min(workers, len(items))))]

    def replace(slot: int, outcome: Stopped | None) -> None:
        """Charge the running task with `outcome` (None: how the worker died), rerun the rest elsewhere."""
        worker = pool[slot]
        worker.close()
        results[worker.tasks.popleft()] = outcome or worker.death()
        pending.extendleft(reversed(worker.tasks))
        pool[slot] = _Worker(function, items, memory_limit)

    def feed() -> None:
        """Top up every worker's queue, in turns, so none waits for the parent while it uses a result."""
        for depth, slot in itertools.product(range(1, QUEUE_PER_WORKER + 1), range(len(pool))):
            worker = pool[slot]
            if not pending or len(worker.tasks) >= depth or pending[0] >= following + lookahead:
                continue
            index = pending.popleft()
            try:
                worker.send(index)
            except OSError:  # the worker is gone: a busy one is charged below, an idle one lost nothing
                worker.tasks.pop()
                pending.appendleft(index)
                if not worker.tasks:
                    worker.close()
                    pool[slot] = _Worker(function, items, memory_limit)

    try:
        while following < len(items):
            feed()
            busy = [worker for worker in pool if worker.tasks]
            if busy:
                # With the next result in hand, only collect what is ready; else wait for the first deadline.
                first_deadline = min(worker.started for worker in busy) + time_budget
                timeout = 0.0 if following in results else max(0.0, first_deadline - time.monotonic())
                ready = wait([worker.conn for worker in busy], timeout)
                now = time.monotonic()
                for slot, worker in enumerate(pool):
                    if worker.conn in ready:
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            replace(slot, None)
                            continue
                        results[worker.tasks.popleft()] = result
                        worker.started = now
                    elif worker.tasks and now - worker.started >= time_budget:
                        replace(slot, Stopped(f"took longer than {time_budget:g} s to read (stopped)", timed_out=True))
            if following in results:
                yield items[following], results.pop(following)
                following += 1
    finally:
        for worker in pool:
            worker.close(wait_s=1.0)
