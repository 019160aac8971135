"""Reuse of the last export's text for what did not change (incremental re-runs).

A re-run after adding a few articles to a large archive changes a few hundred of its tens of
thousands of nodes and edges, and a few of its article graphs, yet writing all of them again is
most of the time of the re-run. So each writer notes where the text of each *unit* lies in the
file it wrote (its *span*) under a *fingerprint* of what that text is made from: BLAKE2b of it
pickled (:class:`Fingerprinter`). The units are a node or an edge in GraphML and GEXF
(:mod:`graph.export.graphml`, :mod:`graph.export.gexf`), an article's named graph in N-Quads,
TriG and JSON-LD (:mod:`graph.export.rdf`), the rows of a node, an edge or a merge in the tables
(:mod:`graph.export.tables`). The indexes of spans go into the cache folder. The next export
copies the bytes of each unit whose fingerprint it finds there from the old file, and writes only
the others. The files come out byte for byte as a full export writes them
(``tests/test_export_reuse.py``, and a hypothesis test in ``tests/test_fuzz.py``).

Nothing is reused from a file when anything else its text depends on has changed: the writers'
code and libraries (:func:`writer_version`), for the network files the names and types of the
attributes over the whole graph (:attr:`graph.export.flat.FlatGraph.context`), or the file
itself since its writer finished it (size, modification time and inode). A unit that cannot be
pickled gets no fingerprint, and is always written afresh.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import mmap
import os
import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from graph.fileio import atomic_write

if TYPE_CHECKING:
    from .flat import Signature

#: The modules whose code shapes the text of a network record, of an RDF graph, of table rows.
NETWORK_SOURCES = ("flat.py", "graphml.py", "gexf.py", "reuse.py")
RDF_SOURCES = ("rdf.py", "reuse.py")
TABLE_SOURCES = ("tables.py", "reuse.py")

#: (offset, length) of a record's bytes in a file.
Span = tuple[int, int]


@functools.cache
def writer_version(sources: tuple[str, ...], libraries: tuple[str, ...] = ()) -> str:
    """SHA-256 of the writers' code (``sources``, in this folder), the versions of ``libraries``
    that write text too, and the Python version (``repr`` of floats, pickling); a version of this
    process only if the sources cannot be read."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    here = Path(__file__).resolve().parent
    try:
        for library in libraries:
            digest.update(f"{library} {metadata.version(library)}\0".encode())
        for name in sources:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    except (OSError, metadata.PackageNotFoundError):  # installed without its sources: never reuse
        return os.urandom(16).hex()
    return digest.hexdigest()


class Fingerprinter:
    """``fingerprint(value)``: 16 bytes of BLAKE2b over ``value`` pickled, or None if it cannot be.

    The pickler runs in ``fast`` mode (no memo), so equal values give equal bytes whichever
    objects they share; it writes straight into the hash.
    """

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)
        self._new_pickler()

    def _new_pickler(self) -> None:
        self._pickler = pickle.Pickler(self, protocol=5)
        self._pickler.fast = True

    def write(self, data: bytes) -> None:  # the pickler's output
        self._hash.update(data)

    def __call__(self, value: Any) -> bytes | None:
        self._hash = hashlib.blake2b(digest_size=16)
        try:
            self._pickler.dump(value)
        except Exception:  # not picklable (or recursive): no fingerprint, so never reused
            self._new_pickler()
            return None
        return self._hash.digest()


@dataclass
class GraphPrints:
    """The fingerprints of a graph's nodes (of ``(node, attributes)``) and edges (of their
    attributes, in the order of ``G.edges(keys=True)``), computed once for all the writers."""

    nodes: dict[Any, bytes | None]
    edges: list[bytes | None]
    #: edge (u, v, key) -> its fingerprint (multigraphs)
    edge_index: dict[tuple, bytes | None]
    fingerprint: Fingerprinter

    @classmethod
    def of(cls, G: Any) -> GraphPrints:
        fingerprint = Fingerprinter()
        nodes = {n: fingerprint((n, d)) for n, d in G.nodes(data=True)}
        if G.is_multigraph():
            index = {(u, v, k): fingerprint(d) for u, v, k, d in G.edges(keys=True, data=True)}
            return cls(nodes, list(index.values()), index, fingerprint)
        return cls(nodes, [fingerprint(d) for _, _, d in G.edges(data=True)], {}, fingerprint)


def combined(*parts: bytes | None) -> bytes | None:
    """One fingerprint of several (None if any is None)."""
    if any(part is None for part in parts):
        return None
    return hashlib.blake2b(b"".join(parts), digest_size=16).digest()  # type: ignore[arg-type]


