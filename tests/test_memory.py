"""Garbage-collector control: frozen objects stay out of the collector's sight until the outermost block ends."""

from __future__ import annotations

import gc

from graph.memory import freeze_survivors, gc_frozen, gc_paused


def test_nested_frozen_blocks_unfreeze_only_at_the_outermost_end() -> None:
    with gc_frozen():
        outer = gc.get_freeze_count()
        assert outer > 0
        with gc_frozen():
            pile = [[n] for n in range(1000)]  # results that pile up inside the block
            freeze_survivors()
            assert gc.get_freeze_count() >= outer + len(pile)
        assert gc.get_freeze_count() >= outer + len(pile)  # the inner end leaves them frozen
    assert gc.get_freeze_count() == 0


def test_freeze_survivors_outside_a_frozen_block_freezes_nothing() -> None:
    freeze_survivors()
    assert gc.get_freeze_count() == 0


def test_frozen_block_ends_unfrozen_when_it_raises() -> None:
    try:
        with gc_frozen():
            freeze_survivors()
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0


def test_paused_block_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
