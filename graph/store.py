"""Query the RDF export, embedded (pyoxigraph) or pushed to a SPARQL store.

* :func:`open_store` loads an export directory's ``graph.trig`` (else ``graph.nq``) into an
  in-memory :class:`pyoxigraph.Store`, with the named graphs as they are and the default graph
  holding their merge (each triple once).
* :func:`query` runs SPARQL over it (``GRAPH ?g`` reaches the per-article graphs): SELECT
  gives a :class:`pandas.DataFrame` of plain strings (IRIs, literal values, ``_:id`` for blank
  nodes, ``None`` when unbound), ASK a ``bool``, CONSTRUCT/DESCRIBE Turtle text.
* :func:`push` uploads the named graphs to a server with the SPARQL 1.1 Graph Store Protocol,
  with the standard library only: each graph is PUT (replaced) or POSTed (merged) as Turtle to
  ``ENDPOINT?graph=IRI`` (the default graph is POSTed to ``ENDPOINT?default``), or everything into one
  graph when ``graph`` is given. For Oxigraph the endpoint is ``http://HOST:PORT/store``.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyoxigraph as ox

from graph.export.rdf import PREFIXES

#: Files :func:`open_store` looks for in a directory, in order.
STORE_FILES = ("graph.trig", "graph.nq")


class StoreError(RuntimeError):
    """A one-line, user-facing failure: missing export, bad query, HTTP error."""


def dataset_file(dir_or_file: str | Path) -> Path:
    """The dataset file of an export directory (or the file itself)."""
    path = Path(dir_or_file)
    if path.is_dir():
        for name in STORE_FILES:
            if (path / name).is_file():
                return path / name
        raise StoreError(f"no {' or '.join(STORE_FILES)} in {path}")
    if path.is_file():
        return path
    raise StoreError(f"no such directory: {path}")


def _format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise StoreError(f"unknown RDF file extension: {path.name}")
    return fmt


def open_store(dir_or_file: str | Path) -> ox.Store:
    """An in-memory store holding the export's ``graph.trig`` (or ``graph.nq``)."""
    path = dataset_file(dir_or_file)
    store = ox.Store()
    try:
        store.load(path=str(path), format=_format(path))
    except SyntaxError as exc:
        raise StoreError(f"cannot parse {path}: {_one_line(exc)}") from exc
    # The default graph becomes the RDF merge of all graphs: a set, so a triple stated by three
    # articles is counted once (Oxigraph's union-default-graph option would return it 3 times).
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def _one_line(exc: BaseException | str) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def term_text(term) -> str | None:
    """A plain string for an RDF term: the IRI, the literal's value, ``_:id``; None if unbound."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def run_query(store: ox.Store, sparql: str) -> pd.DataFrame | bool | str:
    """Run ``sparql`` on a store from :func:`open_store`; see :func:`query`."""
    try:
        result = store.query(sparql, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise StoreError(f"bad SPARQL query: {_one_line(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"query failed: {_one_line(exc)}") from exc
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[term_text(solution[name]) for name in names] for solution in result]
        return pd.DataFrame(rows, columns=names, dtype=object)
    triples = list(result)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")


def query(dir_or_file: str | Path, sparql: str) -> pd.DataFrame | bool | str:
    """Run ``sparql`` on an export; DataFrame for SELECT, bool for ASK, Turtle for CONSTRUCT.

    The prefixes of :data:`graph.export.rdf.PREFIXES` (``schema:``, ``ng:`` ...) are predeclared.
    """
    return run_query(open_store(dir_or_file), sparql)


def _graph_url(endpoint: str, graph: str | None) -> str:
    parsed = urllib.parse.urlsplit(endpoint)
    extra = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    joined = f"{parsed.query}&{extra}" if parsed.query else extra
    return urllib.parse.urlunsplit(parsed._replace(query=joined))


def _send(method: str, url: str, body: bytes, timeout: float) -> None:
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = _one_line(exc.read().decode("utf-8", "replace")[:300]) if exc.fp else ""
        raise StoreError(
            f"{method} {url} failed: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
        ) from exc
    except urllib.error.URLError as exc:
        raise StoreError(f"cannot reach {url}: {_one_line(str(exc.reason))}") from exc
    except (TimeoutError, ConnectionError) as exc:
        raise StoreError(f"cannot reach {url}: {_one_line(exc)}") from exc


def push(
    dir_or_file: str | Path,
    endpoint: str,
    graph: str | None = None,
    *,
    replace: bool = True,
    timeout: float = 60.0,
) -> dict[str | None, int]:
    """Upload an export to a SPARQL 1.1 Graph Store Protocol ``endpoint``.

    Each graph of the dataset goes to ``endpoint?graph=<iri>`` (the default graph to
    ``endpoint?default``); with ``graph``, all triples (deduplicated) go to that one graph.
    ``replace`` PUTs each named graph (the server's copy is replaced, so pushing twice gives the
    same store); otherwise POSTs (merged). The default graph is always POSTed: the server's
    default graph may hold other data, which a PUT would wipe.
    Returns {graph IRI, or None for the default graph: triple count}.
    Raises :class:`StoreError` on a missing export or an HTTP failure (one line).
    """
    if not urllib.parse.urlsplit(endpoint).scheme.startswith("http"):
        raise StoreError(f"endpoint must be an http(s) URL: {endpoint}")
    path = dataset_file(dir_or_file)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise StoreError(f"not an IRI: {graph}") from exc
    groups: dict[str | None, dict[ox.Triple, None]] = defaultdict(dict)
    try:
        for quad in ox.parse(path=str(path), format=_format(path)):
            name = graph
            if graph is None and isinstance(quad, ox.Quad) and not isinstance(quad.graph_name, ox.DefaultGraph):
                if isinstance(quad.graph_name, ox.BlankNode):
                    raise StoreError(f"{path}: a blank-node graph name cannot be addressed over GSP")
                name = quad.graph_name.value
            triple = quad.triple if isinstance(quad, ox.Quad) else quad
            groups[name][triple] = None
    except SyntaxError as exc:
        raise StoreError(f"cannot parse {path}: {_one_line(exc)}") from exc
    counts: dict[str | None, int] = {}
    for name in sorted(groups, key=lambda g: (g is not None, g or "")):
        body = ox.serialize(list(groups[name]), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        method = "PUT" if replace and name is not None else "POST"
        _send(method, _graph_url(endpoint, name), body, timeout)
        counts[name] = len(groups[name])
    return counts
