"""The ``newsgraph`` command line. Thin: each command calls the pipeline's public functions."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    help="Extract a knowledge graph of people, organisations, places and events from news.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """newsgraph: news articles in Vietnamese, English and Thai in, a knowledge graph out."""


def _parse_models(values: list[str]) -> dict[str, str]:
    models = {}
    for value in values:
        lang, sep, name = value.partition("=")
        if not sep or not lang or not name:
            raise typer.BadParameter(f"expected LANG=PIPELINE, got {value!r}", param_hint="--model")
        models[lang.strip()] = name.strip()
    return models


class Engine(StrEnum):
    local = "local"
    dask = "dask"


@app.command()
def extract(
    inputs: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .md, .html, .jsonl (a `text` field per line).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("outputs"),
    lang: Annotated[
        str | None, typer.Option(help="Force a language (vi, en, th) instead of detecting it per document.")
    ] = None,
    model: Annotated[
        list[str], typer.Option(help="Use another installed spaCy pipeline: LANG=NAME_OR_PATH (repeatable).")
    ] = [],  # noqa: B006
    aliases: Annotated[Path | None, typer.Option(help="Alias file (CSV or YAML) forcing or forbidding merges.")] = None,
    base_iri: Annotated[str, typer.Option(help="Base IRI of the RDF resources.")] = "https://newsgraph.example/",
    max_bytes: Annotated[int, typer.Option(help="Reject input files larger than this.")] = 2_000_000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes parsing and extracting documents, and writing the exports."
        ),
    ] = 1,
    cache: Annotated[
        Path | None, typer.Option(help="Folder of cached per-document extractions (default: OUT/.cache).")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Extract every document again; use no cache.")] = False,
    engine: Annotated[
        Engine,
        typer.Option(help="local: --jobs processes on this machine; dask: a Dask cluster.", case_sensitive=False),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, tcp://HOST:8786 (default: a local cluster of --jobs processes)."),
    ] = None,
) -> None:
    """Extract the knowledge graph of INPUTS into OUT (GraphML, GEXF, RDF, CSV tables).

    Documents extracted before by the same pipeline version come from the cache: a re-run parses only new ones.
    """
    from . import pipeline

    bars: list = []

    def on_error(err) -> None:
        if bars:  # print above the progress bar, not into it
            bars[0].write(f"error: {err}", file=sys.stderr)
        else:
            typer.echo(f"error: {err}", err=True)

    def progress_factory(total: int):
        if quiet or total <= 5:
            return None
        from tqdm import tqdm

        bars.append(tqdm(total=total, unit="doc", desc="extract", file=sys.stderr))
        return bars[0].update

    if scheduler and engine is not Engine.dask:
        raise typer.BadParameter("needs --engine dask", param_hint="--scheduler")
    try:
        result = pipeline.run(
            list(inputs), out, lang=lang, models=_parse_models(model), aliases=aliases, base_iri=base_iri,
            max_bytes=max_bytes, on_error=on_error, progress_factory=progress_factory,
            jobs=jobs, engine=engine.value, scheduler=scheduler, cache=False if no_cache else (cache or True),
        )
    except (ValueError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    finally:
        for bar in bars:
            bar.close()
    if not quiet:
        s = pipeline.summary(result)
        typer.echo(f"{s['documents']} documents ({s['failed']} failed) in {s['seconds']} s -> {out}")
        if s["cache_hits"] is not None:
            unstored = f"; {s['cache_unstored']} could not be cached" if s["cache_unstored"] else ""
            unread = f", {s['files_reused']} unchanged files not read again" if s["files_reused"] else ""
            typer.echo(
                f"cache: {s['cache_hits']} of {s['documents']} documents reused{unread} ({s['cache_dir']}){unstored}"
            )
        typer.echo("entities by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(s["by_kind"].items())))
        typer.echo("entities by language: " + ", ".join(f"{k} {v}" for k, v in sorted(s["by_lang"].items())))
        if s["relations"]:
            typer.echo("edges: " + ", ".join(f"{k} {v}" for k, v in sorted(s["relations"].items())))
    if result.errors:
        raise typer.Exit(1)


# --------------------------------------------------------------------- RDF: validate, query, push

_EXPORT_HELP = "Output folder (its graph.trig, else graph.nq) or one RDF file."
_ENDPOINT_HELP = "SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph)."
_GRAPH_HELP = "Put every triple into this one named graph (IRI) instead of one graph per article."
_APPEND_HELP = "POST (merge into) instead of PUT (replace) each graph."


def _fail(message: str) -> NoReturn:
    """Print a one-line error and exit with status 1."""
    first = next((line.strip() for line in str(message).splitlines() if line.strip()), "failed")
    typer.echo(f"error: {first}", err=True)
    raise typer.Exit(1)


@app.command("validate")
def validate_command(
    directory: Annotated[Path, typer.Argument(help=_EXPORT_HELP)],
) -> None:
    """Check the RDF export against the SHACL shapes; print the report and exit 1 if it does not conform."""
    from .export.validate import validate

    try:
        conforms, report = validate(directory)
    except FileNotFoundError as err:
        _fail(str(err))
    except (SyntaxError, ValueError) as err:
        _fail(f"cannot read {directory}: {err}")
    if conforms:
        typer.echo(f"{directory}: conforms to the SHACL shapes (0 violations)")
        return
    typer.echo(report)
    raise typer.Exit(1)


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("query")
def query_command(
    directory: Annotated[Path, typer.Argument(help=_EXPORT_HELP)],
    sparql: Annotated[str, typer.Argument(help="SPARQL query, or @FILE to read it from a file.")],
    fmt: Annotated[
        QueryFormat, typer.Option("--format", "-f", help="Output of SELECT results.", case_sensitive=False)
    ] = QueryFormat.table,
) -> None:
    """Run SPARQL on the export, in memory (prefixes schema:, ng:, org:, prov:, dcterms: ... predeclared).

    The default graph is the merge of all graphs (each triple once); GRAPH ?g reaches the per-article graphs.
    SELECT prints a table (or CSV, JSON records), ASK true/false, CONSTRUCT Turtle.
    """
    from .store import StoreError, query

    if sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except OSError as err:
            _fail(f"cannot read query file {sparql[1:]}: {err.strerror or err}")
    try:
        result = query(directory, sparql)
    except StoreError as err:
        _fail(str(err))
    if isinstance(result, bool):
        typer.echo("true" if result else "false")
    elif isinstance(result, str):
        typer.echo(result, nl=False)
    elif fmt is QueryFormat.csv:
        typer.echo(result.to_csv(index=False), nl=False)
    elif fmt is QueryFormat.json:
        typer.echo(result.to_json(orient="records", force_ascii=False))
    elif result.empty:
        typer.echo(f"(no results; columns: {', '.join(result.columns)})")
    else:
        typer.echo(result.fillna("").to_string(index=False))


@app.command("push")
def push_command(
    directory: Annotated[Path, typer.Argument(help=_EXPORT_HELP)],
    endpoint: Annotated[str, typer.Option(help=_ENDPOINT_HELP)],
    graph: Annotated[str | None, typer.Option(help=_GRAPH_HELP)] = None,
    append: Annotated[bool, typer.Option("--append", help=_APPEND_HELP)] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each HTTP request.")] = 60.0,
) -> None:
    """Upload the export's named graphs to a triple store (SPARQL 1.1 Graph Store Protocol)."""
    from .store import StoreError, push

    try:
        counts = push(directory, endpoint, graph, replace=not append, timeout=timeout)
    except StoreError as err:
        _fail(str(err))
    total = sum(counts.values())
    typer.echo(f"{'appended' if append else 'put'} {total} triples in {len(counts)} graphs to {endpoint}")


