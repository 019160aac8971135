"""Export reuse: a re-export copies the unchanged nodes and edges (network files), article graphs
(RDF files) and rows (tables) from the last files, and the files come out byte for byte as a full export writes
them, whatever changed in between."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import networkx as nx
import pytest

from graph import pipeline
from graph.export import write_network
from graph.export.flat import flat_graph
from graph.export.rdf import REUSED_FILES, graph_blocks, plan_reuse, union_groups, write_rdf_files
from graph.export.reuse import (
    NETWORK_INDEX,
    RDF_INDEX,
    TABLE_INDEX,
    Fingerprinter,
    GraphPrints,
    SpanIndex,
    SpanWriter,
    span_file,
)
from graph.export.tables import TABLE_SPECS, write_tables

FILES = ("graph.graphml", "graph.gexf")
RDF_FILES = ("graph.nq", "graph.trig", "graph.jsonld", "graph.ttl")


def cold(G: nx.MultiDiGraph, folder: Path) -> dict[str, bytes]:
    """The files of a full export (no reuse)."""
    write_network(G, folder)
    return {name: (folder / name).read_bytes() for name in FILES}


def reusable(G: nx.MultiDiGraph, out: Path, reuse: Path) -> int:
    """How many records of ``G`` the next export into ``out`` would copy."""
    files = {name: out / name for name in FILES}
    with SpanIndex.opened(reuse / NETWORK_INDEX.name, NETWORK_INDEX.version, files) as last:
        return flat_graph(G, GraphPrints.of(G), last.known, last.context).reused()


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
    assert (reuse / NETWORK_INDEX.name).is_file()
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
    # written afresh: the changed person, the new node and edge; every other node and edge is
    # copied (the organisation too: its GEXF size, which changed, is not part of its copy)
    assert copied == records(G) - 3


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


def write_articles(folder: Path, places: tuple[str, ...]) -> Path:
    folder.mkdir(exist_ok=True)
    for i, place in enumerate(places):
        (folder / f"{i}.txt").write_text(
            f"{place}, 3 March 2024 - The Ministry of Culture signed a memorandum with the Korea Creative "
            f"Agency in {place}. Minister Tran Van An said the agreement supports film and music.\n",
            encoding="utf-8")
    return folder


def linked_copy(out: Path, folder: Path) -> tuple[Path, Path]:
    """Hard links to the outputs and the reuse index of a run (same inodes, same times): (out, reuse)."""
    reuse = pipeline.export_reuse_dir(out / pipeline.CACHE_DIR_NAME, out)
    (folder / "reuse").mkdir(parents=True)
    for path in out.iterdir():
        if path.is_file():
            os.link(path, folder / path.name)
    for path in reuse.iterdir():
        os.link(path, folder / "reuse" / path.name)
    return folder, folder / "reuse"


def test_a_pipeline_rerun_after_adding_an_article_copies_the_rest(tmp_path):
    docs = write_articles(tmp_path / "docs", ("Hanoi", "Da Nang"))
    out = tmp_path / "out"
    pipeline.run([docs], out)
    first_out, first_reuse = linked_copy(out, tmp_path / "first")
    write_articles(docs, ("Hanoi", "Da Nang", "Hue"))
    G = pipeline.run([docs], out).graph
    assert {name: (out / name).read_bytes() for name in FILES} == cold(G, tmp_path / "cold")
    assert {name: (out / name).read_bytes() for name in RDF_FILES} == rdf_cold(G, tmp_path / "rdf-cold")
    assert {name: (out / name).read_bytes() for name in TABLE_SPECS} == tables_cold(G, tmp_path / "tables-cold")
    copied, units = table_units_reusable(G, first_out, first_reuse)
    assert 0 < copied < units
    assert 0 < reusable(G, first_out, first_reuse) < records(G)
    # the graphs of the first two articles are copied; the third's and the provenance graph are new
    assert rdf_copied(G, first_out, first_reuse) == 2


# ------------------------------------------------------------------------------------------- RDF


def rdf_cold(G: nx.MultiDiGraph, folder: Path) -> dict[str, bytes]:
    write_rdf_files(G, folder)
    return {name: (folder / name).read_bytes() for name in RDF_FILES}


def rdf_copied(G: nx.MultiDiGraph, out: Path, reuse: Path) -> int:
    """How many graphs of ``G``'s dataset the next export into ``out`` would copy."""
    files = {name: out / name for name in REUSED_FILES}
    with SpanIndex.opened(reuse / RDF_INDEX.name, RDF_INDEX.version, files) as last:
        return sum(plan_reuse(graph_blocks(G), last).copied)


