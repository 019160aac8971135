"""Atomic file output: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import IO


def _publish(tmp: str | Path, path: Path) -> None:
    """Give the temporary file ordinary permissions (mkstemp makes it 0600), then rename it."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def _discard(tmp: str | Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def _sync_and_publish(fd: int, tmp: str, path: Path) -> None:
    try:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _publish(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


class _Publisher:
    """Threads that sync files to disk and rename them into place, and what they were given."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsgraph-sync")
        self.done: list[Future] = []
        self.last: dict[Path, Future] = {}  # the last file given for each path

    def submit(self, fd: int, tmp: str, path: Path) -> None:
        previous = self.last.get(path)
        if previous is not None:  # the same path written twice: put in place in that order
            wait([previous])
        self.done.append(future := self.pool.submit(_sync_and_publish, fd, tmp, path))
        self.last[path] = future

    def settle(self, path: Path) -> None:
        future = self.last.get(path)
        if future is not None:
            future.result()


_PUBLISHER: contextvars.ContextVar[_Publisher | None] = contextvars.ContextVar("newsgraph_publisher", default=None)


@contextlib.contextmanager
def publishing_in_background() -> Iterator[None]:
    """Within the block, a durable :func:`atomic_write` (in this thread) leaves the sync to disk
    and the rename of its file to a background thread, so the disk takes one file while the next
    is written. The block ends once every such file is in place; the first failure is raised."""
    publisher = _Publisher()
    token = _PUBLISHER.set(publisher)
    try:
        yield
    finally:
        _PUBLISHER.reset(token)
        publisher.pool.shutdown(wait=True)
    for future in publisher.done:
        future.result()


def settled(path: str | Path) -> Path:
    """``path``, once a file written there in :func:`publishing_in_background` is in place (to read it back)."""
    publisher = _PUBLISHER.get()
    if publisher is not None:
        publisher.settle(Path(path))
    return Path(path)


@contextlib.contextmanager
def atomic_write(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None,
    *, durable: bool = True,
) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it over ``path`` only if the block succeeds.

    ``durable``: flush the file to disk before the rename. Without it a crash of the machine (not
    of the program) may leave an empty or partial file; for cache entries, which are checked when
    read, that costs a re-extraction, and skipping the sync saves about a millisecond per file.
    Inside :func:`publishing_in_background`, the sync and the rename happen in the background.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    publisher = _PUBLISHER.get() if durable else None
    try:
        binary = "b" in mode
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else newline) as handle:
            yield handle
            handle.flush()
            if publisher is not None:
                synced = os.dup(handle.fileno())
            elif durable:
                os.fsync(handle.fileno())
        if publisher is not None:
            publisher.submit(synced, tmp, path)
            return
        _publish(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path for writers that want a file name (networkx, rdflib, pyoxigraph)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        _publish(tmp, path)
    except BaseException:
        _discard(tmp)
        raise
