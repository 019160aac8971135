"""Fuzzing (hypothesis): document loading, every export and the extraction cache never crash on odd input.

* ``load_file`` / ``load_documents`` on real temporary files (.txt, .md, .html, .jsonl) holding
  arbitrary Unicode, control characters, odd whitespace, huge tokens, other encodings and bytes;
* every export of a contract graph (conftest's sample graph) whose texts, ids and metadata are
  arbitrary: GraphML reads back with networkx, GEXF is well-formed XML, the RDF files parse
  strictly with pyoxigraph, the CSV tables read back; the streamed GraphML, N-Quads and JSON-LD
  writers write the same bytes as networkx and pyoxigraph (``reference_writers.py``);
* the cache stores and returns arbitrary extractions exactly.

Example counts are small and there is no deadline, so the module takes seconds.
"""

from __future__ import annotations

import csv
import json
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import reference_writers as reference
from conftest import make_sample_graph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.cache import ExtractionCache
from graph.documents import LANGS, DocumentError, load_documents, load_file
from graph.export import write_network
from graph.export.flat import flat_graph, flatten
from graph.export.gexf import write_gexf
from graph.export.graphml import write_flat_graphml, write_graphml
from graph.export.rdf import build_dataset, write_rdf_files
from graph.export.reuse import NETWORK_INDEX, GraphPrints, SpanIndex
from graph.export.tables import write_tables
from graph.model import Argument, DocExtraction, Document, Entity, Event, Mention, Relation, Sentence

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_SPACES = [
    "\u00a0", "\u2028", "\u2029", "\r", "\r\n", "\t", "\u3000", "\u200b", "\ufeff", "\x0b", "\x0c", "\x85",
    "\u202e", "\u00ad", "\u2060", "\n\n\n", "   ",
]  # fmt: skip
ODD_CHARS = ["\x00", "\x01", "\x1b", "\x7f", "\ufffe", "\uffff", "\U0010ffff", "&amp;", "<", ">", '"', "'", "\\", "]]>"]
SCRIPTS = ["Hà Nội", "Bộ Văn hóa", "กรุงเทพฯ", "สมาคม", "Ministry of Culture", "ÀÁẢÃẠ", "e\u0301", "👩🏽‍🎨", "Ω≈ç√"]

any_char = st.characters(exclude_categories=("Cs",))  # every code point a UTF-8 file can hold
odd_piece = st.sampled_from(ODD_SPACES + ODD_CHARS + SCRIPTS)
huge_token = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["a", "ก", "ệ", "-", "\u0301", "€"]), st.integers(1_000, 60_000)
)
nasty_text = st.lists(st.one_of(st.text(any_char, max_size=20), odd_piece, odd_piece), max_size=12).map("".join)
article = st.lists(st.one_of(nasty_text, odd_piece, huge_token.filter(lambda _: True)), min_size=1, max_size=8).map(
    "".join
)


# ------------------------------------------------------------------------------------------- loading


def check_items(items: list, path: Path) -> None:
    """Documents are clean and non-empty; errors are one line naming the file."""
    assert items, "every file gives a document or an error"
    for item in items:
        if isinstance(item, DocumentError):
            assert "\n" not in str(item) and str(path) in item.path
            continue
        assert isinstance(item, Document)
        assert item.text and item.text == item.text.strip()
        assert item.lang in LANGS
        assert "\r" not in item.text and item.text == unicodedata.normalize("NFC", item.text)
        assert not any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\t" for c in item.text)
        assert item.id
        for value in (item.title, item.date, item.source):
            assert value is None or isinstance(value, str)


