"""The whole run, top to bottom: documents -> nlp -> extract -> resolve -> build -> export.

Extraction streams: documents are read one at a time, looked up in the per-document cache
(:mod:`graph.cache`), and the misses are grouped into per-language batches of :data:`BATCH_SIZE`
that are parsed with ``nlp.pipe`` and extracted from, so memory holds a few batches of spaCy
``Doc`` objects, never the corpus. Batches run

* ``engine="local"``, ``jobs=1``: in this process;
* ``engine="local"``, ``jobs=N``: in N worker processes, each loading the pipelines once;
* ``engine="dask"``: as one task per batch on a Dask cluster (a local one unless ``scheduler``
  names one).

Whatever the engine, the extractions are sorted by document id before resolution, so the graph
is the same for any engine, number of jobs or cache state.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import multiprocessing.connection
import pickle
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain
from multiprocessing.connection import Connection
from pathlib import Path

import networkx as nx
from spacy.tokens import Doc

from . import nlp
from .build import build_graph, now
from .cache import CacheStats, ExtractionCache, describe_pipelines, pipeline_versions
from .documents import DEFAULT_MAX_BYTES, DocumentError, iter_input_files, load_documents
from .export import write_network
from .export.rdf import DEFAULT_BASE_IRI, write_rdf_files
from .export.reuse import GraphPrints
from .export.tables import write_tables
from .extract import extract_document
from .fileio import publishing_in_background
from .memory import freeze_survivors, gc_frozen, gc_paused
from .model import DocExtraction, Document
from .resolve import AliasRules, resolve, resolve_events

#: Documents per ``nlp.pipe`` batch (and per worker task): memory is bounded by the batch, not the corpus.
BATCH_SIZE = 64
#: Batches in flight per worker: enough to keep workers busy, few enough to bound memory.
BATCHES_PER_WORKER = 2
#: Tries of a batch whose worker process died.
MAX_ATTEMPTS = 2
ENGINES = ("local", "dask")
#: Name of the default cache folder inside the output folder.
CACHE_DIR_NAME = ".cache"
#: Folder in the cache for what lets the next export reuse the text of what did not change.
EXPORTS_DIR_NAME = "exports"

BatchResult = list[DocExtraction | DocumentError]


@dataclass
class RunResult:
    graph: nx.MultiDiGraph
    extractions: list[DocExtraction]
    errors: list[DocumentError] = field(default_factory=list)
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    cache: CacheStats | None = None  # None when the cache is off
    cache_dir: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


# --------------------------------------------------------------------------------------------
# One batch: what every worker runs


def preload_pipelines(models: dict[str, str] | None, langs: Iterable[str]) -> None:
    """Load the pipelines of ``langs`` in this process and run the extraction rules once on each
    language's warm-up text, so that the word lists and patterns they load or compile on first use
    (about 1 s in all) are ready before the first batch (workers call it once, at start)."""
    for lang in langs:
        pipeline = nlp.load_pipeline(lang, (models or {}).get(lang))
        text = nlp.warm_up_text(lang)
        extract_document(Document(id="warm-up", text=text, lang=lang), pipeline(text))


def extract_batch(documents: list[Document], models: dict[str, str] | None = None) -> BatchResult:
    """Parse documents of one language with ``nlp.pipe`` and extract from each, in order.

    A document that fails gives a :class:`DocumentError` in its place; if the pipeline itself
    fails on the batch, the rest of the batch is parsed one document at a time so only the
    culprit fails.
    """
    if not documents:
        return []
    lang = documents[0].lang
    pipeline = nlp.load_pipeline(lang, (models or {}).get(lang))
    out: BatchResult = []
    try:
        for document, doc in zip(documents, pipeline.pipe(d.text for d in documents), strict=True):
            out.append(_extract_one(document, doc))
    except Exception:
        for document in documents[len(out) :]:
            try:
                doc = pipeline(document.text)
            except Exception as err:
                out.append(DocumentError(document.path or document.id, f"parsing failed: {err!r}"))
                continue
            out.append(_extract_one(document, doc))
    return out


def _extract_one(document: Document, doc: Doc) -> DocExtraction | DocumentError:
    try:
        return extract_document(document, doc)
    except Exception as err:  # one bad document must not stop the run
        return DocumentError(document.path or document.id, f"extraction failed: {err!r}")


# --------------------------------------------------------------------------------------------
# Engines: map extract_batch over a stream of batches, yielding (batch, results) as they finish

BatchMap = Iterator[tuple[list[Document], BatchResult]]


def _map_in_process(batches: Iterable[list[Document]], models: dict[str, str] | None) -> BatchMap:
    for batch in batches:
        yield batch, extract_batch(batch, models)


def failed_batch(batch: list[Document], reason: str) -> BatchResult:
    return [DocumentError(d.path or d.id, reason) for d in batch]


def _map_in_processes(
    batches: Iterable[list[Document]], models: dict[str, str] | None, jobs: int, langs: tuple[str, ...]
) -> BatchMap:
    """``jobs`` worker processes (spawned, pipelines loaded once each), a bounded number of batches in flight.

    If a worker dies (killed, out of memory), the pool is replaced and the batches it held are
    retried; a batch lost :data:`MAX_ATTEMPTS` times fails with an error per document.
    """
    context = multiprocessing.get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(jobs, mp_context=context, initializer=preload_pipelines, initargs=(models, langs))

    pool = new_pool()
    in_flight: dict[Future, tuple[list[Document], int]] = {}
    stream = iter(batches)
    exhausted = False
    try:
        while in_flight or not exhausted:
            while not exhausted and len(in_flight) < jobs * BATCHES_PER_WORKER:
                batch = next(stream, None)
                if batch is None:
                    exhausted = True
                else:
                    in_flight[pool.submit(extract_batch, batch, models)] = (batch, 0)
            if not in_flight:
                break
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            lost: list[tuple[list[Document], int]] = []
            for future in done:
                batch, attempts = in_flight.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    lost.append((batch, attempts))
                    continue
                yield batch, results
            if lost:  # the pool is broken: every batch still in it is lost too
                lost += [in_flight.pop(f) for f in list(in_flight)]
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                for batch, attempts in lost:
                    if attempts + 1 >= MAX_ATTEMPTS:
                        yield batch, failed_batch(batch, "a worker process died while extracting this batch")
                    else:
                        in_flight[pool.submit(extract_batch, batch, models)] = (batch, attempts + 1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------------------------
# Extraction with the cache


@dataclass
class _Stream:
    """Documents read so far and what happened to them."""

    order: dict[str, int] = field(default_factory=dict)  # document id -> input position
    extractions: list[DocExtraction] = field(default_factory=list)
    errors: list[tuple[int, DocumentError]] = field(default_factory=list)


def _batches(
    documents: Iterable[Document],
    state: _Stream,
    cache: ExtractionCache | None,
    progress: Callable[[int], None] | None,
    batch_size: int,
) -> Iterator[list[Document]]:
    """Cached documents go straight to ``state``; the others come out in per-language batches."""
    pending: dict[str, list[Document]] = {}
    for document in documents:
        state.order[document.id] = len(state.order)
        cached = cache.get(document) if cache else None
        if cached is not None:
            state.extractions.append(cached)
            if progress:
                progress(1)
            continue
        batch = pending.setdefault(document.lang, [])
        batch.append(document)
        if len(batch) >= batch_size:
            yield pending.pop(document.lang)
    for lang in sorted(pending):
        yield pending.pop(lang)


def _unless_one_batch(
    batches: Iterator[list[Document]], batch_size: int
) -> tuple[list[list[Document]], Iterator[list[Document]] | None]:
    """``batches`` read until they hold more than one batch of documents: (those read, the rest),
    or (all of them, None) when the stream ends first.

    Parsing that few documents here is faster than starting worker processes that load every
    pipeline (a re-run that adds a few articles to a cached archive).
    """
    head: list[list[Document]] = []
    documents = 0
    for batch in batches:
        head.append(batch)
        documents += len(batch)
        if documents > batch_size:
            return head, batches
    return head, None


def extract_all(
    documents: Iterable[Document],
    models: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    errors: list[DocumentError] | None = None,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: ExtractionCache | None = None,
    langs: Iterable[str] | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[DocExtraction]:
    """Extract from every document (from the cache when it has it), sorted by document id.

    Failed documents are appended to ``errors`` in input order (raised if ``errors`` is None).
    ``langs`` are the languages workers preload (all by default).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (expected {' or '.join(ENGINES)})")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    preload = tuple(langs or nlp.LANGUAGES)
    state = _Stream()
    batches = _batches(documents, state, cache, progress, batch_size)
    rest: Iterator[list[Document]] | None = None
    if engine == "dask":
        try:
            from .dask_engine import map_on_dask
        except ImportError:
            raise ValueError("the dask engine needs dask.distributed: pip install 'newsgraph[dask]'") from None
        mapped = map_on_dask(extract_batch, batches, models, jobs, preload, scheduler)
    elif jobs > 1:
        head, rest = _unless_one_batch(batches, batch_size)
        if rest is None:
            mapped = _map_in_process(head, models)
        else:
            mapped = _map_in_processes(chain(head, rest), models, jobs, preload)
    else:
        mapped = _map_in_process(batches, models)
    # extracted here, between parses, an extraction is kept pickled until the last batch (see _unpacked)
    packed: list[tuple[Document, bytes]] | None = [] if engine == "local" and rest is None else None
    # the extractions pile up until resolution: frozen batch by batch, the collector does not scan
    # them again and again as they age (2,000 articles: 8 full collections over a growing heap, then 4)
    with gc_frozen():
        for batch, results in mapped:
            for document, result in zip(batch, results, strict=True):
                if isinstance(result, DocumentError):
                    state.errors.append((state.order[document.id], result))
                else:
                    result.doc = document  # the worker's copy of the text is not kept twice
                    if cache:
                        cache.put(result)
                    if packed is None:
                        state.extractions.append(result)
                    else:
                        result.doc = None  # not pickled with it: given back as it is unpacked
                        packed.append((document, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
                if progress:
                    progress(1)
            freeze_survivors()
    if packed:
        state.extractions.extend(_unpacked(packed))
    state.errors.sort(key=lambda item: item[0])
    if state.errors and errors is None:
        raise RuntimeError(str(state.errors[0][1]))
    if errors is not None:
        errors.extend(err for _, err in state.errors)
    state.extractions.sort(key=lambda x: x.doc.id)
    return state.extractions


# --------------------------------------------------------------------------------------------
# The run


def count_documents(inputs: Iterable[str | Path]) -> int:
    """About how many documents ``inputs`` hold (files, plus non-blank lines of .jsonl files), for progress."""
    total = 0
    for item in iter_input_files(inputs):
        if isinstance(item, DocumentError):
            continue
        if item.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with open(item, "rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            pass
    return total


def run(
    inputs: list[str | Path],
    out_dir: str | Path,
    *,
    lang: str | None = None,
    models: dict[str, str] | None = None,
    aliases: str | Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_error: Callable[[DocumentError], None] | None = None,
    progress_factory: Callable[[int], Callable[[int], None] | None] | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: str | Path | bool | None = True,
    batch_size: int = BATCH_SIZE,
) -> RunResult:
    """Extract a graph from ``inputs`` and write every output into ``out_dir``.

    ``cache``: True for ``<out_dir>/.cache``, a folder, or False/None for no cache.
    """
    started = time.perf_counter()
    started_at = now()
    out = Path(out_dir)
    errors: list[DocumentError] = []

    def report(err: DocumentError) -> None:
        errors.append(err)
        if on_error:
            on_error(err)

    def documents() -> Iterator[Document]:
        for item in load_documents(inputs, lang=lang, max_bytes=max_bytes, memo=memo):
            if isinstance(item, DocumentError):
                report(item)
                if progress:
                    progress(1)
            else:
                yield item

    descriptions = describe_pipelines(models)  # also checks --model names before any work
    cache_dir = (out / CACHE_DIR_NAME if cache is True else Path(cache)) if cache else None
    store = ExtractionCache(cache_dir, pipeline_versions(models, descriptions)) if cache_dir else None
    memo = store.open_snapshot(lang=lang, max_bytes=max_bytes) if store else None
    # what is alive now (the snapshot's millions of objects) lives until the end of the run
    with gc_frozen():
        progress = progress_factory(count_documents(inputs)) if progress_factory else None
        extraction_errors: list[DocumentError] = []
        extractions = extract_all(
            documents(),
            models,
            progress,
            extraction_errors,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            cache=store,
            langs=[lang] if lang else None,
            batch_size=batch_size,
        )
        for err in extraction_errors:
            report(err)
        if store and memo is not None:
            store.save_snapshot(memo, extractions)
            store.prune()
        stats = store.stats if store else None
        memo = store = None  # the snapshot is written: what it did not reuse can go
        timings = {"extract": time.perf_counter() - started}
        with gc_paused():  # see graph.memory: the collector would only rescan what these stages build
            rules = AliasRules.load(aliases) if aliases else None
            resolved, mapping, merges = resolve(extractions, rules)
            event_ids, event_merges = resolve_events(extractions, mapping)
            timings["resolve"] = time.perf_counter() - started - sum(timings.values())
            languages = {x.doc.lang for x in extractions}
            run_info = {
                "started": started_at,
                "ended": now(),
                "models": {lg: desc for lg, desc in descriptions.items() if lg in languages},
                "python": sys.version.split()[0],
            }
            G = build_graph(extractions, resolved, mapping, merges + event_merges, run_info, event_ids)
            timings["build"] = time.perf_counter() - started - sum(timings.values())
            reuse_dir = export_reuse_dir(cache_dir, out) if cache_dir else None
            outputs = write_outputs(G, out, base_iri, jobs=jobs, reuse_dir=reuse_dir)
            timings["export"] = time.perf_counter() - started - sum(timings.values())
    return RunResult(G, extractions, errors, time.perf_counter() - started, outputs, stats, cache_dir, timings)


def _unpacked(packed: list[tuple[Document, bytes]]) -> Iterator[DocExtraction]:
    """The extractions ``packed`` by :func:`extract_all`, each given its document back.

    Extracted batch by batch between parses, an extraction's objects would lie scattered over a
    heap that spaCy's allocations fragment, and the stages after the parse walk every one of them
    (resolve, build and export of 10,000 articles took 4.9, 9.0 and 47.6 s after the extraction,
    3.7, 2.8 and 20.5 s in a re-run whose extractions were unpickled from the snapshot). Kept as
    bytes (about 6.2 kB an article) until the last batch, then unpickled in order, they lie side
    by side; alternating runs on 5,000 articles were 1.5 % quicker than copying them once more at
    the end, within the machine's noise.
    """
    with gc_paused():
        for document, blob in packed:
            extraction = pickle.loads(blob)
            extraction.doc = document
            yield extraction


# --------------------------------------------------------------------------------------------
# Exports


def export_reuse_dir(cache_dir: Path, out_dir: Path) -> Path:
    """Where the exports into ``out_dir`` keep what lets the next ones reuse their text: one folder
    per output folder, so that several sharing a cache (``--cache DIR``) do not undo each other's."""
    key = hashlib.sha256(str(Path(out_dir).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Path(cache_dir) / EXPORTS_DIR_NAME / key


def write_outputs(
    G: nx.MultiDiGraph, out: Path, base_iri: str = DEFAULT_BASE_IRI, *, jobs: int = 1, reuse_dir: Path | None = None
) -> list[Path]:
    """Write the RDF files, the network files and the tables of ``G`` into ``out``.

    ``reuse_dir`` (in the cache) keeps what lets the next run copy the text of what did not change:
    nodes and edges in the network files, article graphs in the RDF files, rows in the tables
    (:mod:`graph.export.reuse`).

    With ``jobs > 1`` (and where processes can be forked) the two writers (RDF; network files and
    tables) run in forked processes, which share the finished graph with this one instead of
    receiving a copy.
    Every file is written atomically by its writer; the first writer that fails is raised here.
    """

    def network_and_tables() -> list[Path]:  # together: they share the fingerprints of nodes and edges
        prints = GraphPrints.of(G) if reuse_dir else None
        return [*write_network(G, out, reuse_dir, prints).values(), *write_tables(G, out, reuse_dir, prints)]

    writers: list[Callable[[], list[Path]]] = [  # about as long as each other
        lambda: list(write_rdf_files(G, out, base_iri, reuse_dir).values()),
        network_and_tables,
    ]
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        with publishing_in_background():  # the disk takes each file while the next is written
            return [path for writer in writers for path in writer()]
    return [path for paths in _run_forked(writers, jobs) for path in paths]


def _run_forked(tasks: list[Callable[[], list[Path]]], jobs: int) -> list[list[Path]]:
    """Results of ``tasks``, in order, each computed in a forked process (at most ``jobs`` at once)."""
    context = multiprocessing.get_context("fork")
    results: dict[int, list[Path]] = {}
    running: dict[int, tuple[multiprocessing.process.BaseProcess, Connection]] = {}
    pending = list(enumerate(tasks))
    try:
        while pending or running:
            while pending and len(running) < jobs:
                index, task = pending.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_forked_task, args=(task, sender), daemon=True)
                process.start()
                sender.close()
                running[index] = (process, receiver)
            ready = multiprocessing.connection.wait([r for _, r in running.values()])
            for index, (process, receiver) in list(running.items()):
                if receiver not in ready:
                    continue
                try:
                    ok, value = receiver.recv()
                except EOFError:
                    ok, value = False, "the export process died"
                process.join()
                del running[index]
                if not ok:
                    raise RuntimeError(f"export failed: {value}")
                results[index] = [Path(p) for p in value]
    finally:
        for process, _ in running.values():
            process.terminate()
            process.join()
    return [results[i] for i in range(len(tasks))]


def _forked_task(task: Callable[[], list[Path]], sender: Connection) -> None:
    # stopped because another writer failed: unwind, so atomic writes remove their temporary files
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        with publishing_in_background():
            paths = task()
        sender.send((True, [str(p) for p in paths]))
    except BaseException as err:  # reported to the parent, which raises it
        sender.send((False, f"{type(err).__name__}: {err}"))
    finally:
        sender.close()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(1)


def summary(result: RunResult) -> dict:
    """Counts for the CLI: documents, entities by kind and language, events, relations, cache hits."""
    G = result.graph
    by_kind = Counter(d["kind"] for _, d in G.nodes(data=True))
    by_lang: Counter = Counter()
    for _, d in G.nodes(data=True):
        if d["kind"] != "Event":
            for lg in d.get("langs", []):
                by_lang[lg] += 1
    relations = Counter(d["relation"] for _, _, d in G.edges(data=True))
    return {
        "documents": len(result.extractions),
        "failed": len(result.errors),
        "by_kind": dict(by_kind),
        "by_lang": dict(by_lang),
        "relations": dict(relations),
        "seconds": round(result.seconds, 2),
        "cache_hits": result.cache.hits if result.cache else None,
        "cache_unstored": result.cache.uncacheable if result.cache else 0,
        "files_reused": result.cache.files_reused if result.cache else 0,
        "cache_dir": str(result.cache_dir) if result.cache_dir else None,
    }
