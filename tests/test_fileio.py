"""Atomic writes, synced to disk in place or in the background."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.fileio import atomic_write, publishing_in_background, settled


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_failed_block_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("stopped")
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_files_written_in_the_background_are_in_place_when_the_block_ends(tmp_path: Path) -> None:
    with publishing_in_background():
        for i in range(5):
            with atomic_write(tmp_path / f"{i}.txt") as handle:
                handle.write(f"text {i}")
        with atomic_write(tmp_path / "0.txt") as handle:  # written twice: the last one stays
            handle.write("again")
        assert settled(tmp_path / "1.txt").read_text(encoding="utf-8") == "text 1"
    assert [(tmp_path / f"{i}.txt").read_text(encoding="utf-8") for i in range(5)] == [
        "again", "text 1", "text 2", "text 3", "text 4"]
    assert oct((tmp_path / "2.txt").stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert leftovers(tmp_path) == []


def test_a_file_that_cannot_be_put_in_place_fails_the_block(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "inside").write_text("a folder is in the way", encoding="utf-8")
    with pytest.raises(OSError), publishing_in_background():
        with atomic_write(tmp_path / "fine.txt") as handle:
            handle.write("fine")
        with atomic_write(tmp_path / "taken") as handle:  # a non-empty folder cannot be replaced
            handle.write("text")
    assert (tmp_path / "fine.txt").read_text(encoding="utf-8") == "fine"
    assert leftovers(tmp_path) == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
