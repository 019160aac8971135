"""GraphML export (networkx writer, flattened attributes, atomic).

The file is what ``score_graph.py`` reads, and it reads back with networkx and with
``igraph.Graph.Read_GraphML``: one ``<key>`` per attribute name and domain, scalar types only
(see :func:`graph.export.flat.flatten`), non-empty node ids.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.export.flat import flatten
from graph.fileio import atomic_path


def write_graphml(G: nx.Graph, path: str | Path) -> Path:
    """Write ``G`` (contract graph or already flat) as GraphML at ``path``; return the path."""
    path = Path(path)
    flat = flatten(G)
    with atomic_path(path) as tmp:
        nx.write_graphml_xml(flat, tmp, encoding="utf-8", prettyprint=True, named_key_ids=False)
    return path
