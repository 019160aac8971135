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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch Trần Văn An đã tiếp Đại sứ Canada.\n",
         ("Trần Văn An", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch")),
        ("Thứ trưởng Bộ Ngoại giao Lê Thị Thu Hà phát biểu tại hội nghị.\n",
         ("Lê Thị Thu Hà", "Bộ Ngoại giao", "Thứ trưởng Bộ Ngoại giao")),
        ("Chủ tịch Hội Nhà văn Việt Nam Nguyễn Quang Minh cho biết như vậy.\n",
         ("Nguyễn Quang Minh", "Hội Nhà văn Việt Nam", "Chủ tịch Hội Nhà văn Việt Nam")),
    ],
)
def test_vi_title_organisation_name_is_a_holder_of_that_title(text: str, expected: tuple) -> None:
    # the commonest way Vietnamese copy introduces an official: the name right after the organisation
    x = extract(text, "vi")
    assert {(e.kind, e.label) for e in x.entities} >= {("Person", expected[0]), ("Organization", expected[1])}
    assert expected in positions(x)


@pytest.mark.parametrize(
    ("lang", "text", "pair"),
    [
        ("vi", "Ngày 20/3/2025, Trung tâm Điện ảnh Phương Nam (TTĐAPN) và Hiệp hội Sáng tạo Số Đông Á (HSTS) "
               "đã ký biên bản ghi nhớ hợp tác.\n",
         {"Trung tâm Điện ảnh Phương Nam", "Hiệp hội Sáng tạo Số Đông Á"}),
        ("en", "The Mekong Film Institute (MFI) and the Pacific Screen Council (PSC) signed a memorandum of "
               "understanding on Monday.\n",
         {"Mekong Film Institute", "Pacific Screen Council"}),
        ("th", "สถานเอกอัครราชทูตเวียดนามประจำประเทศไทยร่วมกับกรมส่งเสริมวัฒนธรรมจัดเทศกาลภาพยนตร์ที่กรุงเทพฯ\n",
         {"สถานเอกอัครราชทูตเวียดนามประจำประเทศไทย", "กรมส่งเสริมวัฒนธรรม"}),
    ],
)
def test_partners_named_with_their_acronyms_or_organising_together(lang: str, text: str, pair: set[str]) -> None:
    x = extract(text, lang)
    label = {e.id: e.label for e in x.entities}
    assert pair in [{label[r.head], label[r.tail]} for r in x.relations if r.relation == "partnerOf"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MSC Chairman Park Ki-yong said the council would send experts.\n", ("Park Ki-yong", "MSC", "Chairman")),
        ("Canada's Ambassador Peter Brown attended the screening.\n", ("Peter Brown", "Canada", "Ambassador")),
    ],
)
def test_en_organisation_or_country_then_title_then_name(text: str, expected: tuple) -> None:
    assert expected in positions(extract(text, "en"))


def test_en_a_place_before_a_title_holds_no_one() -> None:
    assert not positions(extract("In Hanoi Director Tran Van An spoke about the films.\n", "en"))


def test_th_miss_glued_to_her_name_and_june_holding_no_mister() -> None:
    # word segmentation gives "นาง|สาวศรี|สุดา"; "มิถุนายน" (June) has "นาย" (Mr.) in it
    text = ("กรุงเทพฯ 12 มิถุนายน 2567 - นางสาวศรีสุดา วงศ์ทอง อธิบดีกรมส่งเสริมศิลปะ และนายเจิ่น วัน อาน "
            "ผู้อำนวยการกรมภาพยนตร์เวียดนาม ได้ลงนามบันทึกความเข้าใจ\n")
    assert positions(extract(text, "th")) == {
        ("ศรีสุดา วงศ์ทอง", "กรมส่งเสริมศิลปะ", "อธิบดีกรมส่งเสริมศิลปะ"),
        ("เจิ่น วัน อาน", "กรมภาพยนตร์เวียดนาม", "ผู้อำนวยการกรมภาพยนตร์เวียดนาม"),
    }


def test_vi_title_after_a_dash_names_the_holder() -> None:
    x = extract("Bà Trần Thị Lan - Phó Cục trưởng Cục Điện ảnh cho biết như vậy.\n", "vi")
    assert ("Trần Thị Lan", "Cục Điện ảnh", "Phó Cục trưởng Cục Điện ảnh") in positions(x)


