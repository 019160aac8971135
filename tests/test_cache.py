"""The per-document extraction cache: hits, misses, invalidation, corrupt entries, identical graphs.

Real pipelines on the sample articles; the runs are module-scoped and shared by the tests.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from same_graph import assert_same_graph

from graph import cache as cache_module
from graph import nlp, pipeline
from graph.cache import (
    ExtractionCache,
    decode,
    describe_pipelines,
    document_key,
    encode,
    encode_entry,
    pipeline_versions,
    source_hash,
)
from graph.documents import load_documents
from graph.model import DocExtraction, Document, Entity, Mention, Sentence

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ADDED = (
    "Script lab opens in Porto\n"
    "Professor Daniel Whitmore of the Korean Screenwriters Association opened a script lab at the "
    "Porto Film Academy (PFA) in Portugal on Tuesday.\n"
)


@dataclass
class Runs:
    corpus: Path
    out: Path
    cold: pipeline.RunResult
    warm: pipeline.RunResult
    added: pipeline.RunResult
    uncached: pipeline.RunResult


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    root = tmp_path_factory.mktemp("cache")
    corpus = root / "in"
    shutil.copytree(SEEDS, corpus)
    out = root / "out"
    cold = pipeline.run([corpus], out)
    warm = pipeline.run([corpus], out)
    (corpus / "zz_added.txt").write_text(ADDED, encoding="utf-8")
    added = pipeline.run([corpus], out)
    uncached = pipeline.run([corpus], root / "plain", cache=False)
    return Runs(corpus, out, cold, warm, added, uncached)


def documents_of(corpus: Path) -> list[Document]:
    return [d for d in load_documents([corpus]) if isinstance(d, Document)]


# ------------------------------------------------------------------------------------------- runs


def test_first_run_extracts_and_stores_every_document(runs: Runs) -> None:
    assert runs.cold.cache is not None and runs.cold.cache_dir == runs.out / ".cache"
    assert (runs.cold.cache.hits, runs.cold.cache.misses, runs.cold.cache.stored) == (0, 5, 5)


def test_second_run_hits_the_cache_for_every_document(runs: Runs) -> None:
    assert (runs.warm.cache.hits, runs.warm.cache.misses, runs.warm.cache.stored) == (5, 0, 0)
    assert pipeline.summary(runs.warm)["cache_hits"] == 5
    assert_same_graph(runs.warm.graph, runs.cold.graph)


def test_adding_a_document_processes_only_it(runs: Runs) -> None:
    assert (runs.added.cache.hits, runs.added.cache.misses, runs.added.cache.stored) == (5, 1, 1)
    assert len(runs.added.extractions) == 6
    assert len(list(runs.out.joinpath(".cache").rglob("*.json.gz"))) == 6  # one entry per document
    assert "zz_added" in runs.added.graph.graph["documents"]


def test_graph_from_the_cache_is_identical_to_an_uncached_run(runs: Runs) -> None:
    assert runs.uncached.cache is None and not (runs.uncached.outputs[0].parent / ".cache").exists()
    assert_same_graph(runs.added.graph, runs.uncached.graph)
    assert [x.doc.id for x in runs.added.extractions] == [x.doc.id for x in runs.uncached.extractions]
    assert runs.added.extractions == runs.uncached.extractions
    for name in ("entities.csv", "mentions.csv", "relations.csv", "events.csv", "merges.csv"):
        assert (runs.out / name).read_bytes() == (runs.uncached.outputs[0].parent / name).read_bytes(), name


# ------------------------------------------------------------------------------------------- versions


def test_a_new_pipeline_version_invalidates_every_entry(runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = documents_of(runs.corpus)
    versions = pipeline_versions()
    current = ExtractionCache(runs.out / ".cache", versions)
    assert all(current.get(d) is not None for d in documents)
    bumped = ExtractionCache(runs.out / ".cache", versions | {"en": "f" * 20})
    hits = {d.id: bumped.get(d) is not None for d in documents}
    assert hits == {d.id: d.lang != "en" for d in documents}  # only English entries are stale
    monkeypatch.setattr(cache_module, "__version__", "999.0")  # a new release of the package
    assert set(pipeline_versions().values()).isdisjoint(versions.values())


def test_the_package_version_change_re_extracts_on_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ADDED, encoding="utf-8")
    first = pipeline.run([corpus], tmp_path / "out")
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    second = pipeline.run([corpus], tmp_path / "out")
    assert (first.cache.misses, second.cache.misses, second.cache.hits) == (1, 1, 0)
    assert_same_graph(first.graph, second.graph)


def test_editing_an_extraction_source_or_data_file_changes_the_version(tmp_path: Path) -> None:
    package = Path(cache_module.__file__).parent
    copy = tmp_path / "graph"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = source_hash.__wrapped__(copy)
    (copy / "data" / "ontology.ttl").write_text("# only the exporters read this\n", encoding="utf-8")
    (copy / "extract" / "__pycache__").mkdir()
    (copy / "extract" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert source_hash.__wrapped__(copy) == before
    with (copy / "data" / "lexicon" / "en.tsv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    after_data = source_hash.__wrapped__(copy)
    assert after_data != before
    (copy / "extract" / "entities.py").write_text("# changed\n", encoding="utf-8")
    assert source_hash.__wrapped__(copy) not in (before, after_data)


def test_another_spacy_pipeline_changes_only_its_language_version() -> None:
    default, other = pipeline_versions(), pipeline_versions({"en": "blank:en"})
    assert other["en"] != default["en"]
    assert (other["vi"], other["th"]) == (default["vi"], default["th"])


def test_pipeline_descriptions_match_the_loaded_pipelines() -> None:
    assert describe_pipelines() == nlp.describe()


def test_the_key_covers_every_document_field_but_its_path() -> None:
    document = Document("a", "Some text.", "en", "Title", "2024-01-02", "https://x.example/a", "in/a.txt")
    key = document_key(document, "v1")
    assert document_key(dataclasses.replace(document), "v1") == key
    assert document_key(document, "v2") != key
    for f in dataclasses.fields(Document):
        changed = dataclasses.replace(document, **{f.name: "something else"})
        assert (document_key(changed, "v1") == key) == (f.name == "path"), f.name


def test_a_moved_archive_hits_the_cache_and_its_documents_carry_the_new_paths(runs: Runs, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(runs.corpus, moved)
    cache = tmp_path / "cache"
    shutil.copytree(runs.out / ".cache", cache)
    result = pipeline.run([moved], tmp_path / "out", cache=cache)
    assert (result.cache.hits, result.cache.misses) == (6, 0)
    assert {Path(x.doc.path).parent for x in result.extractions} == {moved}
    assert result.extractions == [dataclasses.replace(x, doc=y.doc) for x, y in
                                  zip(runs.added.extractions, result.extractions, strict=True)]


# ------------------------------------------------------------------------------------------- entries


def test_corrupt_entries_are_misses_and_get_rewritten(runs: Runs, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    shutil.copytree(runs.out / ".cache", folder)
    documents = documents_of(runs.corpus)
    store = ExtractionCache(folder, pipeline_versions())
    paths = [store.path(d) for d in documents]
    assert all(p.is_file() for p in paths)
    (folder / cache_module.SNAPSHOT).unlink()  # else the last run's snapshot serves every document
    paths[0].write_bytes(b"not gzip at all")
    paths[1].write_bytes(paths[1].read_bytes()[:40])  # truncated
    paths[2].write_bytes(gzip.compress(b'{"format": 1, "key": "another", "extraction": {}}'))
    paths[3].write_bytes(gzip.compress(json.dumps({"format": 1, "key": paths[3].name[:-8], "extraction": 7}).encode()))
    result = pipeline.run([runs.corpus], tmp_path / "out", cache=folder)
    assert (result.cache.hits, result.cache.misses, result.cache.unreadable, result.cache.stored) == (2, 4, 4, 4)
    assert result.errors == []
    assert_same_graph(result.graph, runs.uncached.graph)
    again = ExtractionCache(folder, pipeline_versions())
    assert all(again.get(d) is not None for d in documents)


# ------------------------------------------------------------------------------------------- snapshot


def test_a_re_run_reads_neither_unchanged_files_nor_their_entries(runs: Runs) -> None:
    assert (runs.cold.cache.from_snapshot, runs.cold.cache.files_reused) == (0, 0)
    assert (runs.warm.cache.from_snapshot, runs.warm.cache.files_reused) == (5, 5)
    # the added file is read and extracted; the five others come from the snapshot
    assert (runs.added.cache.from_snapshot, runs.added.cache.files_reused, runs.added.cache.stored) == (5, 5, 1)


def test_an_edited_file_is_read_again_even_with_its_old_modification_time(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    article = corpus / "a.txt"
    article.write_text(ADDED, encoding="utf-8")
    old = (1_600_000_000, 1_600_000_000)
    os.utime(article, old)
    first = pipeline.run([corpus], tmp_path / "out")
    assert first.cache.stored == 1
    article.write_text(ADDED.replace("Porto", "Lisbon"), encoding="utf-8")  # one letter longer
    os.utime(article, old)
    second = pipeline.run([corpus], tmp_path / "out")
    assert (second.cache.files_reused, second.cache.hits, second.cache.stored) == (0, 0, 1)
    assert "Lisbon" in second.extractions[0].doc.text
    third = pipeline.run([corpus], tmp_path / "out")
    assert (third.cache.files_reused, third.cache.from_snapshot) == (1, 1)
    assert third.extractions == second.extractions


def test_a_file_modified_just_before_it_is_read_is_not_remembered(tmp_path: Path) -> None:
    from graph.documents import LoadMemo

    fresh, settled = tmp_path / "fresh.txt", tmp_path / "settled.txt"
    for path in (fresh, settled):
        path.write_text(ADDED, encoding="utf-8")
    os.utime(settled, (1_600_000_000, 1_600_000_000))
    memo = LoadMemo()
    list(load_documents([fresh, settled], memo=memo))
    assert [key.split("\0")[1] for key in memo.seen] == [str(settled)]  # same clock tick: could change unseen
    again = LoadMemo(memo.seen)
    assert [d.text for d in load_documents([settled], memo=again)] == [d.text for d in load_documents([settled])]
    assert again.reused == 1


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x07."])
def test_a_corrupt_or_foreign_snapshot_only_makes_the_run_slower(runs: Runs, tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "cache"
    shutil.copytree(runs.out / ".cache", folder)
    (folder / cache_module.SNAPSHOT).write_bytes(content)
    corpus = runs.corpus
    for path in corpus.iterdir():  # settled files (the fixture's last one is new): remembered by the snapshot
        os.utime(path, (1_600_000_000, 1_600_000_000))
    result = pipeline.run([corpus], tmp_path / "out", cache=folder)
    assert (result.cache.hits, result.cache.from_snapshot, result.cache.files_reused) == (6, 0, 0)
    assert_same_graph(result.graph, runs.uncached.graph)
    again = pipeline.run([corpus], tmp_path / "out", cache=folder)  # the snapshot was rewritten
    assert (again.cache.from_snapshot, again.cache.files_reused) == (6, 6)


def _article(corpus: Path, n: int) -> None:
    path = corpus / f"a{n:02d}.txt"
    path.write_text(ADDED.replace("Porto", f"Porto {n}"), encoding="utf-8")
    os.utime(path, (1_600_000_000, 1_600_000_000))  # settled: remembered by the snapshot


def test_a_run_that_adds_a_few_files_writes_only_the_changes_to_the_snapshot(tmp_path: Path) -> None:
    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    for n in range(8):
        _article(corpus, n)
    base, delta = out / ".cache" / cache_module.SNAPSHOT, out / ".cache" / cache_module.SNAPSHOT_DELTA
    pipeline.run([corpus], out)
    written = base.read_bytes()
    assert not delta.exists()
    _article(corpus, 8)  # 1 of 8 files: within SNAPSHOT_DELTA_SHARE
    added = pipeline.run([corpus], out)
    assert (added.cache.files_reused, added.cache.stored) == (8, 1)
    assert base.read_bytes() == written and delta.is_file()
    (corpus / "a00.txt").unlink()
    removed = pipeline.run([corpus], out)
    assert (removed.cache.files_reused, removed.cache.from_snapshot, len(removed.extractions)) == (8, 8, 8)
    assert base.read_bytes() == written
    again = pipeline.run([corpus], out)  # base + changes: everything from the snapshot
    assert (again.cache.files_reused, again.cache.from_snapshot, again.cache.stored) == (8, 8, 0)
    assert again.extractions == removed.extractions
    delta.write_bytes(b"torn")  # the base alone: older, still right
    older = pipeline.run([corpus], out)
    assert (older.cache.files_reused, older.cache.hits, older.cache.from_snapshot) == (7, 8, 7)
    assert older.extractions == removed.extractions
    for n in range(9, 12):  # 3 more: beyond the share of the base's 8 files, a new base
        _article(corpus, n)
    grown = pipeline.run([corpus], out)
    assert (grown.cache.files_reused, grown.cache.stored) == (8, 3)
    assert base.read_bytes() != written and not delta.exists()
    last = pipeline.run([corpus], out)
    assert (last.cache.files_reused, last.cache.from_snapshot, len(last.extractions)) == (11, 11, 11)


def test_an_unwritable_cache_does_not_stop_the_run(runs: Runs, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    store = ExtractionCache(blocker, pipeline_versions())
    extraction = runs.cold.extractions[0]
    assert store.put(extraction) is False
    assert store.get(extraction.doc) is None


def test_prune_keeps_the_versions_in_use_and_the_most_recent(tmp_path: Path) -> None:
    store = ExtractionCache(tmp_path, {"en": "a" * 20})
    for i, name in enumerate(["a" * 20, "b" * 20, "c" * 20, "d" * 20]):
        (tmp_path / name / "00").mkdir(parents=True)
        os.utime(tmp_path / name, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "notes").mkdir()  # not a version folder: never touched
    store._used.add("a" * 20)
    removed = store.prune(keep=2)
    assert sorted(p.name for p in removed) == ["b" * 20, "c" * 20]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a" * 20, "d" * 20, "notes"]


# ------------------------------------------------------------------------------------------- serialisation


@dataclass
class Place:
    name: str
    code: tuple[str, int] = ("", 0)


@dataclass
class FutureEvent:
    """An event as others may extend it: new fields of any shape, with defaults."""

    id: str
    where: Place | None = None
    also: list[Place] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    extra: dict = field(default_factory=dict)


def test_new_fields_of_any_shape_round_trip_without_changes_to_the_cache() -> None:
    event = FutureEvent(
        "ev1",
        Place("Hà Nội", ("VN", 1)),
        [Place("กรุงเทพฯ")],
        {"confidence": 0.75},
        frozenset({"a", "b"}),
        {"window": ("2024-01", "2024-02"), "by_id": {3: "x"}, "ids": {1, 2}, "__tuple__": "not a tag"},
    )
    data = json.loads(json.dumps(encode(event)))
    assert decode(FutureEvent, data) == event
    assert decode(FutureEvent, {"id": "ev2"}) == FutureEvent("ev2")  # an older entry: defaults fill in


def test_cached_extractions_hold_no_copy_of_the_text(runs: Runs) -> None:
    store = ExtractionCache(runs.out / ".cache", pipeline_versions())
    extraction: DocExtraction = runs.cold.extractions[0]
    with gzip.open(store.path(extraction.doc), "rb") as handle:
        entry = json.loads(handle.read())
    assert entry["extraction"]["doc"] is None
    assert extraction.doc.text[:200] not in json.dumps(entry, ensure_ascii=False)


# ------------------------------------------------------------------------------------------- exact entries

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5))
_hashables = st.recursive(_scalars, lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=2),
                          max_leaves=4)
_values = st.recursive(
    _scalars | st.builds(Place, st.text(max_size=3)),
    lambda inner: st.lists(inner, max_size=3)
    | st.tuples(inner, inner)
    | st.sets(_hashables, max_size=3)
    | st.frozensets(_hashables, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "__tuple__", "__set__", "__dict__"]), inner, max_size=2)
    | st.dictionaries(_hashables, inner, max_size=2),
    max_leaves=8,
)


class TextLike(str):
    """A str subclass: the exact encoders leave it to the round trip."""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attrs=st.dictionaries(st.text(max_size=4), _values, max_size=3), text=_values | st.builds(TextLike))
def test_a_stored_entry_decodes_to_the_very_extraction(attrs: dict, text: object) -> None:
    """Whatever the values (infinities, tuples, frozensets as keys, dataclasses where none is declared,
    a str subclass), an entry is either refused or decodes, through JSON, to an equal extraction."""
    document = Document("d1", "Hà Nội hosted a forum.", "en")
    entity = Entity("e0", "Place", "Hà Nội", [Mention(text, 0, 6, 0, "gazetteer")], attrs)  # type: ignore[arg-type]
    extraction = DocExtraction(document, [Sentence(0, 0, 22)], [entity])
    try:
        data = encode_entry(extraction)
        blob = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    assert decode(DocExtraction, json.loads(blob), doc=document) == extraction


def test_the_model_has_exact_encoders_and_odd_values_fall_back_to_the_round_trip() -> None:
    assert cache_module._exact_dataclass_encoder(DocExtraction) is not None  # the model's own types
    document = Document("d1", "Hà Nội", "en")

    def extraction(attrs: dict) -> DocExtraction:
        return DocExtraction(document, [], [Entity("e0", "Place", "Hà Nội", [Mention("Hà Nội", 0, 6, 0)], attrs)])

    kept = {"span": (3, 4), "ids": {1, 2}, "by": {(1, "a"): [0.5]}, "__set__": "not a tag"}
    assert decode(DocExtraction, json.loads(json.dumps(encode_entry(extraction(kept)))), doc=document) \
        == extraction(kept)
    for refused in ({"place": Place("Huế")}, {"key": {frozenset({1}): 2}}):
        with pytest.raises(TypeError):
            encode_entry(extraction(refused))
