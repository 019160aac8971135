"""The ``documents`` stage: read article files into :class:`~graph.model.Document` objects.

Inputs are files or folders of ``.txt``, ``.md``, ``.html``/``.htm`` (one article per file) and
``.jsonl`` (one article per line: ``{"id", "text", "title", "date", "url"|"source", "lang"}``).

Every article goes through the same steps:

1. decode (UTF-8, with or without BOM; UTF-16/32 with BOM), rejecting empty, binary, non-UTF-8
   and too large files;
2. turn HTML pages (``.html``, or a ``.txt``/``.md`` that is clearly a whole HTML page) and
   Markdown into plain text, keeping the metadata they carry (title, date, canonical URL);
3. :func:`clean_text` (Unicode and whitespace normalisation, boilerplate lines removed);
4. take metadata out of the text: a leading ``date YYYY-MM-DD`` and ``Source: URL`` lines are
   removed from it; the title (first line) stays in it; a dateline ("Hanoi, 23 August 2023") or
   publication line ("Published: 14/11/2024", "Cập nhật: 15/05/2024", "Thứ Hai, 20/10/2024") in the
   first lines gives the date, only when day, month and year are all given;
5. detect the language (``vi``, ``en``, ``th``) unless the caller forces one.

``Document.text`` is exactly the text every later stage sees: all character offsets index into it.

Problems never stop a run: each unreadable file (or ``.jsonl`` line) is yielded as a
:class:`DocumentError` in place of a document, in input order.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from graph.model import Document

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
DEFAULT_MAX_BYTES = 2_000_000
LANGS = ("vi", "en", "th")
#: A first line shorter than this is taken as the title.
TITLE_MAX_CHARS = 250

BOILERPLATE_FILE = Path(__file__).parent / "data" / "boilerplate.txt"

_LANG_ALIASES = {
    "vi": "vi", "vie": "vi", "vietnamese": "vi", "tiếng việt": "vi",
    "en": "en", "eng": "en", "english": "en",
    "th": "th", "tha": "th", "thai": "th", "ไทย": "th",
}  # fmt: skip


class DocumentError(Exception):
    """A file (or a line of a .jsonl file) that cannot be read as an article."""

    path: str
    reason: str

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(str(path), reason)
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DocumentError):
            return NotImplemented
        return (self.path, self.reason) == (other.path, other.reason)

    def __hash__(self) -> int:
        return hash((self.path, self.reason))


def normalize_lang(lang: str) -> str | None:
    """``"vi"``, ``"vi-VN"``, ``"Vietnamese"`` ... -> ``"vi"``; ``None`` if not vi, en or th."""
    key = lang.strip().lower().replace("_", "-")
    return _LANG_ALIASES.get(key) or _LANG_ALIASES.get(key.split("-")[0])


# --------------------------------------------------------------------------------------------
# Input files


def iter_input_files(inputs: Iterable[str | Path]) -> Iterator[Path | DocumentError]:
    """Expand files and folders into the files to read, in a deterministic order.

    Files are yielded as given (whatever their suffix). Folders are walked recursively in sorted
    order, skipping hidden files and folders; a file there with an unsupported suffix is reported
    as a :class:`DocumentError`. The same file reached twice is yielded once.
    """
    seen: set[str] = set()

    def first_time(path: Path) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, first_time)
        elif path.is_file():
            if first_time(path):
                yield path
        elif path.exists():
            yield DocumentError(path, "not a regular file")
        else:
            yield DocumentError(path, "no such file or directory")


def _walk(folder: Path, first_time) -> Iterator[Path | DocumentError]:
    if not first_time(folder):  # also stops symlink loops
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        yield DocumentError(folder, "permission denied")
        return
    except OSError as err:
        yield DocumentError(folder, f"cannot list folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir():
            yield from _walk(path, first_time)
        elif not entry.is_file():
            broken = entry.is_symlink() and not path.exists()
            yield DocumentError(path, "broken symbolic link" if broken else "not a regular file")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            shown = path.suffix or "(no suffix)"
            yield DocumentError(
                path, f"unsupported file type '{shown}' (expected {', '.join(SUPPORTED_SUFFIXES)})"
            )
        elif first_time(path):
            yield path


# --------------------------------------------------------------------------------------------
# Loading


class LoadMemo:
    """The documents an earlier run read from each file, reused while the file is unchanged.

    A file is unchanged while its size, modification time (ns) and inode are, as build tools and
    git decide it; a file modified less than :data:`RACY_SECONDS` before it was read is not
    remembered (an edit in the same clock tick would go unseen). Files that gave an error are read
    again every time. ``previous`` is what :attr:`seen` held after the earlier run (loaded by
    :class:`graph.cache.ExtractionCache`); this run's entries collect in :attr:`seen`.
    """

    RACY_SECONDS = 2.0

    def __init__(self, previous: dict[str, tuple[tuple[int, int, int], list[Document]]] | None = None) -> None:
        self.previous = previous or {}
        self.seen: dict[str, tuple[tuple[int, int, int], list[Document]]] = {}
        self.reused = 0

    def load(self, path: Path, read: Callable[[], list[Document | DocumentError]]) -> list[Document | DocumentError]:
        try:
            st = path.stat()
        except OSError:
            return read()
        # the path as given is part of every Document read from it; the absolute one says which file
        key, signature = f"{os.path.abspath(path)}\0{path}", (st.st_size, st.st_mtime_ns, st.st_ino)
        earlier = self.previous.get(key)
        if earlier is not None and earlier[0] == signature:
            self.seen[key] = earlier
            self.reused += 1
            return list(earlier[1])
        items = read()
        if time.time() - st.st_mtime_ns / 1e9 > self.RACY_SECONDS and all(isinstance(d, Document) for d in items):
            self.seen[key] = (signature, items)  # type: ignore[assignment]
        return items


def load_documents(
    inputs: Iterable[str | Path],
    *,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    memo: LoadMemo | None = None,
) -> Iterator[Document | DocumentError]:
    """Read every article of ``inputs`` (files and folders), in order.

    Yields a :class:`Document` per article and a :class:`DocumentError` per problem, including a
    document whose id was already used (that document is skipped). With a ``memo``, files an
    earlier run read and that have not changed since are not read again.
    """
    forced = _check_lang(lang)
    return _load_documents(inputs, forced, max_bytes, memo)


def _load_documents(
    inputs, lang: str | None, max_bytes: int, memo: LoadMemo | None = None
) -> Iterator[Document | DocumentError]:
    first_seen: dict[str, str] = {}
    for item in iter_input_files(inputs):
        if isinstance(item, DocumentError):
            yield item
            continue
        if memo is None:
            loaded: Iterable[Document | DocumentError] = _load_file(item, lang, max_bytes)
        else:
            loaded = memo.load(item, lambda path=item: list(_load_file(path, lang, max_bytes)))
        for doc in loaded:
            if isinstance(doc, Document):
                if doc.id in first_seen:
                    yield DocumentError(
                        doc.path or doc.id,
                        f"duplicate document id '{doc.id}' (first seen in {first_seen[doc.id]})",
                    )
                    continue
                first_seen[doc.id] = doc.path or ""
            yield doc


def load_file(
    path: Path, *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | DocumentError]:
    """Read one file: one document per .txt/.md/.html file, one per line of a .jsonl file.

    ``lang`` forces the language (``vi``, ``en`` or ``th``); otherwise it is detected per document.
    A file with another suffix is read as text (HTML if it is clearly an HTML page).
    """
    forced = _check_lang(lang)
    return _load_file(Path(path), forced, max_bytes)


def _check_lang(lang: str | None) -> str | None:
    if lang is None:
        return None
    code = normalize_lang(lang)
    if code is None:
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGS)}")
    return code


def _load_file(path: Path, lang: str | None, max_bytes: int) -> Iterator[Document | DocumentError]:
    if path.suffix.lower() == ".jsonl":
        yield from _load_jsonl(path, lang, max_bytes)
        return
    try:
        text = _read_text(path, max_bytes)
        kind = "html" if path.suffix.lower() in (".html", ".htm") or looks_like_html(text) else "text"
        if kind == "text" and path.suffix.lower() == ".md":
            kind = "markdown"
        yield _make_document(text, kind, doc_id=path.stem, path=str(path), lang=lang)
    except DocumentError as err:
        yield err


def _read_text(path: Path, max_bytes: int) -> str:
    """The decoded content of a whole file, or a DocumentError saying why not."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(path, _too_large(size, max_bytes))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise DocumentError(path, "permission denied (cannot read the file)") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a file") from None
    except FileNotFoundError:
        raise DocumentError(path, "no such file or directory") from None
    except OSError as err:
        raise DocumentError(path, f"cannot read the file: {err.strerror or err}") from None
    if len(data) > max_bytes:  # grew since stat, or a special file
        raise DocumentError(path, _too_large(len(data), max_bytes))
    text = _decode(data, path)
    if not text.strip():
        raise DocumentError(path, "empty file")
    return text


