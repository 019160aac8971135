"""Per-document extraction cache: re-process only the documents that changed.

An entry is one gzip-compressed JSON file holding a :class:`~graph.model.DocExtraction` (without
its document, which the caller already has). Its name is a hash of

* the document: every :class:`~graph.model.Document` field but its ``path`` (text, language, id,
  title, date, source), so any change to the article or its metadata is a miss, while an archive
  moved or named by another path (relative, absolute) still hits: a hit carries the document as
  read now, path included;
* the *pipeline version* of the document's language: the package version, a hash of every source
  and data file under ``graph/`` that affects extraction (:data:`EXTRACTION_SOURCES`), the versions
  of the libraries extraction calls, and the spaCy pipeline's name and version.

Entries of one pipeline version sit in one folder, ``<cache>/<version>/<2 hex>/<key>.json.gz``;
folders of versions not used by the last :data:`KEEP_VERSIONS` runs are pruned. Writes are atomic
(:func:`graph.fileio.atomic_write`), so concurrent runs can share a cache. An entry that cannot be
read or decoded (truncated, corrupt, written by another format) is a miss, never an error.

A re-run also keeps a *snapshot* of the last run: the documents read from each input file
(:class:`graph.documents.LoadMemo`) and every extraction of the run, as a base
(``<cache>/snapshot.pickle``) and the changes since it (``snapshot.delta.pickle``, so a run that
adds a few articles does not pickle the whole archive again), each written atomically. A re-run
over a mostly unchanged archive then reads neither the unchanged files nor their JSON entries;
everything it holds is also in the entries, so a missing, stale or corrupt snapshot only makes a
run slower. The snapshot is a pickle: like the code, a cache folder
is trusted, so never point ``--cache`` at a folder someone else can write to.

Serialisation is generic: dataclasses are walked with :func:`dataclasses.fields` and rebuilt from
their type hints, so fields added to the model need no change here. An extraction that would not
decode exactly to itself is simply not cached: the encoders of the declared types tell as they
encode (:func:`encode_entry`), and anything else is decoded again and compared.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
import sys
import types
import typing
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .documents import LoadMemo
from .fileio import atomic_write
from .memory import gc_paused
from .model import DocExtraction, Document

#: Bump when the entry layout changes.
FORMAT = 1
#: Paths under ``graph/`` whose content changes what extraction produces (folders are walked).
EXTRACTION_SOURCES = ("extract", "data", "nlp.py", "model.py", "cache.py", "pipeline.py")
#: Data files under ``graph/data`` only the exporters read.
EXPORT_ONLY_DATA = ("ontology.ttl", "shapes.ttl")
#: Libraries whose behaviour shapes the extraction of every language.
LIBRARIES = ("spacy", "babel")
#: Extra tokenizer libraries of the blank pipelines.
TOKENIZER_LIBRARIES = {"vi": ("pyvi",), "th": ("pythainlp",)}
#: Version folders kept after a run (the ones it used count first).
KEEP_VERSIONS = 6
SUFFIX = ".json.gz"
SNAPSHOT = "snapshot.pickle"
SNAPSHOT_DELTA = "snapshot.delta.pickle"
#: A run whose files differ from the snapshot's base by more than this share writes a new base.
SNAPSHOT_DELTA_SHARE = 0.25
#: Paths under ``graph/`` whose content changes the documents read from a file.
LOADING_SOURCES = ("documents.py", "model.py", "data/boilerplate.txt", "data/invisible_chars.tsv")

PACKAGE_DIR = Path(__file__).resolve().parent


# --------------------------------------------------------------------------------------------
# Pipeline version


@functools.cache
def source_hash(root: Path = PACKAGE_DIR) -> str:
    """SHA-256 of the names and contents of the files listed in :data:`EXTRACTION_SOURCES`."""
    digest = hashlib.sha256()
    for path in _source_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _source_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in EXTRACTION_SOURCES:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if not d.startswith((".", "__pycache__"))]
                for filename in filenames:
                    if filename.startswith(".") or filename.endswith((".pyc", ".pyo")):
                        continue
                    if Path(dirpath) == root / "data" and filename in EXPORT_ONLY_DATA:
                        continue
                    files.append(Path(dirpath) / filename)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _library_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def describe_pipelines(models: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """What :func:`graph.nlp.describe` returns, read from the pipelines' ``meta.json`` without loading them."""
    import spacy.util

    from . import nlp

    out: dict[str, str] = {}
    for lang in nlp.LANGUAGES:
        name = (models or {}).get(lang) or nlp.DEFAULT_MODELS[lang]
        if name.startswith("blank:"):
            out[lang] = f"spacy.blank({name[6:]!r}) {spacy.about.__version__}"
            continue
        path = Path(name) if Path(name).exists() else None
        if path is None and spacy.util.is_package(name):
            path = spacy.util.get_package_path(name)
        meta = spacy.util.get_model_meta(path) if path is not None else None
        if meta is None:  # neither a package nor a folder: let spaCy load it (and explain the failure)
            out[lang] = nlp.describe(models)[lang]
        else:
            out[lang] = f"{meta.get('name', name)} {meta.get('version', '')}".strip()
    return out


