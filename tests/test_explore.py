"""graph.explore: reading an output folder back, measures, cuts, exports and the offline HTML view."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph import explore
from graph.export.gexf import KIND_COLOURS

pytest_plugins = ["outputs_fixtures"]


def _edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    return sorted((u, v, json.dumps(d, sort_keys=True, ensure_ascii=False)) for u, v, d in G.edges(data=True))


def _entity_nodes(G: nx.Graph) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("kind") != "Event"]


# ------------------------------------------------------------------------------------------- load


def test_load_gives_back_the_pipeline_graph(extraction) -> None:
    G = extraction.result.graph
    H = explore.load(extraction.out).graph
    assert isinstance(H, nx.MultiDiGraph)
    assert list(H.nodes) == list(G.nodes)
    for node, data in G.nodes(data=True):
        assert H.nodes[node] == data, node  # lists (aliases, documents, langs) and mentions restored
    assert _edges(H) == _edges(G)
    for key, value in G.graph.items():
        assert H.graph[key] == json.loads(json.dumps(value)), key
    assert isinstance(H.nodes[next(iter(H))]["aliases"], list)


def test_load_reads_the_tables(extraction) -> None:
    loaded = graph.load(extraction.out)  # the package-level entry point
    G = extraction.result.graph
    assert loaded.path == extraction.out
    assert sorted(loaded.entities["id"]) == sorted(_entity_nodes(G))
    assert len(loaded.events) == sum(d.get("kind") == "Event" for _, d in G.nodes(data=True))
    assert len(loaded.mentions) == sum(len(d.get("mentions", [])) for _, d in G.nodes(data=True))
    assert len(loaded.relations) == sum(G.nodes[u].get("kind") != "Event" for u, _ in G.edges())
    assert len(loaded.merges) == len(G.graph.get("merges", []))
    assert str(loaded.mentions["start"].dtype) == "Int64" and str(loaded.entities["mentions"].dtype) == "Int64"
    for table in (loaded.entities, loaded.relations, loaded.events, loaded.merges):
        assert not table.isna().any().any()  # empty cells are "", never NaN (an ISO code "NA" stays "NA")
    assert sorted(loaded.documents["id"]) == sorted(x.doc.id for x in extraction.result.extractions)


def test_load_accepts_the_graphml_file(extraction) -> None:
    loaded = explore.load(extraction.out / "graph.graphml")
    assert loaded.path == extraction.out
    assert loaded.graph.number_of_nodes() == extraction.result.graph.number_of_nodes()


def test_load_without_a_graph_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no graph.graphml"):
        explore.load(tmp_path)


def test_load_restores_events(sample_outputs: Path, sample_graph: nx.MultiDiGraph) -> None:
    loaded = explore.load(sample_outputs)
    for node, data in sample_graph.nodes(data=True):
        assert loaded.graph.nodes[node] == data, node
    assert _edges(loaded.graph) == _edges(sample_graph)
    events = loaded.events.set_index("id")
    assert sorted(events.index) == sorted(n for n, d in sample_graph.nodes(data=True) if d["kind"] == "Event")
    assert events.loc["event/agreement-2024-03-4d5e6f", "date"] == "2024-03"
    assert events.loc["event/opening-2020-10-08-1a2b3c", "cameo"] == "043"  # a code, not the number 43


def test_missing_table_is_empty_with_its_columns(sample_outputs: Path, tmp_path: Path) -> None:
    shutil.copy(sample_outputs / "graph.graphml", tmp_path / "graph.graphml")
    loaded = explore.load(tmp_path)
    assert loaded.events.empty and "event_type" in loaded.events.columns
    assert loaded.graph.number_of_nodes() == 13


# ------------------------------------------------------------------------------ measures, cuts


def test_betweenness_of_a_path_and_degree() -> None:
    G = nx.MultiDiGraph()
    for node in "abc":
        G.add_node(node, kind="Person", label=node.upper())
    G.add_edge("a", "b", relation="partnerOf")
    G.add_edge("a", "b", relation="memberOf")  # parallel edges count for degree, not for paths
    G.add_edge("c", "b", relation="partnerOf")
    table = explore.centrality(G).set_index("id")
    assert table.loc["b", "betweenness"] == 1.0 and table.loc["a", "betweenness"] == 0.0
    assert table.loc["b", "degree"] == 3 and table.loc["b", "in"] == 3 and table.loc["a", "out"] == 2
    assert list(table.index) == ["b", "a", "c"]


def test_centrality_of_the_extracted_graph(extraction) -> None:
    G = extraction.result.graph
    table = explore.centrality(G, kinds=explore.ACTOR_KINDS)
    assert set(table["kind"]) <= set(explore.ACTOR_KINDS)
    assert len(table) == sum(d["kind"] in explore.ACTOR_KINDS for _, d in G.nodes(data=True))
    assert list(table["degree"]) == sorted(table["degree"], reverse=True)
    assert all(table["degree"] == [G.degree(n) for n in table["id"]])
    assert table["betweenness"].between(0, 1).all()
    assert len(explore.centrality(G, top=3)) == 3


def test_communities_split_two_cliques() -> None:
    G = nx.MultiDiGraph()
    left, right = [f"l{i}" for i in range(4)], [f"r{i}" for i in range(4)]
    for group in (left, right):
        for node in group:
            G.add_node(node, kind="Organization", label=node)
        G.add_edges_from((u, v) for i, u in enumerate(group) for v in group[i + 1:])
    G.add_edge("l0", "r0")
    G.add_node("alone", kind="Person", label="alone")
    table = explore.communities(G)
    assert sorted(map(sorted, table["members"])) == [["alone"], sorted(left), sorted(right)]
    assert list(table["size"]) == [4, 4, 1]
    assert list(explore.communities(G, min_size=2)["size"]) == [4, 4]


def test_communities_partition_the_extracted_graph(extraction) -> None:
    G = extraction.result.graph
    table = explore.communities(G, seed=0)
    members = [n for group in table["members"] for n in group]
    assert sorted(members) == sorted(G.nodes)
    assert table.equals(explore.communities(G, seed=0))  # reproducible


def _path_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    nodes = list("abcde")
    for node in nodes:
        G.add_node(node, kind="Place", label=node, documents=[f"doc-{node}"])
    for u, v in zip(nodes, nodes[1:], strict=False):
        G.add_edge(u, v, relation="locatedIn", documents=[f"doc-{u}"])
    G.graph["documents"] = {f"doc-{n}": {"lang": "en"} for n in nodes}
    return G


def test_neighbourhood_follows_edges_both_ways() -> None:
    G = _path_graph()
    assert sorted(explore.neighbourhood(G, ["a"], hops=2)) == ["a", "b", "c"]
    assert sorted(explore.neighbourhood(G, ["e"], hops=2)) == ["c", "d", "e"]  # against the edges' direction
    sub = explore.neighbourhood(G, ["a", "e"], hops=1)
    assert sorted(sub) == ["a", "b", "d", "e"] and sub.number_of_edges() == 2
    assert sorted(sub.graph["documents"]) == ["doc-a", "doc-b", "doc-d", "doc-e"]
    with pytest.raises(KeyError, match="nowhere"):
        explore.neighbourhood(G, ["a", "nowhere"])


def test_events_involving_countries(sample_graph: nx.MultiDiGraph) -> None:
    vn, kr, th = (explore.find_country(sample_graph, iso) for iso in ("VN", "kr", "TH"))
    assert (vn, kr, th) == ("country/VN", "country/KR", "country/TH")
    assert explore.find_country(sample_graph, "FR") is None
    # the opening: in Hà Nội (located in Vietnam), organised by an agency based in Korea
    assert explore.events_involving(sample_graph, [vn, kr]) == ["event/opening-2020-10-08-1a2b3c"]
    assert explore.events_involving(sample_graph, [th]) == ["event/agreement-2024-03-4d5e6f"]
    assert explore.events_involving(sample_graph, [vn, kr], hops=1) == []


def test_subgraph_files_for_gephi(extraction, tmp_path: Path) -> None:
    G = explore.load(extraction.out).graph
    seed = max(G, key=G.degree)
    sub = explore.neighbourhood(G, [seed], hops=2)
    graphml = explore.write_subgraph(sub, tmp_path / "sub.graphml")
    gexf = explore.write_subgraph(sub, tmp_path / "sub.gexf")
    back = explore.read_graph(graphml)
    assert sorted(back) == sorted(sub) and _edges(back) == _edges(sub)
    root = ET.parse(gexf).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf"
    assert len(root.findall(".//{http://gexf.net/1.3}node")) == sub.number_of_nodes()
    with pytest.raises(ValueError, match="graphml or .gexf"):
        explore.write_subgraph(sub, tmp_path / "sub.txt")


# ----------------------------------------------------------------------------------- drawing


def test_timeline_draws_each_dated_event(sample_graph: nx.MultiDiGraph) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dated = explore.dated_events(sample_graph)
    assert list(dated["date"]) == ["2020-10-08", "2024-03"]
    assert [str(d) for d in dated["end"]] == ["2020-10-08", "2024-03-31"]  # a month is a period
    ax = explore.timeline(sample_graph)
    assert ax is not None
    assert len(ax.lines) == 2 and [t.get_text() for t in ax.get_yticklabels()] == ["Agreement", "Opening"]
    plt.close(ax.figure)


def test_timeline_without_events_draws_nothing(sample_graph: nx.MultiDiGraph) -> None:
    no_events = sample_graph.subgraph(_entity_nodes(sample_graph))
    assert explore.dated_events(no_events).empty
    assert explore.timeline(no_events) is None


class _Resources(HTMLParser):
    """Every URL an HTML page would fetch by itself: script/img/iframe src, link href, CSS url()."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video") and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1

    def handle_data(self, data: str) -> None:
        self.urls += re.findall(r"""@import\s+["']([^"']+)""", data)
        self.urls += re.findall(r"""url\(\s*["']?((?:https?:)?//[^"')]+)""", data)


