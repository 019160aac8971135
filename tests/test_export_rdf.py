"""RDF export: every format parses strictly, text round-trips, IRIs are stable, SHACL holds."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.export import write_rdf
from graph.export.rdf import (
    DEFAULT_BASE_IRI,
    KIND_CLASSES,
    NG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    build_quads,
    encode_path,
)
from graph.export.validate import validate

RDFLIB_FORMATS = {"graph.ttl": "turtle", "graph.trig": "trig", "graph.nq": "nquads", "graph.jsonld": "json-ld"}
BASE = DEFAULT_BASE_IRI

NASTY_LABEL = 'Nhà hát "Lớn" \\ Hà Nội >\n"""triple""" \'single\' <tag> \t end\\'
NASTY_ID = 'place/nhà hát "lớn" <x>/../?q=1#frag'
NASTY_SOURCE = 'https://báo.example/tin tức/nhà hát lớn.html?q=a b&x="y"'


def node_iri(node_id: str, base: str = BASE) -> ox.NamedNode:
    return ox.NamedNode(f"{base}id/{encode_path(node_id)}")


def oxi_quads(path: Path) -> set[ox.Quad]:
    """Quads of a file parsed strictly by pyoxigraph (triples put in the default graph)."""
    out = set()
    for q in ox.parse(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:])):
        if isinstance(q, ox.Triple):
            q = ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        out.add(q)
    return out


def triples_of(quads) -> set[ox.Triple]:
    return {q.triple for q in quads}


def add_nasty(G) -> None:
    """A Place whose id, label and aliases hold quotes, newlines, '>', triple quotes, backslashes."""
    G.graph["documents"]["003_vi"] = {
        "id": "003_vi",
        "lang": "vi",
        "title": 'Tựa "đề" >\n"""x"""',
        "date": "2021",
        "source": NASTY_SOURCE,
        "path": "seeds/003 vi.txt",
    }
    G.add_node(
        NASTY_ID,
        kind="Place",
        label=NASTY_LABEL,
        aliases=[NASTY_LABEL, "Nhà hát Lớn"],
        documents=["003_vi"],
        langs=["vi"],
        mentions=[
            {"doc": "003_vi", "lang": "vi", "sentence": 0, "start": 0, "end": 9, "text": NASTY_LABEL},
            {"doc": "003_vi", "lang": "vi", "sentence": 1, "start": 20, "end": 31, "text": "Nhà hát Lớn"},
        ],
    )
    G.add_edge(
        NASTY_ID,
        "country/VN",
        relation="locatedIn",
        documents=["003_vi"],
        evidence=[{"doc": "003_vi", "sentence": 0, "text": NASTY_LABEL}],
    )


@pytest.fixture
def exported(tmp_path, sample_graph):
    return write_rdf(sample_graph, tmp_path / "out")


def test_writes_the_four_files_atomically(exported):
    out = exported["graph.ttl"].parent
    assert sorted(p.name for p in out.iterdir()) == ["graph.jsonld", "graph.nq", "graph.trig", "graph.ttl"]
    assert all(p.stat().st_size > 1000 for p in exported.values())  # and no temporary file is left


def test_every_file_parses_strictly_and_all_agree(exported):
    nq = oxi_quads(exported["graph.nq"])
    assert oxi_quads(exported["graph.trig"]) == nq
    assert oxi_quads(exported["graph.jsonld"]) == nq
    ttl = oxi_quads(exported["graph.ttl"])
    assert {q.graph_name for q in ttl} == {ox.DefaultGraph()}
    assert triples_of(ttl) == triples_of(nq)  # the Turtle file is the union, each triple once
    assert len(triples_of(nq)) < len(nq)  # ... and facts stated by several articles are in several graphs


@pytest.mark.parametrize("name", sorted(RDFLIB_FORMATS))
def test_every_file_parses_with_rdflib(exported, name):
    ds = rdflib.Dataset()
    ds.parse(exported[name], format=RDFLIB_FORMATS[name])
    n_oxi = len(oxi_quads(exported[name]))
    assert len(ds) == n_oxi if name == "graph.ttl" else len(list(ds.quads((None, None, None, None)))) == n_oxi


def test_jsonld_has_a_context_and_compact_terms(exported):
    doc = json.loads(exported["graph.jsonld"].read_text(encoding="utf-8"))
    assert doc["@context"]["schema"] == SCHEMA and doc["@context"]["ng"] == NG
    text = exported["graph.jsonld"].read_text(encoding="utf-8")
    assert '"rdfs:label"' in text and '"schema:Country"' in text and '"xsd:date"' in text
    named = [g["@id"] for g in doc["@graph"] if "@graph" in g]
    assert f"{BASE}graph/provenance" in named and f"{BASE}graph/doc/000_vi" in named


def test_nasty_text_round_trips_exactly_in_every_format(tmp_path, sample_graph):
    add_nasty(sample_graph)
    paths = write_rdf(sample_graph, tmp_path)
    place = node_iri(NASTY_ID)
    doc = ox.NamedNode(f"{BASE}doc/003_vi")
    label = ox.NamedNode(RDFS + "label")
    for name, path in paths.items():
        quads = oxi_quads(path)
        labels = {q.object for q in quads if q.subject == place and q.predicate == label}
        assert labels == {ox.Literal(NASTY_LABEL, language="vi")}, name
        sources = {q.object.value for q in quads if q.subject == doc and q.predicate.value.endswith("/source")}
        assert sources == {NASTY_SOURCE}, name
        titles = {q.object.value for q in quads if q.subject == doc and q.predicate.value.endswith("/title")}
        assert titles == {'Tựa "đề" >\n"""x"""'}, name
        # rdflib reads the same values back
        ds = rdflib.Dataset()
        ds.parse(path, format=RDFLIB_FORMATS[name])
        values = {str(o) for _, _, o, _ in ds.quads((rdflib.URIRef(place.value), None, None, None))}
        assert NASTY_LABEL in values, name


def test_iris_are_percent_encoded_and_valid(tmp_path, sample_graph):
    add_nasty(sample_graph)
    iri = node_iri(NASTY_ID).value
    assert iri.startswith(f"{BASE}id/place/")
    assert not set(iri[len(BASE) :]) & set(' "<>\\{}|^`#?')
    assert "/../" not in iri and "%2E%2E" in iri  # no dot segment a resolver would remove
    assert encode_path("a/b c") == "a/b%20c" and encode_path("x%20") == "x%2520"  # injective
    nq = write_rdf(sample_graph, tmp_path)["graph.nq"].read_text(encoding="utf-8")
    assert f"<{iri}>" in nq


def test_iris_and_bytes_are_stable_across_runs(tmp_path, sample_graph):
    from conftest import make_sample_graph

    first = write_rdf(sample_graph, tmp_path / "a")
    second = write_rdf(make_sample_graph(), tmp_path / "b")
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    subjects = {q.subject.value for q in oxi_quads(first["graph.nq"])}
    assert f"{BASE}id/country/VN" in subjects and f"{BASE}id/person/park-noh-wan" in subjects


def test_base_iri_is_configurable(tmp_path, sample_graph):
    base = "http://kg.example.org/news/"
    paths = write_rdf(sample_graph, tmp_path, base_iri=base)
    quads = oxi_quads(paths["graph.nq"])
    ours = {t.value for q in quads for t in (q.subject, q.object, q.graph_name) if isinstance(t, ox.NamedNode)}
    assert f"{base}id/country/VN" in ours
    assert not {i for i in ours if i.startswith(BASE) and not i.startswith(NG)}  # vocabulary stays
    with pytest.raises(ValueError):
        build_quads(sample_graph, "not an iri")


def test_language_tags_come_from_the_mentions(exported):
    quads = oxi_quads(exported["graph.nq"])
    alt = ox.NamedNode(SCHEMA + "alternateName")

    def names(node):
        return {q.object for q in quads if q.subject == node_iri(node) and q.predicate == alt}

    assert ox.Literal("Hàn Quốc", language="vi") in names("country/KR")
    assert ox.Literal("เวียดนาม", language="th") in names("country/VN")
    assert ox.Literal("Vietnam", language="en") in names("country/VN")
    assert {lit.language for lit in names("organization/korea-creative-content-agency")} == {"vi", "en", "th"}


def test_alias_is_in_the_graph_of_the_article_that_wrote_it(exported):
    quads = oxi_quads(exported["graph.nq"])
    kr = [q for q in quads if q.subject == node_iri("country/KR") and q.object == ox.Literal("Hàn Quốc", language="vi")]
    assert [q.graph_name.value for q in kr] == [f"{BASE}graph/doc/000_vi"]


def test_dates_are_typed_by_precision(tmp_path, sample_graph):
    sample_graph.nodes["event/opening-2020-10-08-1a2b3c"]["end_date"] = "2020-11"
    sample_graph.add_node(
        "event/meeting-2023",
        kind="Event",
        label="Forum",
        event_type="Meeting",
        cameo="043",
        date="2023",
        documents=["001_en"],
        langs=["en"],
        aliases=[],
        mentions=[],
    )
    quads = oxi_quads(write_rdf(sample_graph, tmp_path)["graph.nq"])

    def typed(node, prop):
        return {
            (q.object.value, q.object.datatype.value)
            for q in quads
            if q.subject == node_iri(node) and q.predicate == ox.NamedNode(SCHEMA + prop)
        }

    assert typed("event/opening-2020-10-08-1a2b3c", "startDate") == {("2020-10-08", XSD + "date")}
    assert typed("event/opening-2020-10-08-1a2b3c", "endDate") == {("2020-11", XSD + "gYearMonth")}
    assert typed("event/agreement-2024-03-4d5e6f", "startDate") == {("2024-03", XSD + "gYearMonth")}
    assert typed("event/meeting-2023", "startDate") == {("2023", XSD + "gYear")}
    doc_dates = {q.object.datatype.value for q in quads if q.predicate.value.endswith("terms/date")}
    assert doc_dates == {XSD + "date", XSD + "gYearMonth"}


def test_countries_events_positions_and_relations(exported):
    triples = triples_of(oxi_quads(exported["graph.nq"]))

    def has(s, p, o):
        return ox.Triple(s, ox.NamedNode(p), o) in triples

    assert has(node_iri("country/VN"), SCHEMA + "identifier", ox.Literal("VN"))
    opening = node_iri("event/opening-2020-10-08-1a2b3c")
    kocca = node_iri("organization/korea-creative-content-agency")
    assert has(opening, RDF + "type", ox.NamedNode(NG + "Opening"))
    assert has(opening, NG + "cameo", ox.Literal("043"))
    assert has(opening, SCHEMA + "organizer", kocca) and has(opening, SCHEMA + "participant", kocca)
    assert has(opening, SCHEMA + "location", node_iri("place/ha-noi"))
    assert has(node_iri("place/ha-noi"), SCHEMA + "containedInPlace", node_iri("country/VN"))
    assert has(node_iri("organization/thailand-creative-design-center"), NG + "partnerOf", kocca)
    # holdsPosition: an org:Membership whose role is labelled with the title as written
    org = "http://www.w3.org/ns/org#"
    memberships = [
        t.subject
        for t in triples
        if t.predicate.value == org + "member" and t.object == node_iri("person/park-noh-wan")
    ]
    assert len(memberships) == 1
    (m,) = memberships
    assert has(m, org + "organization", node_iri("country/KR"))
    role = next(t.object for t in triples if t.subject == m and t.predicate.value == org + "role")
    assert has(role, RDFS + "label", ox.Literal("Đại sứ Hàn Quốc tại Việt Nam", language="vi"))


def test_one_named_graph_per_article_plus_provenance(exported, sample_graph):
    quads = oxi_quads(exported["graph.trig"])
    graphs = {q.graph_name.value for q in quads}
    docs = sorted(sample_graph.graph["documents"])
    assert graphs == {f"{BASE}graph/doc/{d}" for d in docs} | {f"{BASE}graph/provenance"}
    derived = ox.NamedNode(PROV + "wasDerivedFrom")
    for d in docs:  # an article's graph derives only from that article
        in_graph = {
            q.object.value for q in quads if q.graph_name.value == f"{BASE}graph/doc/{d}" and q.predicate == derived
        }
        assert in_graph == {f"{BASE}doc/{d}"}
    # every entity of the contract graph is typed and derived from each of its documents
    for node, attrs in sample_graph.nodes(data=True):
        cls = ox.NamedNode(KIND_CLASSES[attrs["kind"]][0])
        for d in attrs["documents"]:
            g = ox.NamedNode(f"{BASE}graph/doc/{d}")
            assert ox.Quad(node_iri(node), ox.NamedNode(RDF + "type"), cls, g) in quads
            assert ox.Quad(node_iri(node), derived, ox.NamedNode(f"{BASE}doc/{d}"), g) in quads


def test_run_is_a_prov_activity_with_tool_and_models(exported):
    quads = oxi_quads(exported["graph.trig"])
    prov = [q for q in quads if q.graph_name.value == f"{BASE}graph/provenance"]
    activity = next(q.subject for q in prov if q.object == ox.NamedNode(PROV + "Activity"))
    values = {(q.predicate.value, q.object.value) for q in prov if q.subject == activity}
    assert (PROV + "startedAtTime", "2025-01-02T03:04:05+00:00") in values
    assert (PROV + "wasAssociatedWith", f"{BASE}agent/newsgraph/0.1.0") in values
    assert (NG + "model", f"{BASE}model/en_core_web_sm/3.8.0") in values
    assert (PROV + "used", f"{BASE}doc/002_th") in values


def test_every_term_used_is_declared_in_the_ontology(exported):
    ontology = rdflib.Graph().parse(
        data=resources.files("graph").joinpath("data/ontology.ttl").read_text(encoding="utf-8"), format="turtle"
    )
    declared = {str(s) for s in ontology.subjects()}
    used = set()
    for q in oxi_quads(exported["graph.nq"]):
        used.add(q.predicate.value)
        if q.predicate.value == RDF + "type":
            used.add(q.object.value)
    used.discard(RDF + "type")
    assert used - declared == set()


def test_sample_output_conforms_to_the_shapes(exported):
    conforms, report = validate(exported["graph.ttl"].parent)
    assert conforms, report
    assert "Conforms: True" in report
    assert validate(exported["graph.nq"])[0] and validate(exported["graph.jsonld"])[0]


def test_broken_graphs_do_not_conform(tmp_path, sample_graph):
    del sample_graph.nodes["country/VN"]["iso"]  # a Country without its ISO code
    sample_graph.nodes["person/kim-young-jun"].update(documents=[], mentions=[])  # no provenance
    sample_graph.nodes["event/agreement-2024-03-4d5e6f"]["kind"] = "Organization"  # participant of a non-event
    conforms, report = validate(write_rdf(sample_graph, tmp_path)["graph.trig"].parent)
    assert not conforms
    assert "Conforms: False" in report
    assert "ISO 3166-1" in report and "wasDerivedFrom" in report
    assert "only an Event has schema:participant" in report


def test_hand_broken_turtle_is_reported(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        f"""@prefix schema: <{SCHEMA}> . @prefix ng: <{NG}> . @prefix xsd: <{XSD}> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <http://x.example/e> a schema:Event ; rdfs:label "a", "b" ; schema:startDate "8/10/2020" ;
            schema:participant <http://x.example/nothing> .
        """,
        encoding="utf-8",
    )
    conforms, report = validate(bad)
    assert not conforms
    for expected in ("canonical rdfs:label", "event type class", "startDate", "participant"):
        assert expected in report
    with pytest.raises(FileNotFoundError):
        validate(tmp_path / "missing")