def encode_file(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return text.encode("utf-16")  # with a byte-order mark
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode("utf-8")


def load_one(name: str, data: bytes) -> tuple[list, Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(load_file(path))
    return items, path


@FUZZ
@given(
    text=article, suffix=st.sampled_from([".txt", ".md"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])
)
def test_text_and_markdown_files(text: str, suffix: str, encoding: str) -> None:
    items, path = load_one(f"article{suffix}", encode_file(text, encoding))
    check_items(items, path)


@FEW
@given(data=st.binary(max_size=2_000))
def test_arbitrary_bytes(data: bytes) -> None:
    items, path = load_one("blob.txt", data)
    check_items(items, path)


TAGS = ["p", "div", "article", "main", "h1", "title", "script", "style", "nav", "pre", "td", "br", "meta", "time"]


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = ["<!DOCTYPE html><html><head>"]
    if draw(st.booleans()):
        parts.append(f'<meta property="og:title" content="{draw(nasty_text)}">')
    parts.append("</head><body>")
    for _ in range(draw(st.integers(0, 8))):
        tag = draw(st.sampled_from(TAGS))
        closed = draw(st.booleans())
        parts.append(f"<{tag}>{draw(article)}" + (f"</{tag}>" if closed else ""))
    if draw(st.booleans()):
        parts.append("</body></html>")
    return "".join(parts)


@FUZZ
@given(page=html_pages())
def test_html_files(page: str) -> None:
    items, path = load_one("page.html", page.encode("utf-8"))
    check_items(items, path)


json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=6,
)
record = st.fixed_dictionaries(
    {"text": st.one_of(article, json_value)},
    optional={
        "id": st.one_of(nasty_text, json_value),
        "lang": st.one_of(st.sampled_from(["vi", "en", "th", "fr", ""]), json_value),
        "title": json_value,
        "date": json_value,
        "url": json_value,
        "source": json_value,
    },
)
jsonl_line = st.one_of(record.map(lambda r: json.dumps(r, ensure_ascii=False)), nasty_text, json_value.map(json.dumps))


@FUZZ
@given(lines=st.lists(jsonl_line, min_size=1, max_size=6), newline=st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_jsonl_files(lines: list[str], newline: str) -> None:
    items, path = load_one("feed.jsonl", newline.join(lines).encode("utf-8"))
    check_items(items, path)


FOLDER_FILES = ["a.txt", "a.md", "b.html", "sub/a.txt", "c.jsonl", "d.xml", ".hidden.txt"]


@FEW
@given(files=st.lists(st.tuples(st.sampled_from(FOLDER_FILES), article), min_size=1, max_size=5))
def test_load_documents_on_a_folder(files: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8", newline="")
        items = list(load_documents([root, root / "a.txt"]))
        ids = [d.id for d in items if isinstance(d, Document)]
        assert len(ids) == len(set(ids))  # a document id is never used twice
        check_items(items, root)


# ------------------------------------------------------------------------------------------- exports

ODD_SUFFIXES = ["", " ", "/", "../x", "a b", "%20", "#frag", "?q=1"]
ODD_DATES = ["2020", "2020-10", "2020-10-08", "2024-02-30", "0000-00", "", "13/2020"]


@st.composite
def fuzzed_graphs(draw: st.DrawFn, text: st.SearchStrategy[str] = nasty_text) -> nx.MultiDiGraph:
    """The conftest sample graph with arbitrary labels, aliases, texts, titles, ids and metadata."""
    date = st.one_of(st.sampled_from(ODD_DATES), text)
    G = make_sample_graph()
    for meta in G.graph["documents"].values():
        meta["title"] = draw(text)
        meta["source"] = draw(st.one_of(text, st.just('https://news.example/a b?c="d"')))
        meta["date"] = draw(date)
    G.graph["run"]["models"] = {draw(text): draw(text)}
    for _, data in G.nodes(data=True):
        data["label"] = draw(text)
        data["aliases"] = draw(st.lists(text, max_size=3))
        for mention in data["mentions"]:
            mention["text"] = draw(text)
        if data["kind"] == "Event":
            data["trigger"] = draw(text)
            data["date"] = draw(date)
    for _, _, data in G.edges(data=True):
        for evidence in data["evidence"]:
            evidence["text"] = draw(text)
        if "title" in data:
            data["title"] = draw(text)
    kind = draw(st.sampled_from(["Person", "Organization", "Place", "Initiative"]))
    odd = f"{kind.lower()}/{draw(st.one_of(text, st.sampled_from(ODD_SUFFIXES)))}"
    if odd not in G:
        mention = {"doc": "001_en", "lang": "en", "sentence": 0, "start": 0, "end": 1, "text": draw(text)}
        G.add_node(odd, kind=kind, label=draw(text), aliases=[draw(text)], documents=["001_en"], langs=["en"],
                   mentions=[mention])  # fmt: skip
        G.add_edge(odd, "country/VN", relation="basedIn", documents=["001_en"],
                   evidence=[{"doc": "001_en", "sentence": 0, "text": draw(text)}])  # fmt: skip
    return G


EXPORT = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXPORT
@given(G=fuzzed_graphs())
def test_graphml_reads_back(G: nx.MultiDiGraph) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        H = nx.read_graphml(write_graphml(G, Path(tmp) / "graph.graphml"))
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())


@EXPORT
@given(G=fuzzed_graphs())
def test_gexf_is_well_formed(G: nx.MultiDiGraph) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = ET.parse(write_gexf(G, Path(tmp) / "graph.gexf")).getroot()
    assert root.tag.endswith("gexf")
    assert len([e for e in root.iter() if e.tag.endswith("}node")]) == G.number_of_nodes()


@EXPORT
@given(G=fuzzed_graphs())
def test_rdf_files_parse_strictly(G: nx.MultiDiGraph) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in write_rdf_files(G, Path(tmp)).items():
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]), lenient=False))
            assert quads, name


