"""Network export reuse: a re-export copies unchanged records from the last files, and the files
come out byte for byte as a full export writes them, whatever changed in between."""

from __future__ import annotations

import copy
from pathlib import Path

import networkx as nx
import pytest

from graph import pipeline
from graph.export import write_network
from graph.export.flat import flat_graph
from graph.export.reuse import INDEX_NAME, Fingerprinter, SpanIndex

FILES = ("graph.graphml", "graph.gexf")


def cold(G: nx.MultiDiGraph, folder: Path) -> dict[str, bytes]:
    """The files of a full export (no reuse)."""
    write_network(G, folder)
    return {name: (folder / name).read_bytes() for name in FILES}


def reusable(G: nx.MultiDiGraph, out: Path, reuse: Path) -> int:
    """How many records of ``G`` the next export into ``out`` would copy."""
    last = SpanIndex.load(reuse, {name: out / name for name in FILES})
    return flat_graph(G, Fingerprinter(), last.known, last.context).reused()


def records(G: nx.MultiDiGraph) -> int:
    return G.number_of_nodes() + G.number_of_edges()


@pytest.fixture
def exported(tmp_path, sample_graph):
    """``sample_graph`` exported once with reuse on: (graph, out folder, reuse folder)."""
    out, reuse = tmp_path / "out", tmp_path / "reuse"
    write_network(sample_graph, out, reuse)
    return sample_graph, out, reuse


def re_export(G, out, reuse, tmp_path) -> int:
    before = reusable(G, out, reuse)
    write_network(G, out, reuse)
    assert {name: (out / name).read_bytes() for name in FILES} == cold(G, tmp_path / "cold")
    return before


def test_an_unchanged_graph_is_copied_whole_and_comes_out_the_same(exported, tmp_path):
    G, out, reuse = exported
    assert (reuse / INDEX_NAME).is_file()
    assert re_export(G, out, reuse, tmp_path) == records(G)
    assert reusable(G, out, reuse) == records(G)  # and the new index describes the new files


def test_changed_added_and_removed_records_are_written_afresh(exported, tmp_path):
    G, out, reuse = exported
    G = copy.deepcopy(G)
    person = next(n for n, d in G.nodes(data=True) if d["kind"] == "Person")
    G.nodes[person]["aliases"] = [*G.nodes[person]["aliases"], "A new alias & <more>"]
    G.add_node("person/new-person", kind="Person", label="New Person", aliases=["New Person"],
               documents=["d9"], langs=["en"], mentions=[])
    organisation = next(n for n, d in G.nodes(data=True) if d["kind"] == "Organization")
    G.add_edge("person/new-person", organisation, relation="memberOf", documents=["d9"], evidence=[])
    gone = next(n for n, d in G.nodes(data=True) if d["kind"] == "Place")
    G.remove_node(gone)
    copied = re_export(G, out, reuse, tmp_path)
    # the changed person and the organisation (its degree changed) still have copies of some parts;
    # every record new, changed or touching the removed node is written afresh
    assert 0 < copied < records(G)


def test_a_new_attribute_type_turns_reuse_off(exported, tmp_path):
    G, out, reuse = exported
    G = copy.deepcopy(G)
    event = next(n for n, d in G.nodes(data=True) if d["kind"] == "Event")
    G.nodes[event]["confidence"] = 1
    G.nodes[next(iter(G))]["confidence"] = 0.5  # int and float: the key becomes a double everywhere
    assert re_export(G, out, reuse, tmp_path) == 0


def test_files_changed_since_the_export_are_not_reused(exported, tmp_path):
    G, out, reuse = exported
    graphml = out / "graph.graphml"
    graphml.write_bytes(graphml.read_bytes().replace(b"<node ", b"<node  "))
    assert re_export(G, out, reuse, tmp_path) == 0


def test_a_value_that_cannot_be_pickled_is_never_reused(tmp_path, sample_graph):
    G = copy.deepcopy(sample_graph)
    G.nodes[next(iter(G))]["handle"] = _Unpicklable()
    out, reuse = tmp_path / "out", tmp_path / "reuse"
    write_network(G, out, reuse)
    assert re_export(G, out, reuse, tmp_path) == records(G) - 1


class _Unpicklable:
    def __reduce__(self):
        raise TypeError("no pickling")

    def __str__(self) -> str:
        return "unpicklable"


def test_pipeline_reuses_the_network_text_of_a_rerun(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Hanoi, 3 March 2024 - The Ministry of Culture signed a memorandum with the Korea Creative "
        "Agency in Hanoi. Minister Tran Van An said the agreement supports film and music.\n",
        encoding="utf-8")
    out = tmp_path / "out"
    pipeline.run([docs], out)
    reuse = out / pipeline.CACHE_DIR_NAME / pipeline.EXPORTS_DIR_NAME
    result = pipeline.run([docs], out)
    assert reusable(result.graph, out, reuse) == records(result.graph)