def pipeline_versions(
    models: Mapping[str, str | None] | None = None, descriptions: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The pipeline version of each language: a short hash of everything that shapes its extractions.

    ``descriptions`` are :func:`describe_pipelines` of ``models`` when the caller has them already.
    """
    common = {
        "format": FORMAT,
        "newsgraph": __version__,
        "sources": source_hash(),
        "libraries": {name: _library_version(name) for name in LIBRARIES},
        "unicode": unicodedata.unidata_version,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    out = {}
    for lang, pipeline in (descriptions or describe_pipelines(models)).items():
        extra = {name: _library_version(name) for name in TOKENIZER_LIBRARIES.get(lang, ())}
        spec = common | {"lang": lang, "pipeline": pipeline, "tokenizers": extra}
        out[lang] = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:20]
    return out


@functools.cache
def loader_version(root: Path = PACKAGE_DIR) -> str:
    """A short hash of what turns a file into documents: the loading code and its data files."""
    digest = hashlib.sha256(f"{__version__}|{unicodedata.unidata_version}|{sys.version_info[:2]}".encode())
    for name in LOADING_SOURCES:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return digest.hexdigest()[:20]


#: Document fields the cache key leaves out: where the file lies does not change what it says.
UNKEYED_FIELDS = ("path",)


def document_key(document: Document, version: str) -> str:
    """The cache key of ``document`` under a pipeline ``version``: a hash of every Document field
    but :data:`UNKEYED_FIELDS`."""
    fields = {k: v for k, v in encode(document).items() if k not in UNKEYED_FIELDS}
    blob = json.dumps([version, fields], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Generic (de)serialisation of the model's dataclasses

# Containers JSON cannot hold as such are tagged; a dict is tagged only if its keys need it.
_TUPLE, _SET, _DICT = "__tuple__", "__set__", "__dict__"
_TAGS = (_TUPLE, _SET, _DICT)


_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


def encode(value: Any) -> Any:
    """A JSON-ready copy of ``value``: dataclasses become dicts of their fields, recursively."""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return value
    if kind is list:
        return [encode(v) for v in value]
    encoder = _dataclass_encoder(kind) if dataclasses.is_dataclass(kind) else None
    if encoder is not None:
        return encoder(value)
    return _encode_other(value)


@functools.cache
def _dataclass_encoder(cls: type) -> Callable[[Any], dict]:
    """Encoder of one dataclass (made once per class): fields declared as plain scalars are copied
    as they are when they hold one (Mention, Sentence ...), the others are encoded."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    scalar = [n for n in names if _decoder(hints.get(n, Any)) is _identity]
    other = [n for n in names if n not in scalar]
    scalar_types = _SCALAR_TYPES

    def encode_dataclass(value: Any) -> dict:
        out = {}
        for name in names:
            field_value = getattr(value, name)
            out[name] = field_value if name in scalar and type(field_value) in scalar_types else encode(field_value)
        return out

    if not other:
        def encode_scalars(value: Any) -> dict:
            out = {name: getattr(value, name) for name in names}
            if all(type(v) in scalar_types for v in out.values()):
                return out
            return encode_dataclass(value)

        return encode_scalars
    return encode_dataclass


def _encode_other(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not (len(value) == 1 and next(iter(value)) in _TAGS):
            return {k: encode(v) for k, v in value.items()}
        return {_DICT: [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {_SET: [encode(v) for v in value]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(cls: type, data: Any, **given: Any) -> Any:
    """Rebuild an instance of dataclass ``cls`` from :func:`encode` output; ``given`` fields are used as is."""
    return _dataclass_decoder(cls)(data, given)


def _untyped(data: Any) -> Any:
    """Decode a value whose type is not declared (dict values, ``Any``): only the tags say more."""
    if isinstance(data, list):
        return [_untyped(v) for v in data]
    if isinstance(data, dict):
        if len(data) == 1:
            tag, inner = next(iter(data.items()))
            if tag == _TUPLE:
                return tuple(_untyped(v) for v in inner)
            if tag == _SET:
                return {_untyped(v) for v in inner}
            if tag == _DICT:
                return {_hashable(_untyped(k)): _untyped(v) for k, v in inner}
        return {k: _untyped(v) for k, v in data.items()}
    return data


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _identity(data: Any) -> Any:
    return data


_PRIMITIVES = (str, int, float, bool, type(None))


@functools.cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function turning encoded data back into a value of type ``tp`` (compiled once per type)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp in _PRIMITIVES:
        return _identity
    if dataclasses.is_dataclass(tp):
        decoder = _dataclass_decoder(tp)
        return lambda data: decoder(data, {})
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if all(a in _PRIMITIVES for a in options):
            return _identity
        decoders = [_decoder(a) for a in options]
        if len(decoders) == 1:
            only = decoders[0]
            return lambda data: None if data is None else only(data)
        return _untyped
    if origin is list and args:
        item = _decoder(args[0])
        if item is _identity:
            return list
        return lambda data: [item(v) for v in data]
    if origin in (set, frozenset) and args:
        item = _decoder(args[0])
        return lambda data: origin(item(v) for v in data[_SET])
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda data: tuple(item(v) for v in data[_TUPLE])
        items = [_decoder(a) for a in args]
        return lambda data: tuple(f(v) for f, v in zip(items, data[_TUPLE], strict=True))
    if origin is dict and args and args[0] is str:
        value = _decoder(args[1])
        if value is _identity:
            return _untyped
        return lambda data: {k: value(v) for k, v in data.items()}
    return _untyped


@functools.cache
def _dataclass_decoder(cls: type) -> Callable[[Any, dict], Any]:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _decoder(hints.get(f.name, Any))) for f in dataclasses.fields(cls) if f.init]
    plain = [name for name, field_decoder in fields if field_decoder is _identity]
    converted = [(name, field_decoder) for name, field_decoder in fields if field_decoder is not _identity]
    if not converted and all(f.init for f in dataclasses.fields(cls)):
        # every field as stored (Mention, Sentence, ...): the data are the keyword arguments
        # (an unknown key raises TypeError: a corrupt entry, so a miss)
        return lambda data, given: cls(**(data | given if given else data))

    def decode_dataclass(data: dict, given: dict) -> Any:
        kwargs = dict(given)
        for name in plain:
            if name in data and name not in kwargs:
                kwargs[name] = data[name]
        for name, field_decoder in converted:
            if name in data and name not in kwargs:
                kwargs[name] = field_decoder(data[name])
        return cls(**kwargs)

    return decode_dataclass


# --------------------------------------------------------------------------------------------
# Exact encoding: an entry that needs no round trip to show it decodes to what was stored


class _Inexact(TypeError):
    """A value the exact encoders do not take: encoded the generic way and checked by a round trip."""


def _native(value: Any) -> Any:
    """``value`` where the decoder keeps the JSON value as it is: JSON's own types only (a finite
    float: NaN is not equal to itself), no tuple, set or dataclass at any depth."""
    kind = type(value)
    if kind is list:
        for item in value:
            _native(item)
        return value
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _Inexact("a key that is not a str")
            _native(item)
        return value
    return _native_scalar(value)


def _hashable_exact(value: Any) -> Any:
    """A dict key or set item, encoded so that it decodes to an equal hashable (a frozenset would
    come back a set, which is not hashable)."""
    if type(value) is tuple:
        return {_TUPLE: [_hashable_exact(v) for v in value]}
    return _native_scalar(value)


def _native_scalar(value: Any) -> Any:
    """``value`` if it is a JSON scalar of JSON's own type (a float but NaN), else :class:`_Inexact`."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None or (kind is float and value == value):
        return value
    raise _Inexact(kind.__name__)


def _untyped_exact(value: Any) -> Any:
    """:func:`encode` of a value whose type is not declared (see :func:`_untyped`), for the values
    that decode to themselves: builtin containers and scalars, no dataclass."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is list:
        return [_untyped_exact(v) for v in value]
    if kind is dict:
        if all(type(k) is str for k in value) and not (len(value) == 1 and next(iter(value)) in _TAGS):
            return {k: _untyped_exact(v) for k, v in value.items()}
        return {_DICT: [[_hashable_exact(k), _untyped_exact(v)] for k, v in value.items()]}
    if kind is tuple:
        return {_TUPLE: [_untyped_exact(v) for v in value]}
    if kind is set or kind is frozenset:  # both decode to a set, which compares equal to either
        return {_SET: [_hashable_exact(v) for v in value]}
    return _native_scalar(value)


@functools.cache
def _exact_encoder(tp: Any) -> Callable[[Any], Any] | None:
    """The inverse of ``_decoder(tp)``: encodes a value declared as ``tp`` so that the decoder gives
    it back, raising :class:`_Inexact` where it would not; None for a declared type it does not
    know (the generic encoding and a round trip then)."""
    decoder = _decoder(tp)
    if decoder is _identity:
        return _native
    if decoder is _untyped:
        return _untyped_exact
    if dataclasses.is_dataclass(tp):
        return _exact_dataclass_encoder(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):  # one type or None (see _decoder)
        inner = _exact_encoder(next(a for a in args if a is not type(None)))
        return None if inner is None else lambda value: None if value is None else inner(value)
    if origin is list:
        item = _exact_encoder(args[0])
        if item is None:
            return None

        def encode_list(value: Any) -> list:
            if type(value) is not list:
                raise _Inexact(type(value).__name__)
            return [item(v) for v in value]

        return encode_list
    return None


@functools.cache
def _exact_dataclass_encoder(cls: type) -> Callable[..., dict] | None:
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        return None  # decode leaves such a field at its default
    hints = typing.get_type_hints(cls)
    encoders = [(f.name, _exact_encoder(hints.get(f.name, Any))) for f in fields]
    if any(encoder is None for _, encoder in encoders):
        return None

    def encode_dataclass(value: Any, omit: str | None = None) -> dict:
        if type(value) is not cls:
            raise _Inexact(type(value).__name__)  # a subclass would come back as ``cls``
        return {name: None if name == omit else encoder(getattr(value, name)) for name, encoder in encoders}

    return encode_dataclass


def encode_entry(extraction: DocExtraction) -> dict:
    """The stored form of ``extraction``: :func:`encode` without its document (the key: the caller
    has it). Raises TypeError if it would not decode to an equal extraction.

    Values of the model's own types are encoded by the exact encoders, which check as they go; any
    other value is encoded the generic way and decoded again to compare (twice as slow).
    """
    encoder = _exact_dataclass_encoder(DocExtraction)
    if encoder is not None:
        try:
            return encoder(extraction, omit="doc")
        except _Inexact:
            pass
    data = encode(extraction)
    data["doc"] = None
    if decode(DocExtraction, data, doc=extraction.doc) != extraction:
        raise TypeError("does not survive the round trip")
    return data


# --------------------------------------------------------------------------------------------
# The cache


def _difference(base: dict, files: dict, extractions: dict) -> dict:
    """What a snapshot delta holds: the entries that are not the base's (new, or read again) and
    the base's keys this run no longer has. Base entries are recognised by identity: a reused one is
    the very object unpickled with the base."""
    base_files, base_extractions = base["files"], base["extractions"]
    return {
        "files": {k: v for k, v in files.items() if base_files.get(k) is not v},
        "extractions": {k: x for k, x in extractions.items() if base_extractions.get(k) is not x},
        "dropped_files": [k for k in base_files if k not in files],
        "dropped_extractions": [k for k in base_extractions if k not in extractions],
    }


@dataclasses.dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stored: int = 0
    unreadable: int = 0  # entries found but corrupt (counted as misses too)
    uncacheable: int = 0  # extractions that do not survive the JSON round trip
    from_snapshot: int = 0  # hits served by the last run's snapshot (no entry read)
    files_reused: int = 0  # input files not read again: unchanged since the last run


class ExtractionCache:
    """Cached :class:`DocExtraction` per document, under ``root``, for the given pipeline versions."""

    def __init__(self, root: str | Path, versions: Mapping[str, str]) -> None:
        self.root = Path(root)
        self.versions = dict(versions)
        self.stats = CacheStats()
        self._used: set[str] = set()
        self._snapshot: dict[str, DocExtraction] = {}  # key -> extraction (without its document)
        # id() of a document the snapshot unpickled with its extraction -> that extraction's key
        self._snapshot_keys: dict[int, str] = {}
        # id of a document hit or stored in this run -> its key, for the next snapshot (the
        # extractions themselves are not held here: save_snapshot() is given them)
        self._keys: dict[str, str] = {}
        self._missed: dict[str, tuple[Document, str]] = {}  # document id -> (document, key) of a miss
        self._identity: dict | None = None
        self._base: dict | None = None  # the snapshot's base, as read

    def key(self, document: Document) -> str | None:
        version = self.versions.get(document.lang)
        return None if version is None else document_key(document, version)

    def path(self, document: Document, key: str | None = None) -> Path | None:
        key = key or self.key(document)
        if key is None:
            return None
        return self.root / self.versions[document.lang] / key[:2] / f"{key}{SUFFIX}"

    def _remembered(self, document: Document) -> DocExtraction | None:
        """The snapshot's extraction of ``document`` if it is the very object unpickled with it: the
        document of an unchanged file, whose key (same code, same fields) need not be computed again."""
        key = self._snapshot_keys.get(id(document))
        remembered = self._snapshot.get(key) if key else None
        if remembered is None or remembered.doc is not document:
            return None
        del self._snapshot[key]
        self._used.add(self.versions[document.lang])
        self._keys[document.id] = key
        return remembered

    def get(self, document: Document) -> DocExtraction | None:
        """The cached extraction of ``document`` (a hit), or None (a miss, also for a corrupt entry)."""
        remembered = self._remembered(document) if self._snapshot_keys else None
        if remembered is not None:
            self.stats.hits += 1
            self.stats.from_snapshot += 1
            return remembered
        path = self.path(document)
        if path is None:
            self.stats.misses += 1
            return None
        self._used.add(path.parent.parent.name)
        key = path.name[: -len(SUFFIX)]
        remembered = self._snapshot.pop(key, None)
        if remembered is not None:
            remembered.doc = document
            self._keys[document.id] = key
            self.stats.hits += 1
            self.stats.from_snapshot += 1
            return remembered
        self._missed[document.id] = (document, key)  # put() will not hash the document again
        try:
            entry = json.loads(gzip.decompress(path.read_bytes()))
            if entry["format"] != FORMAT or entry["key"] != key:
                raise ValueError("entry of another key or format")
            extraction = decode(DocExtraction, entry["extraction"], doc=document)
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except Exception:  # corrupt, truncated, unreadable, another layout: re-extract
            self.stats.misses += 1
            self.stats.unreadable += 1
            return None
        self.stats.hits += 1
        self._keys[document.id] = key
        return extraction

    def put(self, extraction: DocExtraction) -> bool:
        """Store ``extraction`` (atomically); False if it cannot be cached exactly."""
        missed, key = self._missed.pop(extraction.doc.id, (None, None))
        path = self.path(extraction.doc, key if missed is extraction.doc else None)
        if path is None:
            return False
        try:
            data = encode_entry(extraction)
            blob = json.dumps(
                {"format": FORMAT, "key": path.name[: -len(SUFFIX)], "extraction": data},
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode("utf-8")
        except Exception:  # a value JSON cannot hold, or a type the decoder cannot rebuild
            self.stats.uncacheable += 1
            return False
        self._used.add(path.parent.parent.name)
        try:
            with atomic_write(path, "wb", durable=False) as handle:  # a torn entry is a miss
                handle.write(gzip.compress(blob, compresslevel=1, mtime=0))  # 2x faster than 6, 20 % larger
        except OSError:  # a full or read-only disk must not stop the run
            return False
        self.stats.stored += 1
        self._keys[extraction.doc.id] = path.name[: -len(SUFFIX)]
        return True

    # ---------------------------------------------------------------------------- the snapshot

    def open_snapshot(self, **options: Any) -> LoadMemo:
        """Read the last run's snapshot if it was made with the same code, pipelines and ``options``
        (the loading options: language, size limit); return the memo of files for loading.

        The snapshot is a base (``snapshot.pickle``) and the changes since it
        (``snapshot.delta.pickle``); a delta that is missing, unreadable or of another base leaves
        the base alone, which is older but still right (every entry is checked again as it is used).
        """
        self._identity = {"format": FORMAT, "loader": loader_version(), "versions": self.versions} | options
        self._base = None
        files: dict = {}
        try:
            base = self._read(SNAPSHOT)
            files, self._snapshot = dict(base["files"]), dict(base["extractions"])
            self._base = base
        except Exception:  # none yet, stale, truncated or corrupt: read everything
            self._snapshot = {}
        if self._base is not None:
            try:
                delta = self._read(SNAPSHOT_DELTA)
                if delta["base"] != self._base["token"]:
                    raise ValueError("changes to another snapshot")
            except Exception:
                pass
            else:
                for key in delta["dropped_files"]:
                    files.pop(key, None)
                for key in delta["dropped_extractions"]:
                    self._snapshot.pop(key, None)
                files.update(delta["files"])
                self._snapshot.update(delta["extractions"])
        self._snapshot_keys = {id(x.doc): key for key, x in self._snapshot.items() if x.doc is not None}
        return LoadMemo(files)

    def save_snapshot(self, memo: LoadMemo, extractions: Iterable[DocExtraction]) -> None:
        """Write this run's snapshot (after the extraction): its files, and those of ``extractions``
        (this run's, with their documents) that were hit or stored here.

        While this run differs from the base by at most :data:`SNAPSHOT_DELTA_SHARE` of its files,
        only the difference is written (a re-run after adding a few articles does not pickle the
        archive again); beyond that, a new base.
        """
        if self._identity is None:
            raise RuntimeError("open_snapshot() was not called")
        self.stats.files_reused = memo.reused
        documents = {id(d) for _, docs in memo.seen.values() for d in docs}
        by_key = {}
        for x in extractions:
            key = self._keys.get(x.doc.id)
            if key is not None and id(x.doc) in documents:  # its document comes with its file: pickled once
                by_key[key] = x
        self._keys = {}
        base = self._base
        self._snapshot, self._snapshot_keys, self._missed, self._base = {}, {}, {}, None
        try:
            if base is not None:
                delta = _difference(base, memo.seen, by_key)
                changed = len(delta["files"]) + len(delta["dropped_files"])
                if changed <= SNAPSHOT_DELTA_SHARE * len(base["files"]):
                    self._write(SNAPSHOT_DELTA, delta | {"base": base["token"]})
                    return
            self._write(SNAPSHOT, {"token": os.urandom(16).hex(), "files": memo.seen, "extractions": by_key})
            (self.root / SNAPSHOT_DELTA).unlink(missing_ok=True)
        except OSError:  # a full or read-only disk must not stop the run
            pass

    def _read(self, name: str) -> dict:
        with open(self.root / name, "rb") as handle, gc_paused():
            data = pickle.load(handle)
        if data["identity"] != self._identity:
            raise ValueError("snapshot of other code, pipelines or options")
        return data

    def _write(self, name: str, data: dict) -> None:
        with atomic_write(self.root / name, "wb") as handle, gc_paused():
            pickle.dump({"identity": self._identity} | data, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def prune(self, keep: int = KEEP_VERSIONS) -> list[Path]:
        """Remove version folders beyond the ``keep`` most recent (those used by this run are kept)."""
        for name in self._used:
            folder = self.root / name
            if folder.is_dir():
                os.utime(folder)
        folders = [p for p in self._version_folders() if p.name not in self._used]
        folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        removed = folders[max(0, keep - len(self._used)) :]
        for folder in removed:
            shutil.rmtree(folder, ignore_errors=True)
        return removed

    def _version_folders(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.is_dir() and len(entry.name) == 20 and all(c in "0123456789abcdef" for c in entry.name):
                yield entry
