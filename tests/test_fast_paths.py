"""The fast paths of loading and extraction find exactly what their plain definitions find.

Each one replaces a Python loop by one regex scan (for throughput, ``benchmarks/throughput.py``);
these property tests hold the scan to the loop it replaced, on arbitrary text drawn from the
characters that decide the cases (Thai letters and marks, Vietnamese letters, digits, the word
joiners ``' ’ . & -``, odd spaces and invisible characters).
"""

from __future__ import annotations

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import documents
from graph.extract import entities
from graph.extract.text import TEXT_KEY, token_bounds, token_table

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = [
    *"aZeé Đđơư1_'’.&-,\n\t#(", "ก", "ั", "่", "า", "๑", "\r", "\x0b", "\x85", "\u2028", "\xa0", "\u200b",
    "\ufeff", "\u3000", "\x1c", "Ω", "ж", "あ", "한", "ء", "Việt ", "Người ", "the ", "of ", "NASA", "ไทย",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join) | st.text(max_size=30)


@FAST
@given(TEXTS)
def test_non_thai_words_are_the_latin_words_that_do_not_start_with_a_thai_letter(text: str) -> None:
    plain = [(m.group(), m.start()) for m in entities.LATIN_WORD.finditer(text)
             if not "\u0e00" <= m.group()[0] <= "\u0e7f"]
    assert [(m.group(1), m.start(1)) for m in entities._NON_THAI_WORDS.finditer(text)] == plain


def test_a_latin_word_run_into_thai_stays_one_word() -> None:
    """"Harvardไทย" is one word starting with a Latin letter, "ไทยNASA" one starting with a Thai one
    (skipped); a digit is not a letter, so "3D-Print" is the word "D-Print"."""
    words = [m.group(1) for m in entities._NON_THAI_WORDS.finditer("Harvardไทย ไทยNASA 3D-Print")]
    assert words == ["Harvardไทย", "D-Print"]


@FAST
@given(TEXTS)
def test_text_without_odd_characters_is_left_alone_by_the_rewrites(text: str) -> None:
    rewritten = documents._SPACES.sub(" ", documents._droppable().sub("", documents._NEWLINES.sub("\n", text)))
    if documents._odd_characters().search(text) is None:
        assert rewritten == text


@FAST
@given(TEXTS)
def test_language_detection_counts_letters_and_words_as_defined(text: str) -> None:
    words = documents._LATIN_WORD.findall(text)
    other = sum(1 for ch in text if ch.isalnum() and not ch.isdecimal()  # re's [^\W\d_]
                and not "\u0e00" <= ch <= "\u0e7f" and not documents._LATIN_WORD.fullmatch(ch))
    assert sum(map(len, documents._OTHER_LETTER_RUN.findall(text))) == other
    assert len(documents._VI_ANY_WORD.findall(text)) == sum(1 for w in words if set(w) & documents._VI_ANY)
    assert len(documents._VI_STRONG_WORD.findall(text)) == sum(1 for w in words if set(w) & documents._VI_STRONG)


THAI = spacy.blank("th")
THAI_PIECES = ["สมาคม", "สภา", "สภาพ", "มหาวิทยาลัย", "มหาวิทยาลัยศิลปากร", "กรมธรรม์", "กระทรวง", "ศูนย์", "การ",
               "ไทย", "ดี", " ", "\n", "ABC", "(", "ๆ"]


def _heads_token_by_token(doc: spacy.tokens.Doc) -> list[tuple[int, str]]:
    """The plain definition: at every token, the longest head made of whole tokens, else a head that
    opens a longer dictionary word naming an organisation."""
    text, (starts, ends) = doc.text, token_bounds(doc)
    out = []
    for i, start in enumerate(token_table(doc).starts):
        options = entities._thai_heads_by_first_char().get(text[start : start + 1], [])
        head = next((h for h in options if text.startswith(h, start) and start + len(h) in ends), None)
        if head is None:
            head = next((h for h in options if text.startswith(h, start) and h in entities._THAI_COMPOUND_HEADS
                         and start + len(h) not in starts), None)
        if head is not None:
            out.append((i, head))
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(THAI_PIECES), max_size=25).map("".join))
def test_thai_heads_found_by_one_scan_are_those_found_token_by_token(text: str) -> None:
    doc = THAI(text)
    doc.user_data[TEXT_KEY] = text
    assert entities._thai_heads_at(doc) == _heads_token_by_token(doc)


def test_every_whitespace_character_is_in_the_basic_multilingual_plane() -> None:
    """What lets ``_odd_characters`` list the spaces of the BMP only."""
    assert not [cp for cp in range(0x10000, 0x110000) if chr(cp).isspace()]