def turtle_fresh(G: nx.MultiDiGraph, out: Path, reuse: Path) -> set[str]:
    """The subjects whose Turtle statement the next export into ``out`` would write afresh."""
    files = {name: out / name for name in REUSED_FILES}
    fingerprint = Fingerprinter()
    with SpanIndex.opened(reuse / RDF_INDEX.name, RDF_INDEX.version, files) as last:
        old = last.fragments.get("graph.ttl")
        return {group[0][0] for group in union_groups(graph_blocks(G)) if old is None or fingerprint(group) not in old}


def rdf_re_export(G, out, reuse, tmp_path) -> int:
    """Export ``G`` again with reuse, check it against a full export; return how many graphs it copied."""
    copied = rdf_copied(G, out, reuse)
    write_rdf_files(G, out, reuse_dir=reuse)
    assert {name: (out / name).read_bytes() for name in RDF_FILES} == rdf_cold(G, tmp_path / "rdf-cold")
    return copied


@pytest.fixture
def rdf_exported(tmp_path, sample_graph):
    out, reuse = tmp_path / "out", tmp_path / "reuse"
    write_rdf_files(sample_graph, out, reuse_dir=reuse)
    return sample_graph, out, reuse


def test_rdf_of_an_unchanged_graph_is_copied_graph_by_graph(rdf_exported, tmp_path):
    G, out, reuse = rdf_exported
    graphs = len(graph_blocks(G))
    assert turtle_fresh(G, out, reuse) == set()
    assert rdf_re_export(G, out, reuse, tmp_path) == graphs
    assert rdf_copied(G, out, reuse) == graphs


def test_rdf_graphs_of_a_changed_article_are_written_afresh(rdf_exported, tmp_path):
    G, out, reuse = rdf_exported
    G = copy.deepcopy(G)
    doc = "001_en"
    person = next(n for n, d in G.nodes(data=True) if d["kind"] == "Person" and d["documents"] == [doc])
    G.nodes[person]["label"] = "Renamed { }\n} person"
    graphs = len(graph_blocks(G))
    # that article's graph and the provenance graph (its run changed) are new
    G.graph["run"] = G.graph["run"] | {"ended": "2025-01-03T00:00:00+00:00"}
    fresh = turtle_fresh(G, out, reuse)
    # in Turtle, that person's statement, the run's and those of the article graphs (made by the new run)
    assert {s.rsplit("/", 2)[-2] for s in fresh} == {"person", "run", "doc"}
    assert sum("/id/person/" in s for s in fresh) == 1
    assert rdf_re_export(G, out, reuse, tmp_path) == graphs - 2


def test_rdf_files_changed_since_the_export_are_not_reused(rdf_exported, tmp_path):
    G, out, reuse = rdf_exported
    (out / "graph.jsonld").write_text("{}", encoding="utf-8")
    assert rdf_re_export(G, out, reuse, tmp_path) == 0


# ------------------------------------------------------------------------------------------- tables


def tables_cold(G: nx.MultiDiGraph, folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in write_tables(G, folder)}


def table_units_reusable(G: nx.MultiDiGraph, out: Path, reuse: Path) -> tuple[int, int]:
    """(units of ``G``'s tables the next export into ``out`` would copy, all units)."""
    files = {name: out / name for name in TABLE_SPECS}
    prints, copied, units = GraphPrints.of(G), 0, 0
    with SpanIndex.opened(reuse / TABLE_INDEX.name, TABLE_INDEX.version, files) as last:
        for name, table in TABLE_SPECS.items():
            for unit in table.units(G):
                units += 1
                copied += table.print_of(G, prints, unit) in last.fragments.get(name, {})
    return copied, units


