"""Share big, independent work with a second process, on systems that can fork.

`halves(work, items)` returns `work(items)`, computed as `work` of the first
half here and `work` of the second half in a forked child.  The child
inherits everything this process has computed (the loaded papers, the whole
site model), so only its results travel back, pickled through a pipe.  Small
jobs, one-CPU machines and systems without fork run everything here, and so
does a child that fails: the result is the same either way, only the time
differs.

The child must not print or take locks other threads may hold when it is
forked (the progress line's): `work` renders or parses, nothing else.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import BinaryIO, TypeVar, cast

A = TypeVar("A")
T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are not worth a process (forking and pickling cost ~0.1 s).
MIN_ITEMS = 1000


def can_fork() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def _spawn(body: Callable[[BinaryIO], object]) -> tuple[int, BinaryIO]:
    """Fork a child that runs `body` on the writing end of a pipe, then leaves without running
    any of this process's cleanup (status 0 if `body` returned); return its pid and the reading end."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 1
        try:
            with os.fdopen(write_end, "wb") as out:
                body(out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, os.fdopen(read_end, "rb")


def halves(
    work: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    minimum: int = MIN_ITEMS,
    middle: int | None = None,
) -> list[R]:
    """`work(items)`, with `items[middle:]` (the second half) done in a forked child when worth it."""
    if len(items) < minimum or not can_fork():
        return work(items)
    middle = len(items) // 2 if middle is None else middle
    first, second = items[:middle], items[middle:]
    pid, pipe = _spawn(lambda out: out.write(pickle.dumps(work(second), protocol=5)))
    try:
        mine = work(first)
    finally:
        with pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    if status != 0:
        return mine + work(second)
    collecting = gc.isenabled()
    gc.disable()  # unpickling thousands of records: the cycle collector would only slow it down
    try:
        theirs: list[R] = pickle.loads(data)
    finally:
        if collecting:
            gc.enable()
    return mine + theirs


def _send(out: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=5)
    out.write(len(data).to_bytes(8, "little") + data)
    out.flush()


def _receive(pipe: BinaryIO) -> object:
    head = pipe.read(8)
    if len(head) < 8:
        raise EOFError
    size = int.from_bytes(head, "little")
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if collecting:
            gc.enable()


def relay(
    prepare: Callable[[], A],
    meanwhile: Callable[[], list[R]],
    work: Callable[[A, bool], list[R]],
    *,
    fork: bool = True,
) -> tuple[A, list[R], list[R]]:
    """`prepare()`, `meanwhile()` and `work(prepared, False) + work(prepared, True)`, on two CPUs.

    A forked child runs `prepare` and sends its result back at once, then runs
    `work(prepared, True)` (its share); this process runs `meanwhile` (which must
    not need `prepare`'s result), then takes the result and runs `work(prepared,
    False)`.  Without `fork`, on one CPU or when the child fails, this process
    does what is missing itself: the result is the same, only the time differs.
    """
    if not fork or not can_fork():
        alone = prepare()
        return alone, meanwhile(), work(alone, False) + work(alone, True)

    def child(out: BinaryIO) -> None:
        ready = prepare()
        _send(out, ready)
        _send(out, work(ready, True))

    pid, pipe = _spawn(child)
    try:
        before = meanwhile()
        got, sent_first = _try_receive(pipe)
        prepared = cast(A, sent_first) if got else prepare()
        mine = work(prepared, False)
        sent, received = _try_receive(pipe) if got else (False, None)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        pipe.close()
        _, status = os.waitpid(pid, 0)
    theirs = cast(list[R], received) if sent and status == 0 else work(prepared, True)
    return prepared, before, mine + theirs


def _try_receive(pipe: BinaryIO) -> tuple[bool, object]:
    try:
        return True, _receive(pipe)
    except (EOFError, pickle.UnpicklingError):
        return False, None


def background(work: Callable[[], object]) -> Callable[[], None]:
    """Start `work()` in a forked child; return a function that waits for it.

    Waiting runs `work()` here if the child failed, and without fork (or on one
    CPU) `work()` runs here at once: either way it has run once waiting returns.
    """
    if not can_fork():
        work()
        return lambda: None
    pid, pipe = _spawn(lambda _: work())
    pipe.close()

    def wait() -> None:
        _, status = os.waitpid(pid, 0)
        if status != 0:
            work()

    return wait
