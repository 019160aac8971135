"""Standards-grade outputs of the graph: RDF datasets and network files.

Entry points the pipeline calls:

* :func:`write_rdf` -> ``graph.ttl``, ``graph.trig``, ``graph.nq``, ``graph.jsonld``
  (:mod:`graph.export.rdf`; vocabulary ``graph/data/ontology.ttl``, shapes
  ``graph/data/shapes.ttl`` checked by :mod:`graph.export.validate`);
* :func:`write_network` -> ``graph.graphml`` (:mod:`graph.export.graphml`, read by the scorer)
  and ``graph.gexf`` (:mod:`graph.export.gexf`, GEXF 1.3 for Gephi).

Both read the contract graph of :mod:`graph.build` (node/edge attributes, and the graph
attributes ``documents`` and ``run``) and write every file atomically.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.export.rdf import DEFAULT_BASE_IRI
from graph.export.reuse import GraphPrints, SpanIndex


def write_rdf(
    G: nx.Graph, out_dir: str | Path, base_iri: str = DEFAULT_BASE_IRI, reuse_dir: str | Path | None = None
) -> dict[str, Path]:
    """Write the RDF files of ``G`` in ``out_dir``; return {file name: path} (``reuse_dir``: see
    :func:`graph.export.rdf.write_rdf_files`)."""
    from graph.export.rdf import write_rdf_files

    return write_rdf_files(G, out_dir, base_iri, reuse_dir)


def write_network(
    G: nx.Graph, out_dir: str | Path, reuse_dir: str | Path | None = None, prints: GraphPrints | None = None
) -> dict[str, Path]:
    """Write ``graph.graphml`` and ``graph.gexf`` of ``G`` in ``out_dir``; return {file name: path}.

    ``reuse_dir``: a folder (the cache's) where the spans of the records are kept, so the next
    export copies the text of the records that did not change (:mod:`graph.export.reuse`);
    ``prints``, the fingerprints of ``G`` if already computed.
    """
    from graph.export.flat import flat_graph
    from graph.export.gexf import run_date, write_gexf_records
    from graph.export.graphml import write_graphml_records
    from graph.export.reuse import NETWORK_INDEX, last_export, save_export

    out_dir = Path(out_dir)
    paths = {"graph.graphml": out_dir / "graph.graphml", "graph.gexf": out_dir / "graph.gexf"}
    with last_export(NETWORK_INDEX, reuse_dir, paths) as last:
        flat = flat_graph(G, prints or GraphPrints.of(G) if reuse_dir else None, last.known, last.context)
        graphml = write_graphml_records(flat, paths["graph.graphml"], last.fragments.get("graph.graphml"))
        gexf = write_gexf_records(flat, paths["graph.gexf"], run_date(G), last.fragments.get("graph.gexf"))
    if reuse_dir is not None:
        known = {rec.fingerprint: (rec.signature, rec.timed) for _, rec in flat.nodes if rec.fingerprint}
        known.update((rec.fingerprint, (rec.signature, None)) for *_, rec in flat.edges if rec.fingerprint)
        index = SpanIndex(flat.context, known, {"graph.graphml": graphml.spans, "graph.gexf": gexf.spans})
        save_export(NETWORK_INDEX, reuse_dir, index, {"graph.graphml": graphml.stamp, "graph.gexf": gexf.stamp})
    return paths


__all__ = ["DEFAULT_BASE_IRI", "write_network", "write_rdf"]
