"""The whole run, top to bottom: documents -> nlp -> extract -> resolve -> build -> export."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import nlp
from .build import build_graph, now
from .documents import DEFAULT_MAX_BYTES, DocumentError, load_documents
from .export.gexf import write_gexf
from .export.graphml import write_graphml
from .export.rdf import DEFAULT_BASE_IRI, write_rdf_files
from .export.tables import write_tables
from .extract import extract_document
from .model import DocExtraction, Document
from .resolve import AliasRules, resolve

#: Documents per ``nlp.pipe`` batch: memory is bounded by the batch, not the corpus.
BATCH_SIZE = 64


@dataclass
class RunResult:
    graph: nx.MultiDiGraph
    extractions: list[DocExtraction]
    errors: list[DocumentError] = field(default_factory=list)
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)


def extract_all(
    documents: Iterable[Document],
    models: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    errors: list[DocumentError] | None = None,
) -> list[DocExtraction]:
    """Parse documents in per-language batches with ``nlp.pipe`` and extract from each."""
    out: list[DocExtraction] = []
    pending: dict[str, list[Document]] = {}

    def flush(lang: str) -> None:
        batch = pending.pop(lang, [])
        if not batch:
            return
        pipeline = nlp.load_pipeline(lang, (models or {}).get(lang))
        for document, doc in zip(batch, pipeline.pipe(d.text for d in batch), strict=True):
            try:
                out.append(extract_document(document, doc))
            except Exception as err:  # one bad document must not stop the run
                if errors is None:
                    raise
                errors.append(DocumentError(document.path or document.id, f"extraction failed: {err!r}"))
            if progress:
                progress(1)

    for document in documents:
        pending.setdefault(document.lang, []).append(document)
        if len(pending[document.lang]) >= BATCH_SIZE:
            flush(document.lang)
    for lang in list(pending):
        flush(lang)
    out.sort(key=lambda x: x.doc.id)
    return out


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
    progress_factory: Callable[[int], Callable[[int], None]] | None = None,
) -> RunResult:
    """Extract a graph from ``inputs`` and write every output into ``out_dir``."""
    started = time.perf_counter()
    started_at = now()
    errors: list[DocumentError] = []

    def report(err: DocumentError) -> None:
        errors.append(err)
        if on_error:
            on_error(err)

    documents = []
    for item in load_documents(inputs, lang=lang, max_bytes=max_bytes):
        if isinstance(item, DocumentError):
            report(item)
        else:
            documents.append(item)
    progress = progress_factory(len(documents)) if progress_factory else None
    extraction_errors: list[DocumentError] = []
    extractions = extract_all(documents, models, progress, extraction_errors)
    for err in extraction_errors:
        report(err)
    rules = AliasRules.load(aliases) if aliases else None
    resolved, mapping, merges = resolve(extractions, rules)
    languages = sorted({d.lang for d in documents})
    run_info = {
        "started": started_at,
        "ended": now(),
        "models": {lg: desc for lg, desc in nlp.describe(models).items() if lg in languages},
        "python": sys.version.split()[0],
    }
    G = build_graph(extractions, resolved, mapping, merges, run_info)
    out = Path(out_dir)
    outputs = [write_graphml(G, out / "graph.graphml"), write_gexf(G, out / "graph.gexf")]
    outputs += list(write_rdf_files(G, out, base_iri).values())
    outputs += write_tables(G, out)
    return RunResult(G, extractions, errors, time.perf_counter() - started, outputs)


def summary(result: RunResult) -> dict:
    """Counts for the CLI: documents, entities by kind and language, events, relations."""
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
    }
