"""Per-document facts computed once: the text, the token boundaries, the words by offset.

spaCy rebuilds ``Doc.text`` from every token and creates a ``Token`` object on every iteration;
extraction asks for these hundreds of times per document, so they are cached in ``doc.user_data``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Doc, Token

T = TypeVar("T")


def _cached(doc: Doc, name: str, compute: Callable[[Doc], T]) -> T:
    key = f"newsgraph.{name}"
    value = doc.user_data.get(key)
    if value is None:
        value = doc.user_data[key] = compute(doc)
    return value


def doc_text(doc: Doc) -> str:
    """``doc.text``."""
    return _cached(doc, "text", lambda d: d.text)


def doc_tokens(doc: Doc) -> list[Token]:
    """The tokens of ``doc``, as a list."""
    return _cached(doc, "tokens", list)


def doc_words(doc: Doc) -> list[Token]:
    """The tokens that are not whitespace."""
    return _cached(doc, "word_tokens", lambda d: [t for t in doc_tokens(d) if not t.is_space])


def token_bounds(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """The character offsets where tokens start, and where they end."""
    return _cached(doc, "bounds", lambda d: (frozenset(t.idx for t in doc_tokens(d)),
                                              frozenset(t.idx + len(t.text) for t in doc_tokens(d))))


def words_at(doc: Doc) -> dict[int, str]:
    """Token text by the character offset where the token starts."""
    return _cached(doc, "words_at", lambda d: {t.idx: t.text for t in doc_tokens(d)})
