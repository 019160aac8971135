"""Per-document facts computed once: the text and a table of the tokens (offsets, words, flags).

spaCy rebuilds ``Doc.text`` from every token and creates a ``Token`` object on every iteration;
extraction asks for these hundreds of times per document, so they are read once (the table from
one ``Doc.to_array`` call) and cached in ``doc.user_data``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.tokens import Doc

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


@dataclass(frozen=True)
class TokenTable:
    """The tokens of a Doc as parallel lists (index ``i`` is ``doc[i]``), read without Token objects."""

    starts: list[int]
    ends: list[int]
    words: list[str]
    is_space: list[bool]
    is_punct: list[bool]


def token_table(doc: Doc) -> TokenTable:
    """:class:`TokenTable` of ``doc``, from one ``Doc.to_array`` call."""

    def compute(d: Doc) -> TokenTable:
        text = doc_text(d)
        starts, lengths, spaces, puncts = d.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT]).T.tolist()
        ends = list(map(int.__add__, starts, lengths))
        words = list(map(text.__getitem__, map(slice, starts, ends)))
        return TokenTable(starts, ends, words, list(map(bool, spaces)), list(map(bool, puncts)))

    return _cached(doc, "table", compute)


def word_indices(doc: Doc) -> list[int]:
    """Indices of the tokens that are not whitespace."""
    return _cached(doc, "word_indices", lambda d: [i for i, space in enumerate(token_table(d).is_space) if not space])


def token_bounds(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """The character offsets where tokens start, and where they end."""
    return _cached(doc, "bounds", lambda d: (frozenset(token_table(d).starts), frozenset(token_table(d).ends)))


def words_at(doc: Doc) -> dict[int, str]:
    """Token text by the character offset where the token starts."""
    return _cached(doc, "words_at", lambda d: dict(zip(token_table(d).starts, token_table(d).words, strict=True)))
