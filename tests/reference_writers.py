"""The straightforward writers the streamed exporters must match byte for byte.

``graph.export.graphml`` writes GraphML without networkx, and ``graph.export.rdf`` writes
N-Quads and JSON-LD without pyoxigraph objects per quad, for speed. These are the slow, obvious
versions: networkx's GraphML writer, and pyoxigraph's serialisers over ``pyoxigraph.Quad`` objects
(JSON-LD compacted with the ``@context`` of ``PREFIXES`` and indented by one space).
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.export.rdf import PREFIXES, RDF, Quad, Term


def graphml(flat: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml_xml(flat.copy(), out, encoding="utf-8", prettyprint=True, named_key_ids=False)
    return out.getvalue()


def ox_term(term: Term) -> ox.NamedNode | ox.Literal:
    if isinstance(term, str):
        return ox.NamedNode(term)
    value, lang, datatype = term
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def ox_quads(quads: list[Quad]) -> list[ox.Quad]:
    return [
        ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox_term(o), ox.NamedNode(g) if g else ox.DefaultGraph())
        for s, p, o, g in quads
    ]


def nquads(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def trig(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


def turtle(quads: list[ox.Quad]) -> bytes:
    """The union, each triple once, grouped by subject then predicate (each in first-seen order)."""
    groups: dict = {}
    for triple in dict.fromkeys(q.triple for q in quads):
        groups.setdefault(triple.subject, {}).setdefault(triple.predicate, []).append(triple)
    triples = [t for group in groups.values() for objects in group.values() for t in objects]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def jsonld(quads: list[ox.Quad]) -> bytes:
    expanded = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for prefix, ns in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def walk(obj: Any) -> Any:
        if isinstance(obj, list):
            return [walk(o) for o in obj]
        if not isinstance(obj, dict):
            return obj
        out = {}
        for key, value in obj.items():
            if key == RDF + "type" and all(isinstance(v, dict) and set(v) == {"@id"} for v in value):
                out["@type"] = [compact(v["@id"]) for v in value]
            elif key == "@type":
                out[key] = compact(value)
            elif key.startswith("@"):
                out[key] = walk(value)
            else:
                out[compact(key)] = walk(value)
        return out

    document = {"@context": dict(PREFIXES), "@graph": walk(expanded)}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