def _too_large(size: int, limit: int) -> str:
    return f"too large: {_human_size(size)} (limit {_human_size(limit)}; raise --max-bytes)"


def _human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    if n >= 1_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n} bytes"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that are normal in text: tab, line feed, form feed, carriage return.
_TEXT_CONTROL_BYTES = bytes([9, 10, 12, 13])
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROL_BYTES) + b"\x7f"


def _decode(data: bytes, where: str | Path, offset: int = 0) -> str:
    """Decode bytes as UTF-8 (BOM allowed) or BOM-marked UTF-16/32; raise DocumentError if not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise DocumentError(where, f"not valid {encoding.upper()[:6]} text") from None
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    binary = _binary_reason(data)
    if binary:
        raise DocumentError(where, binary)
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        byte = err.object[err.start]
        at = offset + bom + err.start
        raise DocumentError(where, f"not valid UTF-8 (invalid byte 0x{byte:02X} at offset {at})") from None


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text (NUL bytes, over 10% control bytes), or None if it may be text."""
    sample = data[:8192]
    if b"\x00" in data:
        nuls = sample.count(0)
        if nuls > 0.3 * len(sample) and (sample[0::2].count(0) == nuls or sample[1::2].count(0) == nuls):
            return "binary file, not text (looks like UTF-16 without a byte-order mark; save it as UTF-8)"
        return "binary file, not text"
    if sample and len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > 0.1 * len(sample):
        return "binary file, not text"
    return None