def test_tables_copy_the_rows_of_what_did_not_change(tmp_path, sample_graph):
    out, reuse = tmp_path / "out", tmp_path / "reuse"
    write_tables(sample_graph, out, reuse)
    copied, units = table_units_reusable(sample_graph, out, reuse)
    assert copied == units
    G = copy.deepcopy(sample_graph)
    event = next(n for n, d in G.nodes(data=True) if d["kind"] == "Event")
    target = next(iter(G.successors(event)))
    G.nodes[target]["label"] = 'A "quoted"\r\nlabel'  # its rows, and the event's and relations' naming it
    copied, units = table_units_reusable(G, out, reuse)
    assert 0 < copied < units
    write_tables(G, out, reuse)
    assert {name: (out / name).read_bytes() for name in TABLE_SPECS} == tables_cold(G, tmp_path / "cold")


def test_a_reuse_folder_that_cannot_be_written_only_turns_reuse_off(tmp_path, sample_graph):
    out, reuse = tmp_path / "out", tmp_path / "reuse"
    reuse.write_text("a file where the folder should be", encoding="utf-8")
    for _ in range(2):
        write_network(sample_graph, out, reuse)
        write_rdf_files(sample_graph, out, reuse_dir=reuse)
        write_tables(sample_graph, out, reuse)
    assert {name: (out / name).read_bytes() for name in FILES} == cold(sample_graph, tmp_path / "cold")
    assert {name: (out / name).read_bytes() for name in RDF_FILES} == rdf_cold(sample_graph, tmp_path / "rdf")
    assert {name: (out / name).read_bytes() for name in TABLE_SPECS} == tables_cold(sample_graph, tmp_path / "csv")
    assert reuse.read_text(encoding="utf-8") == "a file where the folder should be"


def test_output_folders_sharing_a_cache_keep_their_own_indexes(tmp_path):
    cache = tmp_path / "cache"
    first, second = pipeline.export_reuse_dir(cache, tmp_path / "a"), pipeline.export_reuse_dir(cache, tmp_path / "b")
    assert first != second and first.parent == second.parent == cache / pipeline.EXPORTS_DIR_NAME
    assert pipeline.export_reuse_dir(cache, tmp_path / "a" / ".." / "a") == first


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_copied_ranges_and_matching_text_come_out_as_written(tmp_path, monkeypatch, kernel_copy):
    if kernel_copy:  # every range, however short, copied file to file by the kernel
        monkeypatch.setattr(SpanWriter, "MIN_KERNEL_COPY", 1)
    else:  # a system without copy_file_range: the bytes go through the mapped file
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    same = b"s" * 16  # two units with the same text: one fingerprint, one span (the last one)
    units = [(bytes([i]) * 16 if i not in (4, 9) else same, f"<unit {i % 5}>{'é' * (i % 5)}</unit>".encode())
             for i in range(40)]
    with span_file(tmp_path / "old") as out:
        for fp, data in units:
            out.text("\n  ")
            out.record(fp, data)
        out.text("\n")
    assert len(out.spans) == 39
    index = SpanIndex(spans={"f": out.spans})
    with SpanIndex.opened(tmp_path / "index", "v", {"f": tmp_path / "old"}) as empty:
        assert not empty.fragments  # no saved index there
    index.save(tmp_path / "index", "v", {"f": out.stamp})
    changed = [(fp, b"<new/>" if i % 7 == 3 else data) for i, (fp, data) in enumerate(units) if i % 11 != 5]
    with SpanIndex.opened(tmp_path / "index", "v", {"f": tmp_path / "old"}) as last:
        old = last.fragments["f"]
        with span_file(tmp_path / "new") as new:
            new.text("head")
            for (fp, data), (_, was) in zip(changed, [u for i, u in enumerate(units) if i % 11 != 5], strict=True):
                new.text("\n  ")  # what the old file has between its records: taken into the copied range
                if data == was:
                    new.copy(fp, old)
                else:
                    new.record(fp, data)
            new.text("\n")
    expected = b"head" + b"".join(b"\n  " + data for _, data in changed) + b"\n"
    written = (tmp_path / "new").read_bytes()
    assert written == expected
    assert {fp: written[o : o + n] for fp, (o, n) in new.spans.items()} == dict(changed)
