"""Events of one document (see issue: events with who, when and where)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..model import DocExtraction, Event


def find_events(doc: Doc, result: DocExtraction) -> list[Event]:
    return []
