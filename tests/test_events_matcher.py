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


def test_matching_from_the_start_words_finds_what_the_whole_document_matcher_finds() -> None:
    from graph import nlp
    from graph.extract import sentences_of
    from graph.extract.events import _token_triggers, token_matches
    from graph.extract.text import TEXT_KEY

    text = TEXT + "\nThe ministry held talks with the delegation. It was the first such gathering.\n" + TEXT
    doc = nlp.load_pipeline("en")(text)
    doc.user_data[TEXT_KEY] = text
    triggers = _token_triggers(doc, "en")
    assert triggers.starts is not None  # every English row starts with given words
    whole = sorted((s, e, triggers.rules[doc.vocab.strings[m]].label) for m, s, e in triggers.matcher(doc))
    found = sorted((span.start, span.end, rule.label) for span, rule in token_matches(doc, "en", sentences_of(doc)))
    assert found == whole
    assert len(found) >= 20


def test_a_start_word_knows_how_far_its_matches_reach_and_what_follows_it() -> None:
    from graph import nlp
    from graph.extract.events import _length, _lowers, _token_triggers

    vocab = nlp.load_pipeline("en").vocab
    starts = _token_triggers(nlp.load_pipeline("en")("x"), "en").starts
    the = starts[vocab.strings["the"]]  # only the anaphor row ("the event") starts with "the"
    assert the.reach is not None and vocab.strings["event"] in the.follows
    assert starts[vocab.strings["visit"]].follows is None  # a one-word trigger: anything may follow
    assert _length([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]) == 2
    assert _length([{"LOWER": "a"}, {"LOWER": "b", "OP": "*"}]) is None
    assert _lowers({"LOWER": {"IN": ["a", "b"]}}) == ["a", "b"]
    assert _lowers({"LOWER": "a", "OP": "?"}) is None and _lowers({"LOWER": "A"}) is None
