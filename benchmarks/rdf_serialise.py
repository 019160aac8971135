"""Serialise a synthetic ~1M-triple graph to Turtle and TriG: pyoxigraph (our path) vs plain rdflib.

    .venv/bin/python benchmarks/rdf_serialise.py [--triples 1000000] [--out DIR]

Builds a contract graph (graph/build.py) of people, organisations, countries, places and events
spread over many articles, turns it into quads with graph.export.rdf.build_quads, then times
only the serialisation of the same quads: pyoxigraph.serialize (what write_rdf does) and
rdflib's own Turtle/TriG serialisers (on an rdflib Dataset filled beforehand, not timed).
Not part of the tests.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import rdflib

from graph.export.validate import rdflib_term

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.export.rdf import PREFIXES, build_quads, union_triples  # noqa: E402

KINDS = ("Person", "Organization", "Place", "Initiative")
LANGS = ("vi", "en", "th")
NAMES = {"vi": "Nguyễn Văn", "en": "John Smith", "th": "สมชาย ใจดี"}


def synthetic_graph(n_docs: int, seed: int = 7) -> nx.MultiDiGraph:
    """About 100 triples per article (entities, events, relations, provenance)."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()
    G.graph["run"] = {"tool": "newsgraph", "version": "bench", "models": {"en": "core_web_sm 3.8.0"}}
    G.graph["documents"] = {}
    countries = [f"country/{a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGH"]
    for c in countries:
        G.add_node(c, kind="Country", label=c[-2:], iso=c[-2:], aliases=[], documents=[], langs=[], mentions=[])
    n_entities = max(10, n_docs * 2)
    entities = [f"{KINDS[i % 4].lower()}/e{i}" for i in range(n_entities)]
    for i, e in enumerate(entities):
        G.add_node(e, kind=KINDS[i % 4], label=f"Entity {i}", aliases=[], documents=[], langs=[], mentions=[])
    for d in range(n_docs):
        doc, lang = f"doc{d:07d}", LANGS[d % 3]
        G.graph["documents"][doc] = {
            "title": f"Article {d}",
            "date": f"20{d % 25:02d}-0{1 + d % 9}",
            "source": f"https://news.example/{d}",
            "lang": lang,
        }
        picked = rnd.sample(entities, 6) + rnd.sample(countries, 2)
        for j, e in enumerate(picked):
            text = f"{NAMES[lang]} {d}-{j}"
            a = G.nodes[e]
            a["aliases"].append(text)
            a["documents"].append(doc)
            a["mentions"].append({"doc": doc, "lang": lang, "sentence": j, "start": 0, "end": 5, "text": text})
        ev = f"event/{doc}/ev0"
        G.add_node(
            ev,
            kind="Event",
            label=f"Meeting {d}",
            event_type="Meeting",
            cameo="043",
            date=f"2020-{1 + d % 12:02d}-{1 + d % 28:02d}",
            trigger="meeting",
            documents=[doc],
            aliases=["meeting"],
            langs=[lang],
            mentions=[{"doc": doc, "lang": lang, "sentence": 0, "start": 0, "end": 7, "text": "meeting"}],
        )
        ev_attrs = {"documents": [doc], "evidence": [{"doc": doc, "sentence": 0, "text": "..."}]}
        for e in picked[:3]:
            G.add_edge(ev, e, relation="participant", role="organizer", **ev_attrs)
        G.add_edge(ev, picked[6], relation="location", **ev_attrs)
        G.add_edge(picked[0], picked[1], relation="holdsPosition", title=f"Director {d % 50}", **ev_attrs)
        G.add_edge(picked[1], picked[7], relation="basedIn", **ev_attrs)
        G.add_edge(picked[1], picked[5], relation="partnerOf", **ev_attrs)
    return G


def to_rdflib(quads: list[ox.Quad]) -> rdflib.Dataset:
    term = rdflib_term

    ds = rdflib.Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    graphs: dict[str, rdflib.Graph] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            g = ds.default_graph
        else:
            g = graphs.get(q.graph_name.value)
            if g is None:
                g = graphs[q.graph_name.value] = ds.graph(rdflib.URIRef(q.graph_name.value))
        g.add((term(q.subject), term(q.predicate), term(q.object)))
    return ds


def timed(label: str, fn) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"  {label:<40} {seconds:8.2f} s", flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="approximate number of quads")
    parser.add_argument("--out", type=Path, default=None, help="folder for the files (default: a temp folder)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="rdf-bench-"))
    out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    probe = len(build_quads(synthetic_graph(200)))
    G = synthetic_graph(max(1, round(args.triples * 200 / probe)))
    t1 = time.perf_counter()
    quads = build_quads(G)
    t2 = time.perf_counter()
    triples = union_triples(quads)
    print(
        f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
        f"{len(G.graph['documents'])} articles (built in {t1 - t0:.1f} s)"
    )
    print(f"quads: {len(quads)} ({len(triples)} distinct triples), build_quads {t2 - t1:.1f} s")

    print("pyoxigraph.serialize (newsgraph's path):")
    ox_ttl = timed(
        "Turtle (union)", lambda: ox.serialize(triples, str(out / "ox.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    )
    ox_trig = timed(
        "TriG (named graphs)", lambda: ox.serialize(quads, str(out / "ox.trig"), ox.RdfFormat.TRIG, prefixes=PREFIXES)
    )
    print("plain rdflib:")
    start = time.perf_counter()
    ds = to_rdflib(quads)
    union = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    print(f"  (filling the rdflib Dataset and union Graph, not timed: {time.perf_counter() - start:.1f} s)")
    rl_ttl = timed("Turtle (union)", lambda: union.serialize(out / "rdflib.ttl", format="turtle"))
    rl_trig = timed("TriG (named graphs)", lambda: ds.serialize(out / "rdflib.trig", format="trig"))

    print(f"ratio rdflib / pyoxigraph: Turtle {rl_ttl / ox_ttl:.1f}x, TriG {rl_trig / ox_trig:.1f}x")
    print(f"files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
