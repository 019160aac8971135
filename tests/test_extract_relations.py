"""Relations from short made-up articles: which person holds a position where."""

from __future__ import annotations

import pytest

from graph.extract import extract_document
from graph.model import DocExtraction, Document
from graph.nlp import load_pipeline


def extract(text: str, lang: str) -> DocExtraction:
    document = Document(id=f"t_{lang}", text=text, lang=lang)
    return extract_document(document, load_pipeline(lang)(document.text))


def positions(x: DocExtraction) -> set[tuple[str, str, str | None]]:
    """(person label, organisation label, title) of every holdsPosition relation."""
    label = {e.id: e.label for e in x.entities}
    return {(label[r.head], label[r.tail], r.title) for r in x.relations if r.relation == "holdsPosition"}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Professor Sarah Connor from Yale University opened the Mekong Screen Forum on Friday.\n",
         ("Sarah Connor", "Yale University", "Professor")),
        ("th", "ศาสตราจารย์ซาราห์ คอนเนอร์ จากมหาวิทยาลัยเยล กล่าวเปิดงาน Mekong Screen Forum เมื่อวันศุกร์\n",
         ("ซาราห์ คอนเนอร์", "มหาวิทยาลัยเยล", "ศาสตราจารย์")),
    ],
)
def test_a_person_from_an_organisation_holds_a_position_there(lang: str, text: str, expected: tuple) -> None:
    assert expected in positions(extract(text, lang))


def test_a_person_from_a_country_holds_no_position_there() -> None:
    x = extract("Sarah Connor from Canada opened the Mekong Screen Forum on Friday.\n", "en")
    assert not positions(x)
