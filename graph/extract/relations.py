"""Relations between the entities of one document."""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import DocExtraction, Relation


def find_relations(doc: Doc, result: DocExtraction) -> list[Relation]:
    return []