def _load_jsonl(path: Path, lang: str | None, max_bytes: int) -> Iterator[Document | DocumentError]:
    """One document per non-blank line; a bad line is reported and the next one read."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the `with handle` below
    except PermissionError:
        yield DocumentError(path, "permission denied (cannot read the file)")
        return
    except FileNotFoundError:
        yield DocumentError(path, "no such file or directory")
        return
    except OSError as err:
        yield DocumentError(path, f"cannot read the file: {err.strerror or err}")
        return
    with handle:
        head = handle.read(8192)
        handle.seek(0)
        binary = None if any(head.startswith(bom) for bom, _ in _BOMS) else _binary_reason(head)
        if binary:
            yield DocumentError(path, binary)
            return
        if any(head.startswith(bom) for bom, _ in _BOMS):  # UTF-16/32: decode it whole
            try:
                text = _decode(handle.read(), path)
            except DocumentError as err:
                yield err
                return
            lines = ((n, None, line) for n, line in enumerate(text.split("\n"), start=1))
        else:
            lines = _jsonl_lines(handle, path, max_bytes)
        any_line = False
        for lineno, offset, line in lines:
            where = f"{path}:{lineno}"
            try:
                if isinstance(line, DocumentError):
                    raise line
                if isinstance(line, bytes):
                    line = _decode(line, where, offset or 0)
                if not line.strip():
                    continue
                any_line = True
                yield _jsonl_record(line, path, lineno, lang)
            except DocumentError as err:
                any_line = True
                yield err
        if not any_line:
            yield DocumentError(path, "empty file")


def _jsonl_lines(handle, path: Path, max_bytes: int):
    """(line number, byte offset, bytes or DocumentError) per line, each read at most max_bytes."""
    offset = 0
    lineno = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        start = offset
        offset += len(raw)
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
            start += len(codecs.BOM_UTF8)
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                raw = handle.readline(1 << 20)
                size += len(raw)
                offset += len(raw)
            yield lineno, start, DocumentError(f"{path}:{lineno}", _too_large(size, max_bytes))
            continue
        yield lineno, start, raw.rstrip(b"\r\n")


def _jsonl_record(line: str, path: Path, lineno: int, lang: str | None) -> Document:
    where = f"{path}:{lineno}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise DocumentError(where, f"invalid JSON: {err.msg} (column {err.colno})") from None
    if not isinstance(record, dict):
        raise DocumentError(where, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DocumentError(where, "missing or empty 'text' field (a non-empty string is required)")
    doc_id = record.get("id")
    if doc_id is None or doc_id == "":
        doc_id = f"{path.stem}:{lineno}"
    elif isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    elif not isinstance(doc_id, str) or not doc_id.strip():
        raise DocumentError(where, "'id' must be a non-empty string")
    meta: dict[str, str] = {}
    for key in ("title", "date", "url", "source", "lang"):
        value = record.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise DocumentError(where, f"'{key}' must be a string")
        meta[key] = value.strip()
    if "date" in meta:
        date = _iso_date(meta["date"])
        if date is None:
            raise DocumentError(where, f"invalid 'date' {meta['date']!r} (expected YYYY-MM-DD)")
        meta["date"] = date
    if "url" in meta:
        meta["source"] = meta.pop("url")
    record_lang = meta.pop("lang", None)
    if lang is None and record_lang is not None:
        lang = normalize_lang(record_lang)
        if lang is None:
            raise DocumentError(
                where, f"unsupported language {record_lang!r} in 'lang' (expected vi, en or th)"
            )
    kind = "html" if looks_like_html(text) else "text"
    return _make_document(text, kind, doc_id=doc_id.strip(), path=where, lang=lang, meta=meta)


# --------------------------------------------------------------------------------------------
# From raw text to a Document


def _make_document(
    raw: str, kind: str, *, doc_id: str, path: str, lang: str | None, meta: dict | None = None
) -> Document:
    meta = dict(meta or {})  # values given by the input record win over those found in the page/text
    # Whether meta["title"] must appear in the text (a record's title, an <h1>, a front-matter title;
    # not an HTML <title>, which often carries the site's name).
    title_in_text = "title" in meta
    if kind == "html":
        raw, html_meta = html_to_text(raw)
        if not clean_text(raw):
            raise DocumentError(path, "HTML page with no article text")
        from_h1 = html_meta.pop("title_from_h1", False)
        if "title" not in meta and "title" in html_meta:
            title_in_text = from_h1
        for key, value in html_meta.items():
            meta.setdefault(key, value)
    elif kind == "markdown":
        raw, md_meta = markdown_to_text(raw)
        title_in_text = title_in_text or "title" in md_meta
        for key, value in md_meta.items():
            meta.setdefault(key, value)

    text = clean_text(raw)
    text, found = _take_text_metadata(text)
    for key, value in found.items():
        meta.setdefault(key, value)
    if not text:
        reason = "HTML page with no article text" if kind == "html" else "no article text (only boilerplate)"
        raise DocumentError(path, reason)

    title = " ".join(clean_text(meta.get("title") or "").split())
    if title:
        if title_in_text and not _first_line(text).startswith(title):
            text = f"{title}\n{text}"
    else:
        first = _first_line(text)
        title = first if len(first) < TITLE_MAX_CHARS else None

    if lang is None:
        lang = detect_language(text)
        if lang == "und":
            raise DocumentError(
                path, "unsupported language (not Vietnamese, English or Thai); use --lang to force"
            )

    date = meta.get("date") or find_dateline_date(text)
    return Document(
        id=doc_id, text=text, lang=lang, title=title or None, date=date, source=meta.get("source"), path=path
    )


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


_DATE_LINE = re.compile(r"\A[ \t]*date[ \t]*:?[ \t]+(\d{4}-\d{2}-\d{2})(?![\d-])[ \t]*", re.IGNORECASE)
_SOURCE_LINE = re.compile(
    r"^[ \t]*(?:source|nguồn|ที่มา)[ \t]*:[ \t]*(https?://\S+)[ \t]*(?:\n|\Z)", re.IGNORECASE | re.MULTILINE
)


def _take_text_metadata(text: str) -> tuple[str, dict[str, str]]:
    """Remove a leading ``date YYYY-MM-DD`` and ``Source: URL`` lines; return them as metadata."""
    meta: dict[str, str] = {}
    match = _DATE_LINE.match(text)
    if match and _iso_date(match.group(1)):
        meta["date"] = match.group(1)
        text = text[match.end() :]
    sources = _SOURCE_LINE.findall(text)
    if sources:
        meta["source"] = sources[0]
        text = _SOURCE_LINE.sub("", text)
    if meta:
        text = _tidy_lines(text.split("\n"))
    return text, meta


def _iso_date(value: str) -> str | None:
    """The ISO date at the start of ``value`` (``2023-08-23``, ``2023-08-23T10:00:00+07:00``)."""
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?![\d])", value)
    if not match:
        return None
    return _valid_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _valid_date(year: int, month: int, day: int) -> str | None:
    if not 1800 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Cleaning

# Line breaks other than \n, and spaces other than U+0020 (NBSP, narrow NBSP, en/em spaces ...).
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n\t ]")  # whitespace that is not newline, tab or space
_BLANK_RUNS = re.compile(r"\n{3,}")


@functools.cache
def _boilerplate() -> re.Pattern[str]:
    patterns = []
    for lineno, line in enumerate(BOILERPLATE_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            re.compile(line)
        except re.error as err:
            raise ValueError(f"{BOILERPLATE_FILE}:{lineno}: bad regular expression: {err}") from None
        patterns.append(f"(?:{line})")
    return re.compile("|".join(patterns) or r"(?!)", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Normalise an article's text; the result is what every later stage sees.

    NFC; BOM, control characters (but ``\\n`` and ``\\t``) and zero-width/format characters removed;
    ``\\r\\n``/``\\r`` and other line separators -> ``\\n``; NBSP and other spaces -> `` ``; spaces
    around lines stripped; boilerplate lines (``graph/data/boilerplate.txt``) removed; runs of
    blank lines collapsed to one; no blank lines at the start or end.
    """
    if _odd_characters().search(text):  # most articles have none: one scan instead of three
        text = _NEWLINES.sub("\n", text)
        text = _droppable().sub("", text)
        text = _SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    boilerplate = _boilerplate()
    lines = [line for line in text.split("\n") if not boilerplate.fullmatch(line.strip())]
    return _tidy_lines(lines)


