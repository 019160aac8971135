"""Throughput of ``newsgraph extract`` on a synthetic news archive, against the bare spaCy pass.

    .venv/bin/python benchmarks/throughput.py [--docs 10000] [--jobs 1] [--added 10] [--keep DIR]
                                              [--profile FILE] [--skip-bare | --bare-once]

1. Builds an archive of ``--docs`` articles from the sample articles in ``seeds/``: each article
   is a seed's title and a shuffled subset of its sentences, with every person and organisation
   name (found by the extractor itself) replaced by a generated one: name parts permuted across
   the seeds' names of the same script, mixed with made-up syllables; organisation names get a
   made-up word, acronyms made-up letters. Each name has a pool of variants that recur across
   articles, so resolution has cross-document merges to make, as in a real archive.
2. Bare spaCy: ``nlp.pipe`` over the same cleaned texts with the same pipelines
   (``graph.nlp.load_pipeline``), in batches of ``graph.pipeline.BATCH_SIZE``.
3. Full pipeline: ``graph.pipeline.run`` (documents -> nlp -> extract -> resolve -> build -> export)
   with the cache on, from an empty cache.
4. Incremental re-run: ``--added`` more articles are put in the archive and the run repeated; only
   they are parsed, the rest come from the cache.

This machine's speed drifts by 10-30 % within half an hour, so step 2 runs twice, before and after
step 3, and the ratio is printed to each pass and to their mean: drift that goes one way during the
full run moves the two in opposite directions (``--bare-once`` runs only the first). With one
process the full run also times its own ``nlp.pipe`` calls (the same calls, texts and batches as
step 2) and prints the ratio to them too, which no drift between the steps can skew.
``--skip-bare`` leaves out step 2 and prints only that one.

Before each timed step the benchmark waits for the kernel to write out what the steps before it
wrote (``os.sync``): the 10,000 cache entries a full run leaves unsynced would otherwise be
written back during the re-run that follows it seconds later.

Each step runs in a fresh Python process so its peak memory (``ru_maxrss``, workers included) is
its own; loading the pipelines (each parses a short text as it loads) and, in the full run,
running the rules once on that text (:func:`graph.pipeline.preload_pipelines`) are not timed.
Words are the non-space spaCy tokens of the bare pass.
``--profile FILE`` runs step 3 under cProfile (slower) and prints the hot spots.
Not part of the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Where the steps import ``graph`` from: a snapshot of the package, taken when the benchmark starts.
CODE = ROOT

#: Ratio of full-pipeline to bare-spaCy throughput the pipeline should reach.
RATIO_GOAL = 0.8
#: Share of the full run an incremental re-run after adding a few articles should stay under.
INCREMENTAL_GOAL = 0.05

# Made-up syllables per script (phonotactics only, no names).
LATIN_ONSETS = ("b", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "th", "tr", "ng")
LATIN_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ao", "ia", "oa", "uy")
LATIN_CODAS = ("", "", "n", "m", "ng", "nh", "c", "t", "r")
VI_NUCLEI = tuple("aàáảạăâầêếôồơờưừiìoóuú")
THAI_CONSONANTS = "กขคงจชดตถทนบปพมยรลวสหอ"
THAI_VOWELS_AFTER = ("า", "ี", "ู", "อ", "ิน", "าน", "อน", "ม", "ัง")
THAI_VOWELS_BEFORE = ("เ", "แ", "โ", "ไ")
CONNECTORS = frozenset(("of", "and", "for", "the", "in", "on", "at", "de", "và", "của", "tại", "&", "-", "–"))


# --------------------------------------------------------------------------------------------
# The synthetic archive


def latin_word(rnd: random.Random, vietnamese: bool = False) -> str:
    nuclei = VI_NUCLEI if vietnamese else LATIN_NUCLEI
    syllables = 1 if vietnamese else rnd.choice((2, 2, 3))
    word = "".join(rnd.choice(LATIN_ONSETS) + rnd.choice(nuclei) + rnd.choice(LATIN_CODAS) for _ in range(syllables))
    return word[:1].upper() + word[1:]


def thai_word(rnd: random.Random) -> str:
    out = []
    for _ in range(rnd.choice((2, 3))):
        consonant = rnd.choice(THAI_CONSONANTS)
        if rnd.random() < 0.3:
            out.append(rnd.choice(THAI_VOWELS_BEFORE) + consonant)
        else:
            out.append(consonant + rnd.choice(THAI_VOWELS_AFTER))
    return "".join(out)


def is_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


@dataclass
class Span:
    start: int  # offsets into the sentence
    end: int
    kind: str
    text: str


@dataclass
class SeedSentence:
    text: str
    spans: list[Span] = field(default_factory=list)


@dataclass
class Seed:
    lang: str
    title: SeedSentence
    body: list[SeedSentence]


def read_seeds(seed_dir: Path) -> tuple[list[Seed], dict[str, list[str]]]:
    """The seeds as sentences with their person and organisation mentions, and person-name parts by script."""
    from graph.documents import load_documents
    from graph.model import Document
    from graph.pipeline import extract_all

    documents = [d for d in load_documents([seed_dir]) if isinstance(d, Document)]
    seeds: list[Seed] = []
    parts: dict[str, list[str]] = {"latin": [], "thai": []}
    for x in extract_all(documents):
        mentions = sorted(
            ((m, e.kind) for e in x.entities if e.kind in ("Person", "Organization") for m in e.mentions),
            key=lambda item: (item[0].start, -item[0].end),
        )
        sentences = []
        for s in x.sentences:
            sentence = SeedSentence(x.doc.text[s.start : s.end])
            last_end = s.start
            for m, kind in mentions:
                if m.start >= last_end and m.end <= s.end:
                    sentence.spans.append(Span(m.start - s.start, m.end - s.start, kind, m.text))
                    last_end = m.end
                    if kind == "Person":
                        parts["thai" if is_thai(m.text) else "latin"].extend(m.text.split())
            sentences.append(sentence)
        if len(sentences) >= 2:
            seeds.append(Seed(x.doc.lang, sentences[0], sentences[1:]))
    return seeds, {k: sorted(set(v)) for k, v in parts.items()}


class NameVariants:
    """Generated replacements of a seed name; each name has ``pool`` variants shared by all articles."""

    def __init__(self, parts: dict[str, list[str]], pool: int, seed: int) -> None:
        self.parts = parts
        self.pool = pool
        self.seed = seed

    def variant(self, span: Span, lang: str, rnd: random.Random) -> str:
        index = rnd.randrange(self.pool)
        digest = hashlib.sha256(f"{self.seed}|{span.kind}|{span.text}|{index}".encode()).digest()
        gen = random.Random(int.from_bytes(digest[:8], "big"))
        thai = is_thai(span.text)

        def made_up() -> str:
            return thai_word(gen) if thai else latin_word(gen, vietnamese=lang == "vi")

        words = span.text.split()
        if span.kind == "Person":
            pool = self.parts["thai" if thai else "latin"]
            return " ".join(gen.choice(pool) if pool and gen.random() < 0.5 else made_up() for _ in words)
        if len(words) == 1:
            word = words[0]
            if word.isascii() and sum(c.isupper() for c in word) >= 2 and len(word) <= 8:
                letters = "ABCDEFGHIKLMNOPRSTUVWY"
                return "".join(gen.choice(letters) if c.isupper() else c for c in word)
            return word + made_up() if thai else made_up()
        if len(words) == 2:
            return f"{words[0]} {made_up()} {words[1]}"
        slots = [i for i in range(1, len(words) - 1) if words[i].lower() not in CONNECTORS]
        if slots:
            words[gen.choice(slots)] = made_up()
        else:
            words.insert(1, made_up())
        return " ".join(words)


def render(sentence: SeedSentence, names: dict[str, str]) -> str:
    out, at = [], 0
    for span in sentence.spans:
        out.append(sentence.text[at : span.start])
        out.append(names[span.text])
        at = span.end
    out.append(sentence.text[at:])
    return "".join(out)


def synthetic_article(seeds: list[Seed], variants: NameVariants, rnd: random.Random) -> str:
    seed = rnd.choice(seeds)
    body = [s for s in seed.body if rnd.random() < 0.85] or seed.body[:3]
    rnd.shuffle(body)
    names: dict[str, str] = {}
    for sentence in [seed.title, *body]:
        for span in sentence.spans:
            if span.text not in names:
                names[span.text] = variants.variant(span, seed.lang, rnd)
    paragraphs, current = [], []
    for sentence in body:
        current.append(render(sentence, names))
        if rnd.random() < 0.3:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join([render(seed.title, names), *paragraphs]) + "\n"


def build_archive(seed_dir: Path, folder: Path, docs: int, added: int, seed: int) -> tuple[Path, Path]:
    """``docs`` articles in ``folder/archive`` and ``added`` more in ``folder/added``."""
    seeds, parts = read_seeds(seed_dir)
    variants = NameVariants(parts, pool=max(20, docs // 20), seed=seed)
    rnd = random.Random(seed)
    archive, extra = folder / "archive", folder / "added"
    for target, count, prefix in ((archive, docs, "a"), (extra, added, "b")):
        target.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (target / f"{prefix}{i:06d}.txt").write_text(synthetic_article(seeds, variants, rnd), encoding="utf-8")
    return archive, extra


# --------------------------------------------------------------------------------------------
# Steps, each in its own process


def peak_memory_mb() -> dict[str, float]:
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return {"peak_mb": round(own, 1), "peak_worker_mb": round(children, 1)}


def step_bare(corpus: Path, jobs: int) -> dict:
    """nlp.pipe alone over the corpus's cleaned texts, per language."""
    from graph import nlp
    from graph.documents import load_documents
    from graph.model import Document
    from graph.pipeline import BATCH_SIZE

    texts: dict[str, list[str]] = {}
    for d in load_documents([corpus]):
        if isinstance(d, Document):
            texts.setdefault(d.lang, []).append(d.text)
    pipelines = {lang: nlp.load_pipeline(lang) for lang in texts}
    words, seconds = 0, 0.0
    for lang, batch in sorted(texts.items()):
        started = time.perf_counter()
        for doc in pipelines[lang].pipe(batch, batch_size=BATCH_SIZE, n_process=jobs):
            words += sum(1 for t in doc if not t.is_space)
        seconds += time.perf_counter() - started
    return {"documents": sum(map(len, texts.values())), "words": words, "seconds": seconds} | peak_memory_mb()