@EXPORT
@given(G=fuzzed_graphs())
def test_streamed_writers_write_what_networkx_and_pyoxigraph_write(G: nx.MultiDiGraph) -> None:
    flat = flatten(G)
    quads = reference.ox_quads(build_dataset(G))
    with tempfile.TemporaryDirectory() as tmp:
        assert write_flat_graphml(flat, Path(tmp) / "graph.graphml").read_bytes() == reference.graphml(flat)
        paths = write_rdf_files(G, Path(tmp))
        assert paths["graph.nq"].read_bytes() == reference.nquads(quads)
        assert paths["graph.trig"].read_bytes() == reference.trig(quads)
        assert paths["graph.ttl"].read_bytes() == reference.turtle(quads)
        assert paths["graph.jsonld"].read_bytes() == reference.jsonld(quads)


@EXPORT
@given(G=fuzzed_graphs(), data=st.data())
def test_reexport_with_reuse_writes_what_a_full_export_writes(G: nx.MultiDiGraph, data: st.DataObject) -> None:
    """Whatever changed between two exports (texts, attributes and their types, nodes), the
    files of the second one, which copies what did not change, are those of a full one."""
    with tempfile.TemporaryDirectory() as tmp:
        out, reuse, cold = Path(tmp) / "out", Path(tmp) / "reuse", Path(tmp) / "cold"
        write_network(G, out, reuse)
        write_rdf_files(G, out, reuse_dir=reuse)
        write_tables(G, out, reuse)
        nodes = list(G)
        for node in data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True)):
            G.nodes[node]["label"] = data.draw(nasty_text)
        weighted = data.draw(st.lists(st.sampled_from(nodes), max_size=2, unique=True))
        for node in weighted:  # a new attribute: the network files are then written afresh
            G.nodes[node]["weight"] = data.draw(st.one_of(st.integers(), st.floats(), nasty_text))
        if data.draw(st.booleans()):
            G.remove_node(data.draw(st.sampled_from(nodes)))
        if data.draw(st.booleans()):
            u, v = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
            if u in G and v in G:
                G.add_edge(u, v, relation="partnerOf", documents=["001_en"], evidence=[])
        if not weighted:  # the nodes and edges left alone are copied
            files = {name: out / name for name in ("graph.graphml", "graph.gexf")}
            with SpanIndex.opened(reuse / NETWORK_INDEX.name, NETWORK_INDEX.version, files) as last:
                assert flat_graph(G, GraphPrints.of(G), last.known, last.context).reused() > 0
        write_network(G, out, reuse)
        write_rdf_files(G, out, reuse_dir=reuse)
        write_tables(G, out, reuse)
        write_network(G, cold)
        write_rdf_files(G, cold)
        write_tables(G, cold)
        for name in ("graph.graphml", "graph.gexf", "graph.nq", "graph.trig", "graph.jsonld", "graph.ttl",
                     "entities.csv", "mentions.csv", "events.csv", "relations.csv", "merges.csv"):
            assert (out / name).read_bytes() == (cold / name).read_bytes(), name