def _tidy_lines(lines: list[str]) -> str:
    text = "\n".join(line.strip() for line in lines)
    return _BLANK_RUNS.sub("\n\n", text).strip()


INVISIBLE_FILE = Path(__file__).parent / "data" / "invisible_chars.tsv"


@functools.cache
def _odd_characters() -> re.Pattern[str]:
    """Any character that ``_NEWLINES``, ``_droppable()`` or ``_SPACES`` would replace, in one class."""
    # every whitespace character is in the Basic Multilingual Plane (tests/test_fast_paths.py)
    spaces = "".join(ch for ch in map(chr, range(0x10000)) if ch.isspace() and ch not in "\n\t ")
    return re.compile(f"[{re.escape(spaces)}{_droppable().pattern[1:-1]}\x1c-\x1e\x85\u2028\u2029]")


@functools.cache
def _droppable() -> re.Pattern[str]:
    """Control characters (but newline and tab) and invisible format characters (BOM, zero-width
    spaces and joiners, soft hyphen, direction marks ...): Unicode categories Cc and Cf."""
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in invisible_ranges()) + "]")


def invisible_ranges() -> list[tuple[int, int]]:
    """The code point ranges of :func:`_droppable`: from ``data/invisible_chars.tsv`` when it was
    made from this Python's Unicode database, else computed (half a second)."""
    lines = [line for line in INVISIBLE_FILE.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    rows = [line.split("\t") for line in lines[1:]]  # after the header
    if rows and all(row[0] == unicodedata.unidata_version for row in rows):
        return [(int(first, 16), int(last, 16)) for _, first, last in rows]
    return compute_invisible_ranges()


def compute_invisible_ranges() -> list[tuple[int, int]]:
    ranges: list[list[int]] = []
    for cp in range(sys.maxunicode + 1):
        if cp not in (9, 10) and unicodedata.category(chr(cp)) in ("Cc", "Cf"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return [(a, b) for a, b in ranges]


# --------------------------------------------------------------------------------------------
# Language


def _vi_letters() -> tuple[frozenset[str], frozenset[str]]:
    """Latin letters of Vietnamese with diacritics: (all of them, those no other language uses)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    allowed = tones | {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
    weak: set[str] = {"đ", "Đ"}
    strong: set[str] = {"đ", "Đ"}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base, *marks = unicodedata.normalize("NFD", ch)
        if not marks or base.lower() not in "aeiouy" or not set(marks) <= allowed:
            continue
        weak.add(ch)
        if (
            {"\u0309", "\u0323", "\u031b"} & set(marks)  # hook above, dot below, horn (ơ ư)
            or ("\u0306" in marks and base in "aA")  # ă
            or ("\u0303" in marks and base.lower() in "iuey")  # ĩ ũ ẽ ỹ
            or len(marks) >= 2  # ấ ề ổ ...
        ):
            strong.add(ch)
    return frozenset(weak), frozenset(strong)


_VI_ANY, _VI_STRONG = _vi_letters()
_LATIN_RANGES = (("A", "Z"), ("a", "z"), ("\u00c0", "\u00d6"), ("\u00d8", "\u00f6"), ("\u00f8", "\u024f"),
                 ("\u1e00", "\u1eff"))  # (every Vietnamese letter is in one)
_LATIN = "".join(f"{first}-{last}" for first, last in _LATIN_RANGES)
# Runs of letters (counting the letters of runs allocates one string per run, not per letter)
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")  # Thai letters, vowels and tone marks (not digits)
_OTHER_LETTER_RUN = re.compile(rf"[^\W\d_\u0e00-\u0e7f{_LATIN}]+")  # letters neither Latin nor Thai
_LATIN_WORD = re.compile(f"[{_LATIN}]+")


def _word_with(letters: frozenset[str]) -> re.Pattern[str]:
    """A whole Latin word holding one of ``letters`` (one match per such word, found in C).

    A Latin letter first (the scan skips other characters in C), which starts a word (no retry
    inside one); then either it is one of ``letters`` or the word's next letters reach one; then the
    rest of the word. ``[latin]*[letters][latin]*`` gives the same matches but backtracks over
    every word from each of its letters, and tries every character.
    """
    others = "".join(ch for first, last in _LATIN_RANGES for ch in map(chr, range(ord(first), ord(last) + 1))
                     if ch not in letters)
    chosen, latin, other = f"[{''.join(sorted(letters))}]", f"[{_LATIN}]", f"[{re.escape(others)}]"
    return re.compile(f"{latin}(?<!{latin}.)(?:(?<={chosen})|{other}*{chosen}){latin}*")


_VI_ANY_WORD = _word_with(_VI_ANY)
_VI_STRONG_WORD = _word_with(_VI_STRONG)
_EN_FUNCTION_WORDS = frozenset((
    "the", "of", "and", "to", "in", "a", "an", "is", "are", "was", "were", "be", "been", "for",
    "on", "with", "that", "this", "by", "as", "at", "from", "it", "its", "has", "have", "had",
    "will", "would", "which", "who", "their", "they", "he", "she", "not", "or", "but",
))  # fmt: skip
#: Enough text to decide; longer texts are sampled from the start.
_DETECT_CHARS = 50_000


def detect_language(text: str) -> str:
    """``"vi"``, ``"en"`` or ``"th"``; ``"und"`` when under half the letters are Latin or Thai.

    Thai when at least 40% of the Latin and Thai letters are Thai (Thai news quotes many names in
    Latin script). Among Latin text, Vietnamese when at least 30% of the words carry Vietnamese
    diacritics, at least 10% carry diacritics only Vietnamese uses (ơ ư ă đ, hook above, dot
    below, stacked marks), and diacritic words outnumber English function words two to one (so
    English copy that spells names as "Việt Nam", "Hà Nội" stays English). Else English.
    """
    sample = unicodedata.normalize("NFC", text[:_DETECT_CHARS])
    words = _LATIN_WORD.findall(sample)
    thai = sum(map(len, _THAI_RUN.findall(sample)))
    latin = sum(map(len, words))
    other = sum(map(len, _OTHER_LETTER_RUN.findall(sample)))
    if thai + latin == 0 or thai + latin < other:
        return "und"
    if thai >= 0.4 * (thai + latin):
        return "th"
    n = len(words)
    vi_any = len(_VI_ANY_WORD.findall(sample))
    if vi_any < 0.3 * n:  # (most English text stops here)
        return "en"
    vi_strong = len(_VI_STRONG_WORD.findall(sample))
    english = sum(1 for w in words if w.lower() in _EN_FUNCTION_WORDS)
    if vi_strong >= 0.1 * n and vi_any >= 2 * english:
        return "vi"
    return "en"


# --------------------------------------------------------------------------------------------
# Datelines

_EN_MONTHS = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_TH_MONTHS = {
    name: i
    for i, name in enumerate(
        (
            "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
            "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
        ),
        start=1,
    )
}  # fmt: skip
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_TH_MONTH = "|".join(_TH_MONTHS)
# "Hanoi, 23 August 2023 (VNA) -", "HANOI, Aug. 23, 2023", "Hà Nội, ngày 8/10/2020",
# "Hà Nội, ngày 8 tháng 10 năm 2020", "กรุงเทพฯ, 23 สิงหาคม 2566": a place (or weekday) and a
# comma at the start of a line, then a full date. Numeric dates only after "ngày" (day first).
_PLACE = r"[^\W\d_][^\d,\n]{0,40}?"
_DATELINES = [
    ("dmy", re.compile(rf"{_PLACE},\s*(\d{{1,2}})\s+({_EN_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("mdy", re.compile(rf"{_PLACE},\s*({_EN_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"{_PLACE},\s*ngày\s+(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"{_PLACE},\s*ngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+(\d{{4}})\b", re.I)),
    ("dmy", re.compile(rf"{_PLACE},\s*(?:วันที่\s*)?(\d{{1,2}})\s+({_TH_MONTH})\s+(?:พ\.ศ\.\s*)?(\d{{4}})\b")),
]
# A publication line as news sites print it: "Published: 14/11/2024", "Cập nhật: 15/05/2024 10:30",
# "Posted: November 14, 2024", "Thứ Hai, 20/10/2024 - 10:30", "เผยแพร่: 20 มีนาคม 2567". Numeric
# dates are day first (as in Vietnam and Thailand) unless the first number cannot be a month.
_PUBLISHED_LABEL = (r"(?:Published|Updated|Posted|Last updated|Cập nhật|Ngày đăng|Đăng ngày|Xuất bản|"
                    r"เผยแพร่|วันที่เผยแพร่|อัปเดต)(?:\s+(?:on|at|lúc|ngày))?\s*:?\s*")
_VI_WEEKDAY = r"(?:Thứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy|2|3|4|5|6|7)|Chủ\s+[Nn]hật),\s*"
_DATELINES += [
    ("dmy", re.compile(rf"(?:{_PUBLISHED_LABEL}|{_VI_WEEKDAY})(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})\b",
                       re.IGNORECASE)),
    ("mdy", re.compile(rf"{_PUBLISHED_LABEL}({_EN_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"{_PUBLISHED_LABEL}(\d{{1,2}})\s+({_EN_MONTH}|{_TH_MONTH})\.?,?\s+(?:พ\.ศ\.\s*)?(\d{{4}})\b",
                       re.IGNORECASE)),
]
#: How many non-empty lines from the top may hold the dateline.
_DATELINE_LINES = 4


def find_dateline_date(text: str) -> str | None:
    """The ISO date of a dateline in the first lines, only when day, month and year are all given."""
    lines = [line for line in text.split("\n", 20)[:20] if line.strip()][:_DATELINE_LINES]
    for line in lines:
        for order, pattern in _DATELINES:
            match = pattern.match(line)
            if not match:
                continue
            a, b, year = match.groups()
            day, month = (a, b) if order == "dmy" else (b, a)
            if day.isdigit() and month.isdigit() and int(month) > 12 >= int(day):
                day, month = month, day  # "11/14/2024": month first after all
            month_no = int(month) if month.isdigit() else _EN_MONTHS.get(month.lower()) or _TH_MONTHS[month]
            year_no = int(year) - 543 if int(year) > 2400 else int(year)  # Thai Buddhist era
            date = _valid_date(year_no, month_no, int(day))
            if date:
                return date
    return None


# --------------------------------------------------------------------------------------------
# HTML


def looks_like_html(text: str) -> bool:
    """True for a whole HTML page (``<!DOCTYPE html>``, ``<html>``, or a ``<head>``/``<body>``)."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return head.startswith("<") and re.search(r"<(head|body)[\s>]", head) is not None


_DROP_TAGS = frozenset((
    "script", "style", "title", "nav", "header", "footer", "aside", "form", "noscript", "template",
    "svg", "iframe", "button", "select", "textarea", "object", "canvas",
))  # fmt: skip
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "table", "thead", "tbody", "tfoot", "section", "article", "main", "blockquote", "pre",
    "figure", "figcaption", "address", "details", "summary", "caption", "center",
))  # fmt: skip
_DATE_META = ("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate",
              "date", "dc.date", "dcterms.created", "dc.date.issued")  # fmt: skip