def based_in(x: DocExtraction) -> set[tuple[str, str]]:
    """(organisation label, country label) of every basedIn relation."""
    label = {e.id: e.label for e in x.entities}
    return {(label[r.head], label[r.tail]) for r in x.relations if r.relation == "basedIn"}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "The course is run with Stanford University, Yale University and other leading universities in "
               "the United States.\n",
         {("Stanford University", "United States"), ("Yale University", "United States")}),
        ("en", "The delegation met several leading Japanese media outlets, including NHK and the Yomiuri Shimbun "
               "newspaper. Japan is a key partner.\n",
         {("NHK", "Japan"), ("Yomiuri Shimbun", "Japan")}),
        ("vi", "Đoàn đã làm việc với các cơ quan báo chí hàng đầu Hàn Quốc như Đài truyền hình KBS và báo "
               "Dong-a Ilbo.\n",
         {("KBS", "South Korea"), ("Dong-a Ilbo", "South Korea")}),
        ("vi", "Dự án hợp tác với Đại học Stanford, Học viện CalArts và các trường đại học hàng đầu khác của Mỹ.\n",
         {("Đại học Stanford", "United States"), ("Học viện CalArts", "United States")}),
        ("th", "โครงการนี้ร่วมมือกับมหาวิทยาลัยสแตนฟอร์ด USC และมหาวิทยาลัยชั้นนำอื่นๆ ในสหรัฐอเมริกา\n",
         {("มหาวิทยาลัยสแตนฟอร์ด", "United States"), ("USC", "United States")}),
    ],
)
def test_organisations_listed_with_their_country_are_based_there(lang: str, text: str, expected: set) -> None:
    assert expected <= based_in(extract(text, lang))


def test_a_nationality_far_from_the_list_or_without_its_country_bases_nothing() -> None:
    # no "Japan" named in the article: nothing to link to; and a list cue after a plain noun
    x = extract("Leading Japanese media outlets, including NHK, covered the event.\n"
                "The delegation visited several partners, including Yale University.\n", "en")
    assert not based_in(x)


@pytest.mark.parametrize(
    "text",
    [
        "Deputy Minister Tran Van An received Chilean Ambassador to Vietnam Rodrigo Valdes on Monday. "
        "Chile is a partner.\n",
        "Rodrigo Valdes, Chilean Ambassador to Vietnam, said Chile would send a film crew.\n",
    ],
)
def test_en_a_nationality_before_the_title_names_the_country_of_the_post(text: str) -> None:
    # the country the ambassador is posted to is where the post is, not whose it is
    assert positions(extract(text, "en")) == {("Rodrigo Valdes", "Chile", "Chilean Ambassador to Vietnam")}


def test_a_post_in_a_country_is_not_held_for_that_country() -> None:
    assert not positions(extract("Ambassador to Vietnam Rodrigo Valdes spoke on Monday.\n", "en"))
    x = extract("Đại sứ Chile tại Việt Nam Rodrigo Valdes phát biểu.\n", "vi")
    assert positions(x) == {("Rodrigo Valdes", "Chile", "Đại sứ Chile tại Việt Nam")}


def partners(x: DocExtraction) -> set[frozenset[str]]:
    label = {e.id: e.label for e in x.entities}
    return {frozenset((label[r.head], label[r.tail])) for r in x.relations if r.relation == "partnerOf"}


@pytest.mark.parametrize(
    ("lang", "text", "lead", "listed"),
    [
        ("en", "The Andes Film Institute signed agreements with Condor Pictures, Llama Studios and the Lima Film "
               "Commission on Monday.\n",
         "Andes Film Institute", ["Condor Pictures", "Llama Studios", "Lima Film Commission"]),
        ("vi", "Cục Điện ảnh phối hợp với Đại sứ quán Việt Nam tại Chile và Hội đồng Điện ảnh Chile tổ chức "
               "Tuần phim Việt Nam.\n",
         "Cục Điện ảnh", ["Đại sứ quán Việt Nam tại Chile", "Hội đồng Điện ảnh Chile"]),
    ],
)
def test_a_partner_of_a_list_partners_each_item_not_they_each_other(lang, text, lead, listed) -> None:
    found = partners(extract(text, lang))
    assert found == {frozenset((lead, name)) for name in listed}


def test_en_in_cooperation_with_is_a_partnership() -> None:
    x = extract("The Lima Opera House, in cooperation with the Andes Music Academy, signed a concert deal.\n", "en")
    assert partners(x) == {frozenset(("Lima Opera House", "Andes Music Academy"))}


