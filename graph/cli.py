"""The ``newsgraph`` command line. Thin: each command calls the pipeline's public functions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .md, .html, .jsonl (a `text` field per line).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("outputs"),
    lang: Annotated[str | None, typer.Option(help="Force a language (vi, en, th) instead of detecting it per document.")] = None,
    model: Annotated[list[str], typer.Option(help="Use another installed spaCy pipeline: LANG=NAME_OR_PATH (repeatable).")] = [],  # noqa: B006
    aliases: Annotated[Path | None, typer.Option(help="Alias file (CSV or YAML) forcing or forbidding merges.")] = None,
    base_iri: Annotated[str, typer.Option(help="Base IRI of the RDF resources.")] = "https://newsgraph.example/",
    max_bytes: Annotated[int, typer.Option(help="Reject input files larger than this.")] = 2_000_000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Extract the knowledge graph of INPUTS into OUT (GraphML, GEXF, RDF, CSV tables)."""
    from . import pipeline

    def on_error(err) -> None:
        typer.echo(f"error: {err}", err=True)

    def progress_factory(total: int):
        if quiet or total <= 5:
            return None
        from tqdm import tqdm

        bar = tqdm(total=total, unit="doc", desc="extract", file=__import__("sys").stderr)
        return bar.update

    try:
        result = pipeline.run(
            list(inputs), out, lang=lang, models=_parse_models(model), aliases=aliases, base_iri=base_iri,
            max_bytes=max_bytes, on_error=on_error, progress_factory=progress_factory,
        )
    except (ValueError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    if not quiet:
        s = pipeline.summary(result)
        typer.echo(f"{s['documents']} documents ({s['failed']} failed) in {s['seconds']} s -> {out}")
        typer.echo("entities by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(s["by_kind"].items())))
        typer.echo("entities by language: " + ", ".join(f"{k} {v}" for k, v in sorted(s["by_lang"].items())))
        if s["relations"]:
            typer.echo("edges: " + ", ".join(f"{k} {v}" for k, v in sorted(s["relations"].items())))
    if result.errors:
        raise typer.Exit(1)