def time_parsing(timer: list[float]) -> None:
    """Add the time spent inside every ``Language.pipe`` stream of this process to ``timer[0]``."""
    from spacy.language import Language

    original = Language.pipe

    def pipe(self, *args, **kwargs):
        stream = original(self, *args, **kwargs)
        while True:
            started = time.perf_counter()
            doc = next(stream, None)
            timer[0] += time.perf_counter() - started
            if doc is None:
                return
            yield doc

    Language.pipe = pipe


def step_full(corpus: Path, out: Path, jobs: int, profile: str | None) -> dict:
    """graph.pipeline.run over the corpus, with the cache in ``out/.cache``; with one process, also
    the time its ``nlp.pipe`` calls took (the bare parse, timed inside the run)."""
    from graph import nlp, pipeline

    # loading (and warming up the rules) is not timed; workers do their own when jobs > 1
    pipeline.preload_pipelines(None, nlp.LANGUAGES)
    parsing = [0.0]
    if jobs == 1:
        time_parsing(parsing)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    result = pipeline.run([corpus], out, jobs=jobs, cache=True)
    seconds = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    return {
        "documents": len(result.extractions),
        "failed": len(result.errors),
        "seconds": seconds,
        "parse_seconds": parsing[0] if jobs == 1 else None,
        "timings": {k: round(v, 2) for k, v in result.timings.items()},
        "cache_hits": result.cache.hits if result.cache else 0,
        "cache_stored": result.cache.stored if result.cache else 0,
        "files_reused": result.cache.files_reused if result.cache else 0,
        "nodes": result.graph.number_of_nodes(),
        "edges": result.graph.number_of_edges(),
    } | peak_memory_mb()


