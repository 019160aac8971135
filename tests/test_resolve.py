"""Resolution across documents and languages, on extractions of short invented articles.

The articles are parsed by the real spaCy pipelines and extracted by the real recognisers; only
:func:`graph.resolve.resolve` is under test, so each test first checks the document-level
entities it relies on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract import extract_document
from graph.model import DocExtraction, Document
from graph.nlp import load_pipeline
from graph.resolve import AliasRules, Merge, ResolvedEntity, resolve

ARTICLES = {
    "a_en": (
        "en",
        "Hanoi Film Academy opens script lab\n"
        "Professor Daniel Whitmore of the Korean Screenwriters Association opened a script lab at the "
        "Hanoi Film Academy (HFA) on Tuesday.\n"
        "The lab is part of a pact between Viet Nam and South Korea.",
    ),
    "b_en": (
        "en",
        "Students of HFA win award\n"
        "A short film by students of HFA won the jury prize in Chicago, said festival director Emily Whitmore.\n"
        "The film was shot in Vietnam last year.",
    ),
    "c_vi": (
        "vi",
        "Hội Biên kịch Hàn Quốc mở lớp học tại Việt Nam\n"
        "Hội Biên kịch Hàn Quốc và các trường điện ảnh của Việt Nam sẽ tổ chức khóa học chung.",
    ),
    "d_th": (
        "th",
        "เวียดนามเปิดห้องเรียนเขียนบท\nนักศึกษาจากเวียดนามเข้าร่วมห้องเรียนเขียนบทภาพยนตร์",
    ),
}

#: Another organisation that happens to use the acronym HFA.
HELSINKI = (
    "e_en",
    "en",
    "Fashion week opens\nMembers of the Helsinki Fashion Association (HFA) opened the spring show on Monday.",
)


def extract(doc_id: str, lang: str, text: str) -> DocExtraction:
    document = Document(id=doc_id, text=text, lang=lang)
    return extract_document(document, load_pipeline(lang)(document.text))


@pytest.fixture(scope="module")
def extractions() -> dict[str, DocExtraction]:
    out = {doc_id: extract(doc_id, lang, text) for doc_id, (lang, text) in ARTICLES.items()}
    out[HELSINKI[0]] = extract(*HELSINKI)
    return out


@pytest.fixture(scope="module")
def resolved(extractions):
    """Resolution of the four articles (not the Helsinki one), no alias file."""
    return resolve([extractions[k] for k in ARTICLES])


def local(x: DocExtraction, alias: str) -> str:
    """Id of the one document-level entity with ``alias``."""
    found = [e.id for e in x.entities if alias in e.aliases]
    assert len(found) == 1, (alias, [(e.kind, e.aliases) for e in x.entities])
    return found[0]


def node(result, node_id: str) -> ResolvedEntity:
    entities, _, _ = result
    return next(r for r in entities if r.id == node_id)


def test_resolution_is_a_partition(resolved, extractions) -> None:
    entities, mapping, _ = resolved
    ids = [r.id for r in entities]
    assert len(ids) == len(set(ids)) and all(ids)
    members = {(m.doc, m.entity.id) for r in entities for m in r.members}
    expected = {(k, e.id) for k in ARTICLES for e in extractions[k].entities}
    assert members == expected == set(mapping)
    for r in entities:
        assert {m.entity.kind for m in r.members} == {r.kind}
        for m in r.members:
            assert mapping[(m.doc, m.entity.id)] == r.id


def test_same_country_in_three_languages_is_one_node(resolved, extractions) -> None:
    _, mapping, _ = resolved
    spellings = {"a_en": "Viet Nam", "b_en": "Vietnam", "c_vi": "Việt Nam", "d_th": "เวียดนาม"}
    for doc_id, alias in spellings.items():
        assert mapping[(doc_id, local(extractions[doc_id], alias))] == "country/VN"
    vietnam = node(resolved, "country/VN")
    assert vietnam.kind == "Country"
    assert vietnam.label == "Vietnam"
    assert vietnam.attrs["iso"] == "VN"
    assert vietnam.documents == ["a_en", "b_en", "c_vi", "d_th"]
    assert set(spellings.values()) <= set(vietnam.aliases)
    assert {m.lang for m in vietnam.members} == {"en", "vi", "th"}
    # South Korea (en "South Korea", vi "Hàn Quốc") is another single node
    korea = node(resolved, "country/KR")
    assert {"South Korea", "Hàn Quốc"} <= set(korea.aliases)


def test_acronym_defined_in_one_article_and_used_bare_in_another_merge(resolved, extractions) -> None:
    _, mapping, _ = resolved
    defined = local(extractions["a_en"], "HFA")
    assert "Hanoi Film Academy" in extractions["a_en"].entity(defined).aliases
    bare = local(extractions["b_en"], "HFA")
    assert mapping[("a_en", defined)] == mapping[("b_en", bare)]
    # the headline names the academy before the definition: same name, same node
    for e in extractions["a_en"].entities:
        if "Hanoi Film Academy" in e.aliases:
            assert mapping[("a_en", e.id)] == mapping[("a_en", defined)]
    academy = node(resolved, mapping[("a_en", defined)])
    assert academy.kind == "Organization"
    assert academy.label == "Hanoi Film Academy"
    assert academy.documents == ["a_en", "b_en"]
    assert academy.attrs.get("acronym") == "HFA"


def test_people_sharing_a_surname_stay_apart(resolved, extractions) -> None:
    _, mapping, _ = resolved
    daniel = mapping[("a_en", local(extractions["a_en"], "Daniel Whitmore"))]
    emily = mapping[("b_en", local(extractions["b_en"], "Emily Whitmore"))]
    assert daniel != emily
    assert node(resolved, daniel).kind == node(resolved, emily).kind == "Person"
    assert node(resolved, daniel).documents == ["a_en"]
    assert node(resolved, emily).documents == ["b_en"]


def test_merges_are_recorded_with_rule_and_documents(resolved) -> None:
    _, _, merges = resolved
    assert all(isinstance(m, Merge) for m in merges)
    country = [m for m in merges if m.resolved == "country/VN"]
    # four documents mention Vietnam: three merges join them
    assert len(country) == 3
    assert {m.rule for m in country} == {"iso-code"}
    assert {doc for m in country for doc in m.documents} == {"a_en", "b_en", "c_vi", "d_th"}
    acronym = [m for m in merges if m.rule == "acronym"]
    assert [(m.resolved, m.documents, m.key) for m in acronym] == [
        ("organization/hanoi-film-academy", ("a_en", "b_en"), "Organization:acr:HFA")
    ]
    assert acronym[0].left == "a_en:Hanoi Film Academy"
    assert acronym[0].right == "b_en:HFA"
    # nothing merged two different people
    assert not any(m.resolved.startswith("person/") for m in merges)


def test_ids_are_stable_across_runs(resolved, extractions) -> None:
    again = resolve([extractions[k] for k in ARTICLES])
    assert [r.id for r in again[0]] == [r.id for r in resolved[0]]
    assert again[1] == resolved[1]


def write_aliases(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "aliases.csv"
    lines = ["name,other,decision"] + [",".join(f'"{c}"' for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_alias_file_is_read(tmp_path: Path) -> None:
    path = write_aliases(tmp_path, [("Korean Screenwriters Association", "Hội Biên kịch Hàn Quốc", "same"),
                                    ("Hanoi Film Academy", "Helsinki Fashion Association", "different")])
    rules = AliasRules.load(path)
    assert rules.same == [("Korean Screenwriters Association", "Hội Biên kịch Hàn Quốc")]
    assert rules.different == [("Hanoi Film Academy", "Helsinki Fashion Association")]


def test_alias_file_forces_a_merge(tmp_path: Path, extractions, resolved) -> None:
    en_org = ("a_en", local(extractions["a_en"], "Korean Screenwriters Association"))
    vi_org = ("c_vi", local(extractions["c_vi"], "Hội Biên kịch Hàn Quốc"))
    # without the alias file, the English and Vietnamese names stay apart
    assert resolved[1][en_org] != resolved[1][vi_org]
    rules = AliasRules.load(write_aliases(tmp_path, [("Korean Screenwriters Association",
                                                       "Hội Biên kịch Hàn Quốc", "same")]))
    entities, mapping, merges = resolve([extractions[k] for k in ARTICLES], rules)
    assert mapping[en_org] == mapping[vi_org]
    merged = next(r for r in entities if r.id == mapping[en_org])
    assert merged.kind == "Organization"
    assert merged.label == "Korean Screenwriters Association"  # the English name labels the node
    assert merged.documents == ["a_en", "c_vi"]
    assert {"Korean Screenwriters Association", "Hội Biên kịch Hàn Quốc"} <= set(merged.aliases)
    forced = [m for m in merges if m.rule == "alias-file"]
    assert len(forced) == 1
    assert forced[0].resolved == merged.id
    assert set(forced[0].documents) == {"a_en", "c_vi"}
    assert forced[0].key == "Korean Screenwriters Association = Hội Biên kịch Hàn Quốc"
    # the rest is resolved as without the file
    assert len(entities) == len(resolved[0]) - 1


def test_one_acronym_with_two_defined_full_names_stays_two_organisations(extractions) -> None:
    docs = [extractions[k] for k in ("a_en", "b_en", HELSINKI[0])]
    helsinki = (HELSINKI[0], local(extractions[HELSINKI[0]], "Helsinki Fashion Association"))
    hanoi = ("a_en", local(extractions["a_en"], "HFA"))
    bare = ("b_en", local(extractions["b_en"], "HFA"))
    _, mapping, _ = resolve(docs)
    assert mapping[helsinki] != mapping[hanoi]
    assert mapping[bare] == mapping[hanoi]  # a bare acronym joins the first organisation defined with it


def test_alias_file_forbids_a_merge(tmp_path: Path, extractions) -> None:
    docs = [extractions[k] for k in ("a_en", "b_en", HELSINKI[0])]
    hanoi = ("a_en", local(extractions["a_en"], "HFA"))
    bare = ("b_en", local(extractions["b_en"], "HFA"))
    rules = AliasRules.load(write_aliases(tmp_path, [("Hanoi Film Academy", "HFA", "different")]))
    entities, mapping, merges = resolve(docs, rules)
    assert mapping[bare] != mapping[hanoi]
    assert not any(set(m.documents) == {"a_en", "b_en"} and "HFA" in m.key for m in merges)
