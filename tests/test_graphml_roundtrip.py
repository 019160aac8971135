"""The GraphML that ``graph.pipeline.run`` writes reads back with networkx and with igraph.

Short invented articles in the three languages go through the whole pipeline (real spaCy
pipelines); ``graph.graphml`` must then satisfy what a scorer reads: typed, labelled nodes with
``|``-joined aliases and documents, and the entities the articles name.
"""

from __future__ import annotations

from pathlib import Path

import igraph
import networkx as nx
import pytest

from graph import pipeline

ARTICLES = {
    "film_en.txt": (
        "Hanoi Film Academy opens a script lab\n"
        "Professor Daniel Whitmore of the Korean Screenwriters Association opened a script lab at the "
        "Hanoi Film Academy (HFA) in Vietnam on Tuesday.\n"
        "HFA students will share the lab with writers from South Korea.\n"
    ),
    "quy_vi.txt": (
        "Quỹ hỗ trợ sáng tạo trẻ tài trợ phim ngắn\n"
        "Sáng 12/3, tại Hà Nội, Quỹ hỗ trợ sáng tạo trẻ (YCF) công bố 20 dự án phim ngắn của Việt Nam "
        "và Hàn Quốc.\n"
        "Ông Trần Minh Khôi, giám đốc YCF, cho biết các dự án sẽ được trình chiếu vào cuối năm.\n"
    ),
    "forum_th.txt": (
        "เวียดนามเปิดห้องเรียนเขียนบท\n"
        "ศาสตราจารย์ซาราห์ คอนเนอร์ จากมหาวิทยาลัยเยล กล่าวเปิดงาน Mekong Screen Forum ที่กรุงเทพฯ\n"
    ),
}

#: (kind, label) of nodes a scorer would expect from these articles.
EXPECTED = [
    ("Country", "Vietnam"),
    ("Country", "South Korea"),
    ("Organization", "Hanoi Film Academy"),
    ("Organization", "Korean Screenwriters Association"),
    ("Person", "Daniel Whitmore"),
    ("Person", "Trần Minh Khôi"),
    ("Organization", "Mekong Screen Forum"),
    ("Place", "Bangkok"),
]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> tuple[pipeline.RunResult, Path]:
    root = tmp_path_factory.mktemp("roundtrip")
    paths = []
    for name, text in ARTICLES.items():
        path = root / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    out = root / "out"
    res = pipeline.run(paths, out)
    assert res.errors == []
    return res, out / "graph.graphml"


@pytest.fixture(scope="module")
def nx_graph(result) -> nx.Graph:
    return nx.read_graphml(result[1])


@pytest.fixture(scope="module")
def ig_graph(result) -> igraph.Graph:
    return igraph.Graph.Read_GraphML(str(result[1]))


def test_pipeline_wrote_graphml(result) -> None:
    res, path = result
    assert path.is_file()
    assert path in res.outputs
    assert not list(path.parent.glob(".*.tmp"))
    assert sorted(x.doc.id for x in res.extractions) == ["film_en", "forum_th", "quy_vi"]
    assert {x.doc.id: x.doc.lang for x in res.extractions} == {"film_en": "en", "forum_th": "th", "quy_vi": "vi"}


def test_same_nodes_in_networkx_and_igraph(result, nx_graph, ig_graph) -> None:
    G = result[0].graph
    assert nx_graph.number_of_nodes() == ig_graph.vcount() == G.number_of_nodes() > 0
    assert set(nx_graph.nodes) == set(ig_graph.vs["id"]) == set(G.nodes)
    assert nx_graph.number_of_edges() == ig_graph.ecount() == G.number_of_edges()
    assert ig_graph.is_directed()


def test_no_empty_ids(nx_graph, ig_graph) -> None:
    assert all(isinstance(n, str) and n.strip() for n in nx_graph.nodes)
    assert all(isinstance(n, str) and n.strip() for n in ig_graph.vs["id"])


def test_every_node_has_kind_and_label(nx_graph, ig_graph) -> None:
    kinds = {"Person", "Organization", "Country", "Place", "Initiative", "Event"}
    for n, d in nx_graph.nodes(data=True):
        assert d.get("kind") in kinds, n
        assert isinstance(d.get("label"), str) and d["label"].strip(), n
    for v in ig_graph.vs:
        assert v["kind"] in kinds, v["id"]
        assert isinstance(v["label"], str) and v["label"].strip(), v["id"]


def test_list_attributes_are_pipe_joined_strings(result, nx_graph, ig_graph) -> None:
    G = result[0].graph
    for n, d in nx_graph.nodes(data=True):
        for key in ("aliases", "documents"):
            assert isinstance(d[key], str) and d[key], (n, key)
            assert d[key].split("|") == list(G.nodes[n][key]), (n, key)
    for v in ig_graph.vs:
        assert v["aliases"] == nx_graph.nodes[v["id"]]["aliases"]
        assert v["documents"] == nx_graph.nodes[v["id"]]["documents"]


def test_labels_and_aliases_keep_their_script(nx_graph) -> None:
    aliases = {a for _, d in nx_graph.nodes(data=True) for a in d["aliases"].split("|")}
    assert {"Việt Nam", "เวียดนาม", "ซาราห์ คอนเนอร์", "Quỹ hỗ trợ sáng tạo trẻ", "HFA"} <= aliases


@pytest.mark.parametrize(("kind", "label"), EXPECTED, ids=[label for _, label in EXPECTED])
def test_expected_node_present(kind: str, label: str, nx_graph, ig_graph) -> None:
    """The scorer's check: a node of this kind with this label, in both readers."""
    assert any(d["kind"] == kind and d["label"] == label for _, d in nx_graph.nodes(data=True))
    assert any(v["kind"] == kind and v["label"] == label for v in ig_graph.vs)


def test_vietnam_node_spans_the_three_articles(nx_graph) -> None:
    d = nx_graph.nodes["country/VN"]
    assert (d["kind"], d["label"], d["iso"]) == ("Country", "Vietnam", "VN")
    assert d["documents"].split("|") == ["film_en", "forum_th", "quy_vi"]
    assert d["langs"].split("|") == ["en", "th", "vi"]
    assert {"Vietnam", "Việt Nam", "เวียดนาม"} <= set(d["aliases"].split("|"))


def test_acronym_and_full_name_are_one_node(nx_graph) -> None:
    academy = [n for n, d in nx_graph.nodes(data=True) if d["label"] == "Hanoi Film Academy"]
    assert len(academy) == 1
    assert set(nx_graph.nodes[academy[0]]["aliases"].split("|")) == {"Hanoi Film Academy", "HFA"}