#: Size, modification time and inode of a file.
Stamp = tuple[int, int, int]


class Fragments:
    """The bytes of each unit in a file as last written, by fingerprint (``fd``: the file, open)."""

    def __init__(self, view: memoryview, spans: dict[bytes, Span], fd: int) -> None:
        self._view, self._spans, self.fd = view, spans, fd

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self._spans

    def span(self, fingerprint: bytes) -> Span:
        return self._spans[fingerprint]

    def slice(self, start: int, end: int) -> memoryview:
        return self._view[start:end]

    def holds(self, offset: int, data: bytes | memoryview) -> bool:
        """Whether the file has ``data`` at ``offset``."""
        return self._view[offset : offset + len(data)] == data


@dataclass
class SpanIndex:
    """What the last export wrote: the span of each unit in each file (``spans``: file name ->
    fingerprint -> span) and, for the network files, the attribute ``context`` and each record's
    signature and ``timed`` flag (``known``, see :func:`graph.export.flat.flat_graph`).
    ``fragments`` holds the files themselves, by name, while the index is open."""

    context: tuple | None = None
    known: dict[bytes, tuple[Signature, bool | None]] = field(default_factory=dict)
    spans: dict[str, dict[bytes, Span]] = field(default_factory=dict)
    fragments: dict[str, Fragments] = field(default_factory=dict)

    @classmethod
    @contextlib.contextmanager
    def opened(cls, path: Path, version: str, files: dict[str, Path]) -> Iterator[SpanIndex]:
        """The index at ``path`` with ``files`` open (mapped, their pages read in at once where the
        system can) while the block runs, if its writers' ``version`` is this one and each file is
        the one it describes; else an empty index. The files are checked once open, so one that
        another run puts in their place afterwards does not matter."""
        with contextlib.ExitStack() as stack:
            yield cls._open(path, version, files, stack)

    @classmethod
    def _open(cls, path: Path, version: str, files: dict[str, Path], stack: contextlib.ExitStack) -> SpanIndex:
        try:
            with open(path, "rb") as handle:
                saved = pickle.load(handle)
            if saved["version"] != version:
                return cls()
            index = cls(saved["context"], saved["known"], saved["spans"])
            populate = getattr(mmap, "MAP_POPULATE", 0) | getattr(mmap, "MAP_SHARED", 0)
            for name, file in files.items():
                old = stack.enter_context(open(file, "rb"))  # noqa: SIM115 (the stack closes it)
                st = os.fstat(old.fileno())
                if saved["stamps"].get(name) != (st.st_size, st.st_mtime_ns, st.st_ino):
                    return cls()
                mapped = stack.enter_context(
                    mmap.mmap(old.fileno(), 0, flags=populate, prot=mmap.PROT_READ) if populate
                    else mmap.mmap(old.fileno(), 0, access=mmap.ACCESS_READ)
                )
                view = memoryview(mapped)
                stack.callback(view.release)
                index.fragments[name] = Fragments(view, index.spans.get(name, {}), old.fileno())
            return index
        except Exception:  # missing, unreadable, empty or from another layout: start afresh
            return cls()

    def save(self, path: Path, version: str, stamps: dict[str, Stamp | None]) -> None:
        """Write the index at ``path``, atomically, for the files of ``stamps`` (by name: their
        :attr:`SpanWriter.stamp`, taken as they were written, so a file another run has put in
        their place since does not pass for them)."""
        saved = {"version": version, "stamps": stamps,
                 "context": self.context, "known": self.known, "spans": self.spans}
        # a full or read-only cache only makes the next export a full one
        with contextlib.suppress(OSError), atomic_write(path, "wb", durable=False) as handle:
            pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def remove(path: Path) -> None:
        """Forget the index at ``path`` (before the files it describes are replaced); one that
        cannot be removed is harmless: the new files do not have the stamps it describes."""
        with contextlib.suppress(OSError):
            os.unlink(path)


