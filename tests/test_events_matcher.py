"""The English trigger rows, spelt out for speed, match what the rows as written match."""

from __future__ import annotations

import spacy
from spacy.matcher import Matcher

from graph.extract.events import _first_token_spelt_out, trigger_rules

TEXT = (
    "They signed an MoU and a cooperation agreement, held a working session, met with the press, "
    "opened its first regional office and inaugurated a museum; the SIGNING ceremony was the event. "
    "Visiting delegations announced a new platform that was born at the summit."
)


def test_spelt_out_rows_match_like_the_rows() -> None:
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    found = 0
    for row in trigger_rules("en"):
        as_written, spelt_out = Matcher(nlp.vocab), Matcher(nlp.vocab)
        as_written.add("row", [row["pattern"]])
        spelt_out.add("row", _first_token_spelt_out(row["pattern"]))
        assert spelt_out(doc) == as_written(doc), row
        found += len(as_written(doc))
    assert found >= 10


def test_only_a_lowercase_in_list_of_the_first_token_is_spelt_out() -> None:
    assert _first_token_spelt_out([{"LOWER": {"IN": ["a", "b", "a"]}}, {"LOWER": "c"}]) == [
        [{"LOWER": "a"}, {"LOWER": "c"}],
        [{"LOWER": "b"}, {"LOWER": "c"}],
    ]
    for pattern in (
        [{"LOWER": "a"}],
        [{"LOWER": {"IN": ["a", "b"]}, "OP": "?"}, {"LOWER": "c"}],
        [{"LOWER": {"IN": ["A"]}}],
        [{"LOWER": {"NOT_IN": ["a"]}}],
        [{"ORTH": {"IN": ["a"]}}],
    ):
        assert _first_token_spelt_out(pattern) == [pattern]
