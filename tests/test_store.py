"""The store stage: push to a real Oxigraph server over the Graph Store Protocol, query embedded."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.export import write_rdf
from graph.export.rdf import DEFAULT_BASE_IRI, KIND_CLASSES
from graph.store import StoreError, open_store, push, query

BASE = DEFAULT_BASE_IRI


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A real `oxigraph serve` on a free loopback port; always terminated."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary (PyPI package `oxigraph`, a dev dependency) is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode(errors='replace')[:500]}")
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer within 20 s")
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def sparql(url: str, q: str) -> list[dict]:
    """SELECT over the SPARQL 1.1 protocol; rows of plain values."""
    request = urllib.request.Request(
        url + "/query",
        data=q.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


@pytest.fixture
def export_dir(tmp_path, sample_graph):
    out = tmp_path / "out"
    write_rdf(sample_graph, out)
    return out


def expected_kinds(G) -> dict[str, int]:
    return dict(Counter(KIND_CLASSES[d["kind"]][0] for _, d in G.nodes(data=True)))


def test_push_then_query_over_http(server, export_dir, sample_graph):
    counts = push(export_dir, server + "/store")
    docs = sorted(sample_graph.graph["documents"])
    graphs = {f"{BASE}graph/doc/{d}" for d in docs} | {f"{BASE}graph/provenance"}
    assert set(counts) == graphs and all(n > 10 for n in counts.values())

    rows = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {r["g"] for r in rows} == graphs  # one named graph per article, plus provenance

    rows = sparql(server, "SELECT ?k (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?k } } GROUP BY ?k")
    found = {r["k"]: int(r["n"]) for r in rows}
    assert {k: found.get(k) for k in expected_kinds(sample_graph)} == expected_kinds(sample_graph)

    rows = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"]) == sum(counts.values())


def test_push_replaces_so_pushing_twice_changes_nothing(server, export_dir):
    first = push(export_dir, server + "/store")
    push(export_dir, server + "/store")
    rows = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"]) == sum(first.values())


def test_push_everything_into_one_graph(server, export_dir):
    target = "http://example.org/graphs/news"
    counts = push(export_dir, server + "/store", graph=target)
    union = {q.triple for q in ox.parse(path=str(export_dir / "graph.trig"))}
    assert counts == {target: len(union)}
    rows = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"] for r in rows] == [target]


def test_default_graph_is_merged_not_replaced(server, tmp_path):
    existing = '<http://x.example/kept> <http://x.example/p> "already there" .'
    request = urllib.request.Request(
        server + "/store?default", data=existing.encode(), method="POST", headers={"Content-Type": "text/turtle"}
    )
    urllib.request.urlopen(request, timeout=10).close()
    trig = tmp_path / "mixed.trig"
    trig.write_text(
        '<http://x.example/a> <http://x.example/p> "in the default graph" .\n'
        '<http://x.example/g> { <http://x.example/b> <http://x.example/p> "named, with \\"quotes\\"" . }\n',
        encoding="utf-8",
    )
    assert push(trig, server + "/store") == {None: 1, "http://x.example/g": 1}
    default = sparql(server, "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")
    assert [r["o"] for r in default] == ["already there", "in the default graph"]
    named = sparql(server, "SELECT ?o WHERE { GRAPH <http://x.example/g> { ?s ?p ?o } }")
    assert [r["o"] for r in named] == ['named, with "quotes"']


def test_push_failures_are_one_line_errors(server, export_dir, tmp_path):
    with pytest.raises(StoreError, match=r"HTTP 404") as err:
        push(export_dir, server + "/no-such-endpoint")
    assert "\n" not in str(err.value)
    with pytest.raises(StoreError, match="cannot reach"):
        push(export_dir, f"http://127.0.0.1:{free_port()}/store", timeout=5)
    with pytest.raises(StoreError, match="no such directory"):
        push(tmp_path / "missing", server + "/store")
    with pytest.raises(StoreError, match="not an IRI"):
        push(export_dir, server + "/store", graph="not an iri")


def test_cli_push(server, export_dir):
    runner = CliRunner()
    result = runner.invoke(app, ["push", str(export_dir), "--endpoint", server + "/store"])
    assert result.exit_code == 0, result.output
    assert "in 4 graphs" in result.output
    result = runner.invoke(app, ["push", str(export_dir), "--endpoint", server + "/nowhere"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "HTTP 404" in result.output


def test_query_embedded_select_ask_construct(export_dir, sample_graph):
    df = query(export_dir, "SELECT ?s ?label WHERE { ?s a schema:Country ; rdfs:label ?label } ORDER BY ?s")
    assert isinstance(df, pd.DataFrame) and list(df.columns) == ["s", "label"]
    assert df["label"].tolist() == ["South Korea", "Thailand", "Vietnam"]  # plain strings, no @en
    assert df["s"].tolist()[0] == f"{BASE}id/country/KR"
    # the default graph is the merge of the article graphs: each entity counted once
    n = query(export_dir, "SELECT (COUNT(?s) AS ?n) WHERE { ?s a schema:Country }")
    assert n["n"].tolist() == ["3"]
    kinds = query(export_dir, "SELECT ?k (COUNT(?s) AS ?n) WHERE { ?s a ?k } GROUP BY ?k")
    got = dict(zip(kinds["k"], kinds["n"].astype(int), strict=True))
    assert {k: got[k] for k in expected_kinds(sample_graph)} == expected_kinds(sample_graph)
    unbound = query(export_dir, "SELECT ?s ?x WHERE { ?s a schema:Place OPTIONAL { ?s schema:nothing ?x } }")
    assert unbound["x"].isna().all()
    assert query(export_dir, "ASK { ?e a ng:Opening ; schema:startDate ?d }") is True
    assert query(export_dir, "ASK { ?e a ng:Visit }") is False
    ttl = query(export_dir, "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a schema:Person ; rdfs:label ?l }")
    assert isinstance(ttl, str) and len(list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))) == 3
    graphs = query(export_dir, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(graphs) == 4


def test_open_store_prefers_trig_then_nquads(export_dir):
    assert len(open_store(export_dir)) > 0
    (export_dir / "graph.trig").unlink()
    store = open_store(export_dir)
    assert {q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode)} >= {f"{BASE}graph/provenance"}


def test_query_errors(export_dir, tmp_path):
    with pytest.raises(StoreError, match="bad SPARQL query"):
        query(export_dir, "SELEKT ?x WHERE {}")
    with pytest.raises(StoreError, match="no such directory"):
        query(tmp_path / "missing", "ASK {}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="no graph.trig or graph.nq"):
        query(tmp_path / "empty", "ASK {}")


def test_cli_query_formats_and_errors(export_dir, tmp_path):
    runner = CliRunner()
    q = "SELECT ?iso WHERE { ?c schema:identifier ?iso } ORDER BY ?iso"
    result = runner.invoke(app, ["query", str(export_dir), q, "--format", "csv"])
    assert result.exit_code == 0 and result.output == "iso\nKR\nTH\nVN\n"
    result = runner.invoke(app, ["query", str(export_dir), q, "--format", "json"])
    assert json.loads(result.output) == [{"iso": "KR"}, {"iso": "TH"}, {"iso": "VN"}]
    result = runner.invoke(app, ["query", str(export_dir), q])
    assert result.exit_code == 0 and result.output.split() == ["iso", "KR", "TH", "VN"]
    (tmp_path / "q.rq").write_text("ASK { ?p a schema:Person }", encoding="utf-8")
    result = runner.invoke(app, ["query", str(export_dir), f"@{tmp_path / 'q.rq'}"])
    assert result.exit_code == 0 and result.output == "true\n"
    for args in (["query", str(export_dir), "SELECT WHERE"], ["query", str(tmp_path / "nope"), q]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.output.startswith("error: ") and result.output.count("\n") == 1


def test_cli_validate(export_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(export_dir)])
    assert result.exit_code == 0 and "conforms" in result.output
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1 and result.output.startswith("error: ")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x.example/c> a <http://schema.org/Country> .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1 and "Conforms: False" in result.output