class SpanWriter:
    """Binary output that notes the span of each record's bytes (written in chunks of about 1 MB).

    :meth:`copy` takes a record from the last export's file instead; consecutive copies of
    consecutive bytes (and text that the old file has right there, like the markup between two
    records) make one range, which the system copies from file to file (``os.copy_file_range``:
    no bytes through Python, about four times faster than writing them) when it supports it.
    """

    CHUNK = 1 << 20
    #: Ranges shorter than this are copied through the buffer: a system call costs more.
    MIN_KERNEL_COPY = 1 << 16

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._buffer = bytearray()
        self._flushed = 0
        self._source: Fragments | None = None  # the file of the range to copy: [_start, _end)
        self._start = self._end = 0
        self.spans: dict[bytes, Span] = {}
        self.stamp: Stamp | None = None  # of the file, once written

    def _position(self) -> int:
        return self._flushed + len(self._buffer) + self._end - self._start

    def _spill(self) -> None:
        self._handle.write(self._buffer)
        self._flushed += len(self._buffer)
        self._buffer.clear()

    def _write(self, data: bytes | memoryview) -> None:
        if self._source is not None:
            if self._source.holds(self._end, data):
                self._end += len(data)
                return
            self._copy_range()
        self._buffer += data
        if len(self._buffer) >= self.CHUNK:
            self._spill()

    def _copy_range(self) -> None:
        source, start, end = self._source, self._start, self._end
        self._source, self._start, self._end = None, 0, 0
        if source is None or start == end:
            return
        if end - start < self.MIN_KERNEL_COPY:
            self._buffer += source.slice(start, end)
            if len(self._buffer) >= self.CHUNK:
                self._spill()
            return
        self._spill()
        self._handle.flush()
        copied = _copy_file_range(source.fd, self._handle.fileno(), start, end)
        self._handle.seek(0, os.SEEK_END)  # the file object learns where the copy left the file
        if start + copied < end:
            self._handle.write(source.slice(start + copied, end))
        self._flushed += end - start

    def text(self, text: str) -> None:
        self._write(text.encode("utf-8"))

    def record(self, fingerprint: bytes | None, data: bytes | memoryview) -> None:
        if fingerprint is not None:
            self.spans[fingerprint] = (self._position(), len(data))
        self._write(data)

    def copy(self, fingerprint: bytes, old: Fragments) -> None:
        """The record of ``fingerprint`` as ``old`` has it."""
        offset, length = old.span(fingerprint)
        self.spans[fingerprint] = (self._position(), length)
        # units with the same text share one span: the copy of another one may be right there too
        if self._source is old and (self._end == offset or old.holds(self._end, old.slice(offset, offset + length))):
            self._end += length
            return
        self._copy_range()
        self._source, self._start, self._end = old, offset, offset + length

    def close(self) -> None:
        """Write what is left (call before the file is closed)."""
        self._copy_range()
        self._spill()


def _copy_file_range(source: int, target: int, start: int, end: int) -> int:
    """Append bytes ``start:end`` of file ``source`` to file ``target`` (at its position) in the
    kernel, as far as the system can; return how many it appended (0 where it cannot at all)."""
    copy = getattr(os, "copy_file_range", None)
    offset = start
    with contextlib.suppress(OSError):  # unsupported here, or for these files: the caller writes the rest
        while copy is not None and offset < end:
            done = copy(source, target, end - offset, offset)
            if done <= 0:
                break
            offset += done
    return offset - start


@contextlib.contextmanager
def span_file(path: str | Path) -> Iterator[SpanWriter]:
    """A :class:`SpanWriter` on a new file at ``path``, put in place (atomically) if the block succeeds."""
    with atomic_write(path, "wb") as handle:
        out = SpanWriter(handle)
        yield out
        out.close()
        handle.flush()
        st = os.fstat(handle.fileno())  # the renaming keeps size, time and inode
        out.stamp = (st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass(frozen=True)
class IndexKind:
    """The index of one writer: its file name in the reuse folder, and what its text is made by."""

    name: str
    sources: tuple[str, ...]
    libraries: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        return writer_version(self.sources, self.libraries)


NETWORK_INDEX = IndexKind("network-spans.pickle", NETWORK_SOURCES)
RDF_INDEX = IndexKind("rdf-spans.pickle", RDF_SOURCES, ("pyoxigraph",))
TABLE_INDEX = IndexKind("table-spans.pickle", TABLE_SOURCES)


@contextlib.contextmanager
def last_export(kind: IndexKind, reuse_dir: str | Path | None, files: dict[str, Path]) -> Iterator[SpanIndex]:
    """The last export's index of ``kind`` in ``reuse_dir`` with ``files`` open
    (:meth:`SpanIndex.opened`), or an empty index without ``reuse_dir``. It is forgotten on disk as
    the block starts: the files it describes are about to change."""
    if reuse_dir is None:
        yield SpanIndex()
        return
    path = Path(reuse_dir) / kind.name
    with SpanIndex.opened(path, kind.version, files) as last:
        SpanIndex.remove(path)
        yield last


def save_export(
    kind: IndexKind, reuse_dir: str | Path | None, index: SpanIndex, stamps: dict[str, Stamp | None]
) -> None:
    """Keep ``index`` (of the files of ``stamps``) for the next export, if there is a ``reuse_dir``."""
    if reuse_dir is not None:
        index.save(Path(reuse_dir) / kind.name, kind.version, stamps)
