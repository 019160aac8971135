"""The ``newsgraph`` command line. Thin: each command calls the pipeline's public functions."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Extract a knowledge graph of people, organisations, places and events from news.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """newsgraph: news articles in Vietnamese, English and Thai in, a knowledge graph out."""
