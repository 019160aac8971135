"""The text of a parsed document, computed once (``Doc.text`` rebuilds it from every token)."""

from __future__ import annotations

from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached in ``doc.user_data``: extraction reads it hundreds of times per document."""
    text = doc.user_data.get("newsgraph.text")
    if text is None:
        text = doc.user_data["newsgraph.text"] = doc.text
    return text
