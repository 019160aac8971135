"""SHACL validation of the RDF export against ``graph/data/shapes.ttl`` (pyshacl).

The shapes are checked on the union of all graphs of the dataset (the article graphs refer to
documents described in the provenance graph).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import rdflib

#: Files looked for in a directory, in order of preference.
DATA_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld")


def data_file(dir_or_file: str | Path) -> Path:
    """The RDF file to read: ``dir_or_file`` itself, or the first of :data:`DATA_FILES` in it."""
    path = Path(dir_or_file)
    if path.is_dir():
        for name in DATA_FILES:
            if (path / name).is_file():
                return path / name
        raise FileNotFoundError(f"no {' / '.join(DATA_FILES)} in {path}")
    if not path.is_file():
        raise FileNotFoundError(f"no such file or directory: {path}")
    return path


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, by its extension."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise ValueError(f"unknown RDF file extension: {path.name}")
    return fmt


def rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def load_union(path: str | Path) -> rdflib.Graph:
    """The triples of every graph in an RDF file, as one rdflib graph (parsed by pyoxigraph)."""
    path = Path(path)
    graph = rdflib.Graph()
    for quad in ox.parse(path=str(path), format=rdf_format(path)):
        graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graph


def shapes_graph() -> rdflib.Graph:
    """The shapes of ``graph/data/shapes.ttl``."""
    text = resources.files("graph").joinpath("data/shapes.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


def validate(dir_or_file: str | Path) -> tuple[bool, str]:
    """Check an export directory (its ``graph.trig``, else ``graph.nq`` ...) or one RDF file.

    Returns (conforms, pyshacl's report text). Raises FileNotFoundError when there is nothing to
    read and SyntaxError when the file does not parse.
    """
    import pyshacl

    data = load_union(data_file(dir_or_file))
    conforms, _, report = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False, allow_warnings=False
    )
    return bool(conforms), str(report)
