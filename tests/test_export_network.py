"""Network files: GraphML for networkx/igraph/the scorer, GEXF 1.3 for Gephi, read by several readers."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr as sax_quoteattr

import igraph
import networkx as nx
import pytest
import reference_writers as reference
from hypothesis import given
from hypothesis import strategies as st

from graph.export import write_network
from graph.export.flat import flatten
from graph.export.gexf import GEXF_NS, KIND_COLOURS, VIZ_NS, date_bounds, node_size, quoteattr, write_gexf
from graph.export.graphml import write_flat_graphml, write_graphml

ROOT = Path(__file__).resolve().parents[1]
JS_DIR = ROOT / "tests" / "js"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
SCORER = ROOT.parent / "shared" / "eval" / "score_graph.py"


@pytest.fixture
def files(tmp_path, sample_graph):
    return write_network(sample_graph, tmp_path)


def nasty_graph() -> nx.MultiDiGraph:
    """Everything the flat formats cannot hold as is."""
    G = nx.MultiDiGraph()
    G.graph["run"] = {"started": "2025-01-01T00:00:00+00:00", "models": {"en": "core_web_sm 3.8.0"}}
    G.add_node(
        "a",
        kind="Person",
        label="A\x00B\x1f\ufffe",
        weight=1,
        score=None,
        aliases=["x|y", "z"],
        flag=True,
        mentions=[{"doc": "d", "text": "A\x01"}],
        nested=[["p", 1]],
        tags={"b", "a"},
    )
    G.add_node("b", kind="Organization", label="B", weight=2.5, aliases=[], flag=False)
    G.add_node("", kind="Place", label="empty id", weight="heavy")
    G.add_node("c\x07", kind="Place", label="C")
    G.add_node("c", kind="Place", label="C again")
    G.add_edge("a", "b", relation="memberOf", documents=["d1", "d|2"], evidence=[{"doc": "d1", "text": "s"}])
    G.add_edge("a", "b", relation="partnerOf", confidence=1)
    G.add_edge("b", "", relation="basedIn", confidence=0.5)
    return G


# ------------------------------------------------------------------------------------------- flatten


def test_flatten_gives_one_scalar_type_per_key():
    F = flatten(nasty_graph())
    a = F.nodes["a"]
    assert a["label"] == "AB" and a["aliases"] == "x/y|z" and a["flag"] == 1 and "score" not in a
    assert json.loads(a["mentions"]) == [{"doc": "d", "text": "A"}]
    assert json.loads(a["nested"]) == [["p", 1]] and a["tags"] == "a|b"
    assert F.nodes["b"]["aliases"] == ""
    weights = [d["weight"] for _, d in F.nodes(data=True) if "weight" in d]
    assert weights == ["1", "2.5", "heavy"]  # int, float and str mixed -> str
    assert sorted(d["confidence"] for _, _, d in F.edges(data=True) if "confidence" in d) == [0.5, 1.0]
    for key in ("weight", "flag", "aliases"):
        assert len({type(d[key]) for _, d in F.nodes(data=True) if key in d}) == 1
    assert "" not in F and all(n.strip() for n in F)
    assert {"c", "c~2", "_node/2"} <= set(F)  # clean ids stay unique
    first = next(iter(F.edges(data=True)))[2]
    assert first["documents"] == "d1|d/2" and json.loads(first["evidence"]) == [{"doc": "d1", "text": "s"}]
    assert json.loads(F.graph["run"])["models"] == {"en": "core_web_sm 3.8.0"}
    assert sorted(k for _, _, k in F.edges(keys=True)) == [0, 1, 2]  # one edge id per edge


def test_nasty_graph_reads_back_with_igraph_and_networkx(tmp_path):
    path = write_graphml(nasty_graph(), tmp_path / "nasty.graphml")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (5, 3)
    assert all(v["id"] for v in g.vs)
    assert sorted(g.es["confidence"], key=str)[:2] == [0.5, 1.0]
    H = nx.read_graphml(path)
    assert H.nodes["a"]["aliases"] == "x/y|z" and H.nodes["b"]["weight"] == "2.5"


# ------------------------------------------------------------------------------------------- GraphML


@pytest.mark.parametrize("which", ["sample", "nasty"])
def test_graphml_is_byte_for_byte_what_networkx_writes(tmp_path, sample_graph, which):
    flat = flatten(sample_graph if which == "sample" else nasty_graph())
    assert write_flat_graphml(flat, tmp_path / "graph.graphml").read_bytes() == reference.graphml(flat)


def test_graphml_keys_are_declared_once_with_one_type(files):
    root = ET.parse(files["graph.graphml"]).getroot()
    keys = [(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(f"{GRAPHML_NS}key")]
    names = [(f, n) for f, n, _ in keys]
    assert len(names) == len(set(names))
    assert {t for _, _, t in keys} <= {"string", "int", "long", "double", "boolean"}
    ids = [n.get("id") for n in root.iter(f"{GRAPHML_NS}node")]
    assert all(ids) and len(ids) == len(set(ids))


def test_graphml_reads_back_with_networkx(files, sample_graph):
    H = nx.read_graphml(files["graph.graphml"])
    assert set(H) == set(sample_graph)
    assert H.number_of_edges() == sample_graph.number_of_edges()
    kr = H.nodes["country/KR"]
    assert (kr["kind"], kr["label"], kr["aliases"], kr["documents"]) == (
        "Country",
        "South Korea",
        "Hàn Quốc|South Korea",
        "000_vi|001_en",
    )
    opening = H.nodes["event/opening-2020-10-08-1a2b3c"]
    assert (opening["event_type"], opening["date"]) == ("Opening", "2020-10-08")
    relations = sorted(d["relation"] for _, _, d in H.edges(data=True))
    assert relations.count("participant") == 5 and relations.count("holdsPosition") == 2


def test_graphml_reads_back_with_igraph(files, sample_graph):
    g = igraph.Graph.Read_GraphML(str(files["graph.graphml"]))
    assert (g.vcount(), g.ecount()) == (sample_graph.number_of_nodes(), sample_graph.number_of_edges())
    assert sorted(g.vs["id"]) == sorted(sample_graph)
    assert sorted(set(g.vs["kind"])) == ["Country", "Event", "Initiative", "Organization", "Person", "Place"]
    assert set(g.es["relation"]) == {
        "participant",
        "location",
        "holdsPosition",
        "memberOf",
        "basedIn",
        "locatedIn",
        "partnerOf",
    }


@pytest.mark.skipif(not SCORER.is_file(), reason=f"the project's scorer is not at {SCORER}")
def test_graphml_is_what_the_scorer_reads(files):
    spec = importlib.util.spec_from_file_location("score_graph", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    graph = scorer.Graph(files["graph.graphml"])
    kr = graph.nodes["country/KR"]
    assert kr["kind"] == "Country" and kr["documents"] == {"000_vi", "001_en"}
    assert {"hàn quốc", "south korea"} <= kr["names"]
    assert graph.nodes["event/opening-2020-10-08-1a2b3c"]["event_type"] == "opening"
    assert graph.in_doc("002_th", ("Organization",)) == [
        "organization/korea-creative-content-agency",
        "organization/thailand-creative-design-center",
    ]
    assert (
        "organization/thailand-creative-design-center",
        "organization/korea-creative-content-agency",
        "partnerOf",
        {"002_th"},
    ) in graph.edges


# ------------------------------------------------------------------------------------------- GEXF


def test_gexf_is_version_1_3_with_typed_attributes_colours_sizes_and_time(files, sample_graph):
    root = ET.parse(files["graph.gexf"]).getroot()
    g = f"{{{GEXF_NS}}}"
    assert root.tag == f"{g}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{g}graph")
    assert (graph.get("mode"), graph.get("timeformat"), graph.get("defaultedgetype")) == ("dynamic", "date", "directed")
    declared = {a.get("id"): a.get("type") for a in graph.iter(f"{g}attribute")}
    assert {"kind", "aliases", "documents", "event_type", "date", "relation"} <= set(declared)
    nodes = {n.get("id"): n for n in graph.iter(f"{g}node")}
    assert set(nodes) == set(sample_graph)
    for node_id, n in nodes.items():
        kind = sample_graph.nodes[node_id]["kind"]
        colour = n.find(f"{{{VIZ_NS}}}color")
        assert (int(colour.get("r")), int(colour.get("g")), int(colour.get("b"))) == KIND_COLOURS[kind]
        size = float(n.find(f"{{{VIZ_NS}}}size").get("value"))
        assert size == node_size(sample_graph.degree(node_id))
        assert n.get("label") == sample_graph.nodes[node_id]["label"]
        values = {v.get("for") for v in n.iter(f"{g}attvalue")}
        assert values <= set(declared) and "kind" in values
    intervals = {i: (n.get("start"), n.get("end")) for i, n in nodes.items() if n.get("start")}
    assert intervals == {
        "event/opening-2020-10-08-1a2b3c": ("2020-10-08", "2020-10-08"),
        "event/agreement-2024-03-4d5e6f": ("2024-03-01", "2024-03-31"),
    }
    edges = list(graph.iter(f"{g}edge"))
    assert len(edges) == sample_graph.number_of_edges() and len({e.get("id") for e in edges}) == len(edges)
    assert all(e.get("kind") == e.get("label") for e in edges)
    assert size > 0


def test_gexf_without_dates_is_static_and_labels_are_tokens(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("p", kind="Person", label="  Two\nlines \t here ")
    G.add_node("x", kind="Unknown", label="X")
    G.add_edge("p", "x", relation="memberOf")
    root = ET.parse(write_gexf(G, tmp_path / "g.gexf")).getroot()
    graph = root.find(f"{{{GEXF_NS}}}graph")
    assert graph.get("mode") == "static" and graph.get("timeformat") is None
    labels = [n.get("label") for n in graph.iter(f"{{{GEXF_NS}}}node")]
    assert labels == ["Two lines here", "X"]
    assert not any(n.get("start") for n in graph.iter(f"{{{GEXF_NS}}}node"))


def test_event_end_dates_extend_the_interval(tmp_path, sample_graph):
    sample_graph.nodes["event/opening-2020-10-08-1a2b3c"]["end_date"] = "2020-11"
    sample_graph.nodes["event/agreement-2024-03-4d5e6f"]["date"] = "sometime"
    root = ET.parse(write_gexf(sample_graph, tmp_path / "g.gexf")).getroot()
    nodes = {n.get("id"): n for n in root.iter(f"{{{GEXF_NS}}}node")}
    assert (
        nodes["event/opening-2020-10-08-1a2b3c"].get("start"),
        nodes["event/opening-2020-10-08-1a2b3c"].get("end"),
    ) == ("2020-10-08", "2020-11-30")
    assert nodes["event/agreement-2024-03-4d5e6f"].get("start") is None


def test_date_bounds_by_precision():
    assert [d.isoformat() for d in date_bounds("2020")] == ["2020-01-01", "2020-12-31"]
    assert [d.isoformat() for d in date_bounds("2024-02")] == ["2024-02-01", "2024-02-29"]
    assert [d.isoformat() for d in date_bounds("2023-05-15")] == ["2023-05-15", "2023-05-15"]
    assert date_bounds("2020-13") is None and date_bounds("8/10/2020") is None


# ------------------------------------------------------------------------------------------- other readers


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint missing: apt-get install libxml2-utils")
def test_xmllint_finds_both_files_well_formed(files):
    result = subprocess.run(
        ["xmllint", "--noout", str(files["graph.graphml"]), str(files["graph.gexf"])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == ""


def run_node(fmt: str, path: Path) -> dict:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (JS_DIR / "node_modules" / "graphology-gexf").is_dir():
        pytest.skip("graphology readers not installed: run `make tests/js/node_modules`")
    result = subprocess.run(
        ["node", str(JS_DIR / "read_graph.mjs"), fmt, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_graphology_reads_the_graphml(files, sample_graph):
    out = run_node("graphml", files["graph.graphml"])
    assert (out["nodes"], out["edges"]) == (sample_graph.number_of_nodes(), sample_graph.number_of_edges())
    assert {"kind", "label", "aliases", "documents", "event_type", "date"} <= set(out["nodeAttributes"])
    assert {"relation", "documents"} <= set(out["edgeAttributes"])
    assert out["kinds"] == {"Country": 3, "Organization": 3, "Person": 3, "Place": 1, "Initiative": 1, "Event": 2}


def test_graphology_reads_the_gexf(files, sample_graph):
    out = run_node("gexf", files["graph.gexf"])
    n = sample_graph.number_of_nodes()
    assert (out["nodes"], out["edges"]) == (n, sample_graph.number_of_edges())
    assert (out["namespace"], out["version"], out["mode"], out["timeformat"]) == (GEXF_NS, "1.3", "dynamic", "date")
    assert out["withColour"] == n and out["withSize"] == n
    assert out["colours"] == {k: "rgba({},{},{},1.0)".format(*KIND_COLOURS[k]) for k in out["kinds"]}
    assert out["intervals"] == {
        "event/opening-2020-10-08-1a2b3c": ["2020-10-08", "2020-10-08"],
        "event/agreement-2024-03-4d5e6f": ["2024-03-01", "2024-03-31"],
    }


@given(st.lists(st.sampled_from([*"&<>\"'\n\r\t a;é"]), max_size=12).map("".join) | st.text(max_size=20))
def test_gexf_quoteattr_is_saxutils_quoteattr(text):
    assert quoteattr(text) == sax_quoteattr(text)