def read_tables(G: nx.MultiDiGraph) -> dict[str, list[list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        tables = {}
        for path in write_tables(G, Path(tmp)):
            with path.open(encoding="utf-8", newline="") as handle:
                tables[path.name] = list(csv.reader(handle))
    return tables


@EXPORT
@given(G=fuzzed_graphs(text=nasty_text.map(lambda t: t.replace("\r", ""))))
def test_tables_read_back(G: nx.MultiDiGraph) -> None:
    for name, rows in read_tables(G).items():
        assert rows and rows[0], name  # a header at least
        assert {len(row) for row in rows} == {len(rows[0])}, name  # every row as wide as the header


def test_tables_quote_carriage_returns(sample_graph: nx.MultiDiGraph) -> None:
    for _, _, data in sample_graph.edges(data=True):
        for evidence in data["evidence"]:
            evidence["text"] = "first line\rsecond line"
    rows = read_tables(sample_graph)["relations.csv"]
    assert {len(row) for row in rows} == {len(rows[0])}


# ------------------------------------------------------------------------------------------- cache

attr_key = st.text(any_char, max_size=8)
attr_value = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(attr_key, inner, max_size=3)
        | st.dictionaries(st.integers(), inner, max_size=2)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=8,
)
mentions = st.builds(Mention, text=nasty_text, start=st.integers(0, 10**6), end=st.integers(0, 10**6),
                     sentence=st.integers(0, 99), rule=nasty_text)  # fmt: skip
entities = st.builds(
    Entity,
    id=nasty_text,
    kind=st.sampled_from(["Person", "Place"]),
    label=nasty_text,
    mentions=st.lists(mentions, max_size=3),
    attrs=st.dictionaries(attr_key, attr_value, max_size=4),
)
events = st.builds(
    Event,
    id=nasty_text,
    event_type=nasty_text,
    trigger=nasty_text,
    sentence=st.integers(0, 9),
    start=st.integers(0, 99),
    end=st.integers(0, 99),
    date=st.none() | nasty_text,
    location=st.none() | nasty_text,
    arguments=st.lists(st.builds(Argument, nasty_text, nasty_text), max_size=2),
)
relations = st.builds(Relation, head=nasty_text, relation=nasty_text, tail=nasty_text, sentence=st.integers(0, 9),
                      title=st.none() | nasty_text)  # fmt: skip


@FUZZ
@given(
    text=article,
    extraction=st.builds(
        DocExtraction,
        doc=st.just(Document("x", "")),
        sentences=st.lists(st.builds(Sentence, st.integers(0, 9), st.integers(0, 99), st.integers(0, 99)), max_size=3),
        entities=st.lists(entities, max_size=3),
        events=st.lists(events, max_size=2),
        relations=st.lists(relations, max_size=2),
    ),
)
def test_cache_returns_what_it_stored(text: str, extraction: DocExtraction) -> None:
    extraction.doc = Document("fuzz", text, "en", path="fuzz.txt")
    with tempfile.TemporaryDirectory() as tmp:
        cache = ExtractionCache(tmp, {"en": "0" * 20})
        stored = cache.put(extraction)
        got = cache.get(extraction.doc)
    if stored:
        assert got == extraction
    else:  # only what JSON cannot hold exactly (NaN-free floats always can) is refused
        assert cache.stats.uncacheable == 1 and got is None