class _ArticleParser(HTMLParser):
    """Collects text chunks with where they sit (article, main) and the page metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, int | None, bool]] = []  # (text, article number, in <main>)
        self.drop: list[str] = []
        self.article_depth = 0
        self.article_no = -1
        self.main_stack: list[list] = []  # [tag, depth of nested same-name tags]
        self.pre = 0
        self.h1s: list[tuple[str, int | None, bool]] = []  # (text, article, in a dropped part)
        self.h1: list[str] | None = None
        self.title: list[str] | None = None
        self.title_text = ""
        self.meta: dict[str, str] = {}
        self.time: str | None = None
        self.canonical: str | None = None

    def _where(self) -> tuple[int | None, bool]:
        return (self.article_no if self.article_depth else None), bool(self.main_stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
            return
        if tag == "link":
            if "canonical" in a.get("rel", "").lower().split() and self.canonical is None:
                self.canonical = a.get("href", "").strip()
            return
        if tag == "time" and self.time is None and a.get("datetime"):
            self.time = a["datetime"]
        if tag == "title" and self.title is None:
            self.title = []
        if tag == "h1" and self.h1 is None:
            self.h1 = []
        if tag in _DROP_TAGS:
            self.drop.append(tag)
            return
        if self.drop:
            return
        if tag == "article":
            if self.article_depth == 0:
                self.article_no += 1
            self.article_depth += 1
        if self.main_stack and tag == self.main_stack[-1][0]:
            self.main_stack[-1][1] += 1
        elif tag == "main" or a.get("role") == "main":
            self.main_stack.append([tag, 1])
        if tag == "pre":
            self.pre += 1
        if tag in _BLOCK_TAGS:
            self.chunks.append(("\n", *self._where()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None and not self.title_text:
            self.title_text = " ".join("".join(self.title).split()) or " "
        if tag == "h1" and self.h1 is not None:
            text = " ".join("".join(self.h1).split())
            if text:
                self.h1s.append((text, *self._where()[:1], bool(self.drop)))
            self.h1 = None
        if tag in _DROP_TAGS:
            if tag in self.drop:
                while self.drop.pop() != tag:
                    pass
            return
        if self.drop:
            return
        if tag in _BLOCK_TAGS:
            self.chunks.append(("\n", *self._where()))
        elif tag in ("td", "th"):
            self.chunks.append((" ", *self._where()))
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
        if self.main_stack and tag == self.main_stack[-1][0]:
            self.main_stack[-1][1] -= 1
            if not self.main_stack[-1][1]:
                self.main_stack.pop()
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.title is not None and not self.title_text:
            self.title.append(data)
        if self.h1 is not None:
            self.h1.append(data)
        if self.drop:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self.chunks.append((data, *self._where()))


def html_to_text(html: str) -> tuple[str, dict]:
    """Article text of an HTML page (block elements on their own lines) and its metadata.

    The text comes from the largest ``<article>``, else ``<main>``, else the whole page, without
    script/style/nav/header/footer/aside/form/noscript. Metadata: ``title`` (``<h1>``, else
    ``og:title``, else ``<title>``), ``date`` (``article:published_time`` and similar, else the
    first ``<time datetime>``) and ``source`` (``<link rel="canonical">``, else ``og:url``).
    """
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    chunks = parser.chunks
    # Keep the largest <article> (else <main>) when it holds a good share of the page's text:
    # a small <article> is a teaser card, not the story.
    total = sum(len(text.strip()) for text, _, _ in chunks) or 1
    sizes: dict[int, int] = {}
    for text, article, _ in chunks:
        if article is not None:
            sizes[article] = sizes.get(article, 0) + len(text.strip())
    best = max(sizes, key=lambda k: sizes[k]) if sizes else None
    if best is not None and sizes[best] >= 0.3 * total:
        chunks = [c for c in chunks if c[1] == best]
    else:
        best = None
        if sum(len(text.strip()) for text, _, in_main in chunks if in_main) >= 0.3 * total:
            chunks = [c for c in chunks if c[2]]
    lines = "".join(text for text, _, _ in chunks).split("\n")
    text = "\n".join(line.strip() for line in lines if line.strip())

    meta: dict = {}
    h1 = (
        next((t for t, art, dropped in parser.h1s if art == best and best is not None and not dropped), None)
        or next((t for t, _, dropped in parser.h1s if not dropped), None)
        or next((t for t, _, _ in parser.h1s), None)
    )
    if h1:
        meta["title"], meta["title_from_h1"] = h1, True
    elif parser.meta.get("og:title"):
        meta["title"] = " ".join(parser.meta["og:title"].split())
    elif parser.title_text.strip():
        meta["title"] = parser.title_text.strip()
    for key in _DATE_META:
        date = _iso_date(parser.meta.get(key, ""))
        if date:
            meta["date"] = date
            break
    else:
        if parser.time and _iso_date(parser.time):
            meta["date"] = _iso_date(parser.time)
    for url in (parser.canonical, parser.meta.get("og:url")):
        if url and re.match(r"https?://\S+$", url):
            meta["source"] = url
            break
    return text, meta


# --------------------------------------------------------------------------------------------
# Markdown

_MD_RULES = [
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"^[ \t]{0,3}(?:```|~~~).*$", re.MULTILINE), ""),  # code fences (content kept)
    (re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE), ""),  # link definitions
    (re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE), ""),  # --- rules
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE), r"\1"),  # # headings
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*$", re.MULTILINE), ""),
    (re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE), ""),  # > quotes
    (re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE), ""),  # bullets
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # <url>
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"), r"\1"),  # _em_
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # `code`
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # backslash escapes
]
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def markdown_to_text(text: str) -> tuple[str, dict]:
    """Plain text of a Markdown article (markup removed) and metadata from its YAML front matter."""
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        text = text[match.end() :]
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            key, value = key.strip().lower(), value.strip().strip("'\"").strip()
            if not sep or not value:
                continue
            if key == "title":
                meta["title"] = value
            elif key in ("date", "published", "pubdate") and _iso_date(value):
                meta["date"] = _iso_date(value)
            elif key in ("source", "url", "canonical_url") and re.match(r"https?://\S+$", value):
                meta.setdefault("source", value)
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, meta