# ------------------------------------------------------------------------------------- explain


@app.command("explain")
def explain_command(
    name_or_id: Annotated[str, typer.Argument(help="A node id (person/dang-hoang-giang) or any name or alias.")],
    directory: Annotated[Path, typer.Option("--out", "-o", help="Output folder of `newsgraph extract`.")] = Path(
        "outputs"
    ),
) -> None:
    """Why is this one node: its merges (rule, key, documents) and every mention, with its sentence."""
    from .explain import explain

    try:
        found = explain(directory, name_or_id)
    except (OSError, ValueError) as err:
        _fail(str(err))
    if not found:
        _fail(f"no entity or event named {name_or_id!r} in {directory}")
    typer.echo("\n\n".join(e.render() for e in found))


# --------------------------------------------------------------------------------------- stats


@app.command("stats")
def stats_command(
    directory: Annotated[Path, typer.Argument(help="Output folder of `newsgraph extract` (its graph.graphml).")],
    top: Annotated[int, typer.Option(min=1, help="How many entities to list by degree.")] = 10,
) -> None:
    """Counts by kind and language, top entities by degree, events by type and month."""
    from .explore import load
    from .stats import compute_stats, format_stats

    try:
        loaded = load(directory)
    except (OSError, ValueError, SyntaxError) as err:
        _fail(str(err))
    typer.echo(format_stats(compute_stats(loaded, top=top)))
