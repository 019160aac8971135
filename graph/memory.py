"""Garbage-collector control for the stages that allocate millions of objects without cycles.

Resolution, the graph and the exports build dicts, lists and tuples that reference counting frees;
the cyclic collector only rescans them, again and again as they age (in resolve + build on 10,000
articles: 12 of 26 s). :func:`gc_paused` turns it off for such a block, and :func:`gc_frozen` hides
what is alive when a block starts (a snapshot just unpickled) from every collection in the block;
:func:`freeze_survivors` adds what piled up since (the extractions so far, after each batch).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting still frees everything
    without cycles); the collector is left as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_frozen_depth = 0  # gc_frozen blocks open (they nest: only the outermost unfreezes)


@contextlib.contextmanager
def gc_frozen() -> Iterator[None]:
    """Every object alive when the block starts is out of the collector's sight until it ends
    (:func:`gc.freeze`): objects that live as long as the block need not be scanned over and over.
    Blocks nest; what is frozen inside one stays frozen until the outermost ends."""
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if not _frozen_depth:
            gc.unfreeze()


def freeze_survivors() -> None:
    """Inside :func:`gc_frozen`: freeze what is alive now as well (results that pile up until the
    block ends, such as the extractions of every batch so far); outside one, nothing."""
    if _frozen_depth:
        gc.freeze()