def test_en_a_ministers_title_names_the_ministry_the_article_names() -> None:
    x = extract("Minister of Heritage, Arts and Media Tran Van Tung hosted a reception for the delegation on "
                "Monday. He praised the role of the Ministry of Heritage, Arts and Media.\n", "en")
    assert positions(x) == {("Tran Van Tung", "Ministry of Heritage, Arts and Media",
                             "Minister of Heritage, Arts and Media")}
    assert [e.event_type for e in x.events] == ["Meeting"]


def test_vi_a_parent_in_brackets_is_the_parent_and_not_the_partner() -> None:
    x = extract("Sáng 11/9, Cục Xuất bản (Bộ Thông tin và Truyền thông) và Viện Chile đã ký kết Bản ghi nhớ hợp tác.\n",
                "vi")
    label = {e.id: e.label for e in x.entities}
    found = {(r.relation, label[r.head], label[r.tail]) for r in x.relations}
    assert ("memberOf", "Cục Xuất bản", "Bộ Thông tin và Truyền thông") in found
    assert partners(x) == {frozenset(("Cục Xuất bản", "Viện Chile"))}


def test_vi_a_title_after_a_semicolon_is_the_next_persons() -> None:
    x = extract("Tham dự có Thứ trưởng Bộ Ngoại giao Nguyễn Thanh Lâm; Đại sứ Chile tại Việt Nam Rodrigo Valdes "
                "cùng đại diện các nhà xuất bản.\n", "vi")
    assert ("Rodrigo Valdes", "Chile", "Đại sứ Chile tại Việt Nam") in positions(x)


def test_en_a_partner_named_after_its_countrys_possessive() -> None:
    x = extract("Toei Animation signed a cooperation agreement with Chile's Condor Studio on Monday.\n", "en")
    assert partners(x) == {frozenset(("Toei Animation", "Condor Studio"))}
    assert ("Condor Studio", "Chile") in based_in(x)
    x = extract("The Ministry of Heritage and Chile's Ministry of Mining signed an agreement.\n", "en")
    assert {e.label for e in x.entities if e.kind == "Organization"} == {"Ministry of Heritage", "Ministry of Mining"}


def test_en_missions_named_with_where_they_are_and_an_owner_before_an_acronym() -> None:
    x = extract("The Embassy of Chile in Thailand, in collaboration with the Andes Film Archive, organised the Chile "
                "Film Week in Bangkok on October 5, 2024. Thailand and Chile are partners.\n", "en")
    assert partners(x) == {frozenset(("Embassy of Chile in Thailand", "Andes Film Archive"))}
    assert ("Embassy of Chile in Thailand", "Thailand") in based_in(x)
    assert [(e.event_type, e.date) for e in x.events] == [("Other", "2024-10-05")]
    x = extract("Andes Television (ATV) General Director Tran Van Tung signed the agreement on Monday.\n", "en")
    assert positions(x) == {("Tran Van Tung", "Andes Television", "General Director")}


def test_th_four_part_vietnamese_name_a_deputy_minister_and_a_council_defined_by_its_acronym() -> None:
    x = extract("เมื่อวันที่ 12 พฤศจิกายน 2567 นางเหงียน ถิ แทง ฮวา รองรัฐมนตรีว่าการกระทรวงวัฒนธรรมชิลี "
                "และนายคิม มิน-จุน ประธานสภาภาพยนตร์ชิลี (CFC) ได้ลงนามในบันทึกความเข้าใจ\n", "th")
    assert positions(x) == {
        ("เหงียน ถิ แทง ฮวา", "กระทรวงวัฒนธรรมชิลี", "รองรัฐมนตรีว่าการกระทรวงวัฒนธรรมชิลี"),
        ("คิม มิน-จุน", "CFC", "ประธานสภาภาพยนตร์ชิลี"),
    }
    (council,) = [e for e in x.entities if e.label == "CFC"]
    assert council.aliases == ["สภาภาพยนตร์ชิลี", "CFC"]


def test_vi_a_delegation_led_by_a_title_and_name() -> None:
    x = extract("Đoàn công tác của Bộ Ngoại giao do Thứ trưởng Hồ An Phong dẫn đầu đã thăm Chile từ ngày 5 "
                "đến 9/6/2024.\n", "vi")
    assert positions(x) == {("Hồ An Phong", "Bộ Ngoại giao", "Thứ trưởng")}
    (visit,) = x.events
    assert (visit.event_type, visit.date) == ("Visit", "2024-06-05")