def snapshot_package(folder: Path) -> Path:
    """Copy ``graph/`` into ``folder``: a long benchmark measures one version of the code, even if it is edited."""
    global CODE
    target = folder / "code"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "graph", target / "graph", ignore=shutil.ignore_patterns("__pycache__"))
    CODE = target
    sys.path.insert(0, str(target))
    return target


def run_step(*args: str) -> dict:
    """Run one step in a fresh interpreter, once what earlier steps wrote is on disk; return its JSON report."""
    os.sync()
    env = dict(os.environ, PYTHONPATH=str(CODE))
    proc = subprocess.run([sys.executable, __file__, "--step", *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"step {args[0]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def print_profile(path: str, limit: int = 25) -> None:
    import pstats

    stats = pstats.Stats(path)
    print(f"\nprofile of the full run ({path}), by own time:")
    stats.sort_stats("tottime").print_stats(limit)
    print("by cumulative time, graph/ only:")
    stats.sort_stats("cumulative").print_stats(r"graph/", limit)


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="articles in the archive (default 10000)")
    parser.add_argument("--added", type=int, default=10, help="articles added before the incremental re-run")
    parser.add_argument("--jobs", type=int, default=1, help="processes for both the pipeline and nlp.pipe")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder of seed articles")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the archive")
    parser.add_argument("--keep", type=Path, help="build the archive and outputs here and keep them")
    parser.add_argument("--profile", metavar="FILE", help="profile the full run into FILE (cProfile) and print it")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    bare_passes = parser.add_mutually_exclusive_group()
    bare_passes.add_argument("--skip-bare", action="store_true",
                             help="no separate bare pass: only the ratio to the parse timed inside the run (--jobs 1)")
    bare_passes.add_argument("--bare-once", action="store_true",
                             help="one bare pass, before the full run, instead of one before and one after it")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        name, *rest = args.step
        if name == "bare":
            report = step_bare(Path(rest[0]), int(rest[1]))
        else:
            report = step_full(Path(rest[0]), Path(rest[1]), int(rest[2]), rest[3] if len(rest) > 3 else None)
        print(json.dumps(report))
        return

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
    try:
        snapshot_package(workdir)
        started = time.perf_counter()
        archive, extra = build_archive(args.seeds, workdir, args.docs, args.added, args.seed)
        print(f"archive: {args.docs} articles in {archive} ({time.perf_counter() - started:.1f} s to build)")
        out = workdir / "out"
        shutil.rmtree(out, ignore_errors=True)
        bares = []
        if not args.skip_bare:
            bares.append(run_step("bare", str(archive), str(args.jobs)))
            print(f"bare spaCy nlp.pipe: {bares[0]['words']} words in {bares[0]['seconds']:.1f} s")
        full = run_step("full", str(archive), str(out), str(args.jobs), *([args.profile] if args.profile else []))
        print(
            f"full pipeline: {full['documents']} documents in {full['seconds']:.1f} s {full['timings']}, "
            f"{full['cache_stored']} cached"
        )
        if full["cache_stored"] < full["documents"]:
            sys.exit("the full run did not cache every document: the incremental re-run would not be one")
        if bares and not args.bare_once:
            bares.append(run_step("bare", str(archive), str(args.jobs)))
            print(f"bare spaCy nlp.pipe again: {bares[1]['words']} words in {bares[1]['seconds']:.1f} s")
        for path in extra.iterdir():
            shutil.copy2(path, archive / path.name)
        again = run_step("full", str(archive), str(out), str(args.jobs))
        print(f"incremental re-run: {again['documents']} documents in {again['seconds']:.1f} s {again['timings']}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    share = again["seconds"] / full["seconds"]
    # the same nlp.pipe calls timed inside the full run: what the machine's drift between the two
    # steps (often 10-30 % here) cannot skew
    in_run = full["parse_seconds"] / full["seconds"] if full["parse_seconds"] else None
    results = {
        "documents": args.docs,
        "jobs": args.jobs,
        "full_seconds": round(full["seconds"], 1),
        "full_parse_seconds": round(full["parse_seconds"], 1) if full["parse_seconds"] else None,
        "ratio_in_run": round(in_run, 3) if in_run else None,
        "full_timings": full["timings"],
        "full_peak_mb": full["peak_mb"],
        "full_peak_worker_mb": full["peak_worker_mb"],
        "incremental_seconds": round(again["seconds"], 2),
        "incremental_timings": again["timings"],
        "incremental_cache_hits": again["cache_hits"],
        "incremental_share": round(share, 4),
        "nodes": full["nodes"],
        "edges": full["edges"],
    }
    if bares:
        words = bares[0]["words"]
        bare_seconds = sum(b["seconds"] for b in bares) / len(bares)
        bare_rate, full_rate = words / bare_seconds, words / full["seconds"]
        results |= {"words": words, "bare_seconds": [round(b["seconds"], 1) for b in bares],
                    "bare_words_per_s": round(bare_rate), "full_words_per_s": round(full_rate),
                    "ratio": round(full_rate / bare_rate, 3),
                    "ratio_per_bare_pass": [round(b["seconds"] / full["seconds"], 3) for b in bares],
                    "bare_peak_mb": max(b["peak_mb"] for b in bares)}
    print()
    if bares:
        each = " and ".join(f"{b['seconds'] / full['seconds']:.2f}" for b in bares)
        print(
            f"words/s   bare spaCy {bare_rate:,.0f}   full pipeline {full_rate:,.0f}   "
            f"ratio {full_rate / bare_rate:.2f} (goal >= {RATIO_GOAL})"
            + (f"; to the pass before and the pass after the full run: {each}" if len(bares) > 1 else "")
        )
    if in_run:
        print(
            f"ratio to the parse inside the run: {in_run:.2f} (goal >= {RATIO_GOAL}): its nlp.pipe calls took "
            f"{full['parse_seconds']:.1f} of {full['seconds']:.1f} s"
        )
    bare_peak = f"{results['bare_peak_mb']:,.0f} MB" if bares else "(not run)"
    print(
        f"peak memory   bare {bare_peak}   full {full['peak_mb']:,.0f} MB"
        + (f" (largest child process {full['peak_worker_mb']:,.0f} MB: a worker or a forked exporter,"
           " whose pages are mostly shared with the main process)" if args.jobs > 1 else "")
    )
    print(
        f"incremental re-run (+{args.added} articles): {again['seconds']:.1f} s = {share:.1%} of the full run "
        f"(goal < {INCREMENTAL_GOAL:.0%}); {again['cache_hits']} documents from the cache, "
        f"{again.get('files_reused', 0)} unchanged files not read again"
    )
    print(f"graph: {full['nodes']} nodes, {full['edges']} edges")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.profile:
        print_profile(args.profile)


if __name__ == "__main__":
    main()
