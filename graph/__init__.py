"""newsgraph: a knowledge graph of people, organisations, places and events from news.

The pipeline, one module per stage::

    documents -> nlp -> extract -> resolve -> build -> export -> store
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike

    from .explore import Loaded

__version__ = "0.1.0"


def load(path: str | PathLike[str] = "outputs/") -> Loaded:
    """Read an output folder back (graph and tables): see :func:`graph.explore.load`."""
    from .explore import load as _load

    return _load(path)
