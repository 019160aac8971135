"""Per-document facts computed once: the text, the token boundaries, the words by offset.

spaCy rebuilds ``Doc.text`` from every token and creates a ``Token`` object on every iteration;
extraction asks for these hundreds of times per document, so they are cached in ``doc.user_data``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.tokens import Doc, Token

T = TypeVar("T")


#: ``doc.user_data`` key of the cached text (the caller may put the input text there).
TEXT_KEY = "newsgraph.text"


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


def _offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Start offset and length of every token, read from the Doc's arrays (no Token objects)."""
    array = doc.to_array([IDX, LENGTH])
    return array[:, 0].tolist(), array[:, 1].tolist()


@dataclass(frozen=True)
class TokenTable:
    """The tokens of a Doc as parallel lists (index ``i`` is ``doc[i]``), read without Token objects."""

    starts: list[int]
    ends: list[int]
    words: list[str]
    is_space: list[bool]
    is_punct: list[bool]

    def __len__(self) -> int:
        return len(self.starts)


def token_table(doc: Doc) -> TokenTable:
    """:class:`TokenTable` of ``doc``."""

    def compute(d: Doc) -> TokenTable:
        text = doc_text(d)
        starts, lengths = _cached(d, "offsets", _offsets)
        flags = d.to_array([IS_SPACE, IS_PUNCT])
        ends = list(map(int.__add__, starts, lengths))
        words = list(map(text.__getitem__, map(slice, starts, ends)))
        return TokenTable(starts, ends, words, list(map(bool, flags[:, 0].tolist())),
                          list(map(bool, flags[:, 1].tolist())))

    return _cached(doc, "table", compute)


def word_indices(doc: Doc) -> list[int]:
    """Indices of the tokens that are not whitespace."""
    return _cached(doc, "word_indices", lambda d: [i for i, space in enumerate(token_table(d).is_space) if not space])


def token_bounds(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """The character offsets where tokens start, and where they end."""

    def compute(d: Doc) -> tuple[frozenset[int], frozenset[int]]:
        starts, lengths = _cached(d, "offsets", _offsets)
        return frozenset(starts), frozenset(map(int.__add__, starts, lengths))

    return _cached(doc, "bounds", compute)


def words_at(doc: Doc) -> dict[int, str]:
    """Token text by the character offset where the token starts."""

    def compute(d: Doc) -> dict[int, str]:
        text = doc_text(d)
        starts, lengths = _cached(d, "offsets", _offsets)
        return {start: text[start : start + n] for start, n in zip(starts, lengths, strict=True)}

    return _cached(doc, "words_at", compute)