@pytest.fixture(scope="module")
def html_view(extraction, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "graph.html"
    explore.interactive_view(explore.load(extraction.out).graph, path)
    return path


def test_html_view_references_nothing_online(html_view: Path, extraction) -> None:
    text = html_view.read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(text)
    remote = [u for u in parser.urls if re.match(r"(?:https?:)?//", u.strip())]
    assert remote == []
    # nor does its JavaScript set a remote src/href at run time
    assert not re.search(r"""\.(?:src|href)\s*=\s*["'](?:https?:)?//""", text)
    assert parser.inline_scripts >= 1  # require.js and d3 are embedded in the page
    assert "requirejs" in text and "forceSimulation" in text
    G = extraction.result.graph
    node = max(G, key=G.degree)
    assert json.dumps(G.nodes[node]["label"]) in text  # the data is in the page
    assert explore.kind_colour(G.nodes[node]["kind"]) in text


def test_html_view_escapes_markup(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("x", kind="Organization", label="</script><b>Bad & Co</b>", aliases=["<i>x</i>"], documents=["d"])
    G.add_node("y", kind="Weird", label="y")
    G.add_edge("x", "y", relation="partnerOf", evidence=[{"doc": "d", "sentence": 0, "text": "<img src=x>"}])
    shown = explore.display_graph(G)
    assert "<" not in shown.nodes["x"]["label"]
    assert "<b>Bad" not in shown.nodes["x"]["click"] and "&lt;i&gt;x&lt;/i&gt;" in shown.nodes["x"]["click"]
    assert "&lt;img src=x&gt;" in next(iter(shown.edges(data=True)))[2]["click"]
    assert shown.nodes["y"]["color"] == explore.kind_colour("Weird") == "#bab0ac"
    text = explore.interactive_view(G, tmp_path / "x.html").to_html_standalone()
    assert "</script><b>" not in text


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome", "headless_shell"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _offline_prefix() -> list[str]:
    """``unshare -rn`` (a new network namespace with no interfaces) when the kernel allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn"]
    return []


@pytest.mark.skipif(_chromium() is None, reason="no chromium: `apt-get install chromium` (make test-tools) to render")
def test_html_view_renders_offline_in_headless_chromium(html_view: Path, extraction, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "shot.png"
    cmd = [
        *_offline_prefix(), _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
        # no network even without a network namespace: no name resolves, every request goes to a dead proxy
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
        "--window-size=1000,700", "--virtual-time-budget=5000", f"--screenshot={shot}", html_view.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = Counter(dict((c, n) for n, c in image.getcolors(maxcolors=image.width * image.height)))
    assert sum(n for c, n in colours.items() if c != (255, 255, 255)) > 0.01 * image.width * image.height
    # nodes are drawn, in their kinds' colours
    kinds = Counter(d["kind"] for _, d in extraction.result.graph.nodes(data=True))
    drawn = {kind for kind in kinds if colours[KIND_COLOURS.get(kind, (-1, -1, -1))] >= 10}
    assert len(drawn) >= min(3, len(kinds)), (drawn, kinds)
