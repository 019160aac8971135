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


def write_rdf(G: nx.Graph, out_dir: str | Path, base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Path]:
    """Write the RDF files of ``G`` in ``out_dir``; return {file name: path}."""
    from graph.export.rdf import write_rdf_files

    return write_rdf_files(G, out_dir, base_iri)


def write_network(G: nx.Graph, out_dir: str | Path) -> dict[str, Path]:
    """Write ``graph.graphml`` and ``graph.gexf`` of ``G`` in ``out_dir``; return {file name: path}."""
    from graph.export.flat import flatten
    from graph.export.gexf import run_date, write_flat_gexf
    from graph.export.graphml import write_flat_graphml

    out_dir = Path(out_dir)
    flat = flatten(G)  # once for both files
    return {
        "graph.graphml": write_flat_graphml(flat, out_dir / "graph.graphml"),
        "graph.gexf": write_flat_gexf(flat, out_dir / "graph.gexf", run_date(G)),
    }


__all__ = ["DEFAULT_BASE_IRI", "write_network", "write_rdf"]
