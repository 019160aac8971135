"""Resolution across languages and scripts, and `newsgraph explain`, on short invented articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph import pipeline
from graph.cli import app
from graph.extract import extract_document
from graph.model import DocExtraction, Document
from graph.nlp import load_pipeline
from graph.resolve import resolve

ARTICLES = {
    "film_en": (
        "en",
        "Ambassador Nguyen Van Minh said on Monday that the Hanoi Film Academy (HFA) will train 40 editors.",
    ),
    "film_vi": (
        "vi",
        "Ông Nguyễn Văn Minh cho biết Học viện Điện ảnh Hà Nội (HFA) sẽ đào tạo 40 biên tập viên.",
    ),
    "film_th": (
        "th",
        "เอกอัครราชทูต เหงียน วัน มินห์ กล่าวว่า สถาบันภาพยนตร์ฮานอย (HFA) จะฝึกอบรมบรรณาธิการ 40 คน",
    ),
}


def extract(doc_id: str, lang: str, text: str) -> DocExtraction:
    return extract_document(Document(id=doc_id, text=text, lang=lang), load_pipeline(lang)(text))


@pytest.fixture(scope="module")
def resolved():
    return resolve([extract(doc_id, lang, text) for doc_id, (lang, text) in ARTICLES.items()])


def nodes_with(resolved, alias: str) -> list[str]:
    entities, _, _ = resolved
    return [r.id for r in entities if alias in r.aliases]


def test_same_organisation_in_vietnamese_and_english_is_one_node(resolved):
    (vi,) = nodes_with(resolved, "Học viện Điện ảnh Hà Nội")
    (en,) = nodes_with(resolved, "Hanoi Film Academy")
    assert vi == en


def test_same_person_in_thai_latin_and_vietnamese_script_is_one_node(resolved):
    (th,) = nodes_with(resolved, "เหงียน วัน มินห์")
    (en,) = nodes_with(resolved, "Nguyen Van Minh")
    (vi,) = nodes_with(resolved, "Nguyễn Văn Minh")
    assert th == en == vi
    _, _, merges = resolved
    # every article's mention is tied in by a recorded merge
    assert {doc for m in merges if m.resolved == en for doc in m.documents} == set(ARTICLES)


def test_explain_prints_the_merges_and_mentions_of_a_merged_entity(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for doc_id, (_, text) in ARTICLES.items():
        (inputs / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    pipeline.run([inputs], out, cache=False)
    result = CliRunner().invoke(app, ["explain", "Nguyễn Văn Minh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "person/nguyen-van-minh" in result.output
    for doc_id in ARTICLES:
        assert doc_id in result.output
    assert "rule " in result.output and "เหงียน วัน มินห์" in result.output


def test_explain_unknown_name_is_a_one_line_error(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARTICLES["film_en"][1], encoding="utf-8")
    pipeline.run([inputs], tmp_path / "out", cache=False)
    result = CliRunner().invoke(app, ["explain", "Nobody Here", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no entity or event named 'Nobody Here'" in result.output


def test_a_korean_name_in_english_vietnamese_and_thai_is_one_node():
    # English and Vietnamese copy keep the hyphen of the given name, Thai keeps it too ("มิน-ซู"),
    # and Thai marks the r of "Park" silent ("ปาร์ค")
    articles = [
        extract("k_en", "en", "Ambassador Park Min-soo received the delegation in Hanoi on Monday.\n"),
        extract("k_vi", "vi", "Đại sứ Park Min-soo đã tiếp đoàn tại Hà Nội.\n"),
        extract("k_th", "th", "นายปาร์ค มิน-ซู เอกอัครราชทูต ให้การต้อนรับคณะผู้แทน ณ กรุงฮานอย\n"),
    ]
    entities, _, _ = resolve(articles)
    (park,) = [r for r in entities if "Park Min-soo" in r.aliases]
    assert "ปาร์ค มิน-ซู" in park.aliases
    assert set(park.documents) == {"k_en", "k_vi", "k_th"}


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("th", "กระทรวงวัฒนธรรมของแคนาดา", "กระทรวงวัฒนธรรมแห่งแคนาดา"),
        ("en", "Canada's Ministry of Heritage", "Ministry of Heritage of Canada"),
        ("en", "Canada Film Board", "Film Board of Canada"),
    ],
)
def test_an_organisation_named_with_its_country_in_two_ways_is_one_node(lang: str, first: str, second: str):
    articles = [
        extract("c_1", lang, f"{first} ลงนามความร่วมมือ\n" if lang == "th" else f"{first} signed the deal.\n"),
        extract("c_2", lang, f"{second} จัดงาน\n" if lang == "th" else f"The {second} held the event.\n"),
    ]
    entities, _, merges = resolve(articles)
    organisations = [r for r in entities if r.kind == "Organization"]
    assert len(organisations) == 1 and set(organisations[0].documents) == {"c_1", "c_2"}
    assert any(m.rule == "name-country" for m in merges)


def test_the_same_name_with_two_countries_stays_two_nodes():
    articles = [
        extract("m_1", "en", "The Ministry of Heritage of Canada signed the deal.\n"),
        extract("m_2", "en", "The Ministry of Heritage of Peru held the event.\n"),
    ]
    entities, _, _ = resolve(articles)
    assert len([r for r in entities if r.kind == "Organization"]) == 2


def test_a_diplomatic_mission_in_three_languages_is_one_node_and_the_reverse_one_another():
    articles = [
        extract("m_en", "en", "The Embassy of Chile in Thailand held a reception on Monday.\n"),
        extract("m_vi", "vi", "Đại sứ quán Chile tại Thái Lan tổ chức tiệc chiêu đãi.\n"),
        extract("m_th", "th", "สถานเอกอัครราชทูตชิลีประจำประเทศไทย จัดงานเลี้ยงรับรอง\n"),
        extract("m_adj", "en", "The Chilean Embassy in Thailand also attended.\n"),
        extract("m_rev", "en", "The Thai Embassy in Chile sent a message.\n"),
    ]
    entities, _, merges = resolve(articles)
    missions = {tuple(r.documents) for r in entities if r.kind == "Organization"}
    assert missions == {("m_adj", "m_en", "m_th", "m_vi"), ("m_rev",)}
    assert any(m.rule == "mission" for m in merges)
