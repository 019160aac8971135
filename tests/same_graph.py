"""Compare two runs' graphs: every node, edge and attribute, but not the run's timestamps."""

from __future__ import annotations

import json

import networkx as nx

#: Graph attributes of ``run`` that differ between any two runs.
RUN_TIMES = ("started", "ended")


def _text(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


def graph_signature(G: nx.MultiDiGraph) -> dict:
    """Everything the graph says, as sorted JSON text, with the run's start and end times left out."""
    graph_attrs = dict(G.graph)
    run = graph_attrs.get("run")
    if isinstance(run, str):  # read back from GraphML: JSON text
        run = json.loads(run)
    if isinstance(run, dict):
        graph_attrs["run"] = {k: v for k, v in run.items() if k not in RUN_TIMES}
    return {
        "graph": _text(graph_attrs),
        "nodes": sorted(_text([node, data]) for node, data in G.nodes(data=True)),
        "edges": sorted(_text([u, v, key, data]) for u, v, key, data in G.edges(keys=True, data=True)),
    }


def assert_same_graph(left: nx.MultiDiGraph, right: nx.MultiDiGraph) -> None:
    a, b = graph_signature(left), graph_signature(right)
    assert len(a["nodes"]) == len(b["nodes"]) and len(a["edges"]) == len(b["edges"])
    assert a["nodes"] == b["nodes"]
    assert a["edges"] == b["edges"]
    assert a["graph"] == b["graph"]
