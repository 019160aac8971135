"""Events on short articles written for these tests: every type, every date form, three languages."""

from __future__ import annotations

import pytest

from graph import nlp
from graph.build import build_graph
from graph.extract import extract_document
from graph.model import DocExtraction, Document
from graph.resolve import resolve


def extract(text: str, lang: str, date: str | None = None, doc_id: str = "t") -> DocExtraction:
    document = Document(id=doc_id, text=text, lang=lang, date=date)
    return extract_document(document, nlp.load_pipeline(lang)(text))


def only_event(x: DocExtraction):
    assert len(x.events) == 1, [(e.event_type, e.trigger) for e in x.events]
    return x.events[0]


def one_of_type(x: DocExtraction, event_type: str, date: str):
    """The only event of ``event_type``, checked to be dated ``date``."""
    events = [e for e in x.events if e.event_type == event_type]
    assert len(events) == 1 and events[0].date == date, [(e.event_type, e.date) for e in x.events]
    return events[0]


def participants(x: DocExtraction, ev) -> dict[str, str]:
    return {x.entity(a.entity).label: a.role for a in ev.arguments}


def place(x: DocExtraction, ev) -> str | None:
    """The location as written in the article (gazetteer entities are labelled in English)."""
    return x.entity(ev.location).aliases[0] if ev.location else None


# --- English -----------------------------------------------------------------------------


def test_en_agreement_on_a_weekday_resolved_from_the_document_date():
    x = extract(
        "On Monday, the Hanoi Film Academy and the Lisbon Media Group signed a memorandum of understanding "
        "on film training.",
        "en",
        date="2024-03-06",  # a Wednesday
    )
    ev = only_event(x)
    assert ev.event_type == "Agreement"
    assert ev.date == "2024-03-04"
    assert participants(x, ev) == {"Hanoi Film Academy": "signatory", "Lisbon Media Group": "signatory"}


def test_en_visit_with_a_date_range_and_a_host():
    x = extract(
        "A delegation from the Lao Writers Association paid a working visit to Thailand from November 10 to 14. "
        "The visit, made at the invitation of the Thai Writers Association, strengthened ties.",
        "en",
        date="2025-11-20",
    )
    ev = only_event(x)
    assert ev.event_type == "Visit"
    assert (ev.date, ev.end_date) == ("2025-11-10", "2025-11-14")
    assert place(x, ev) == "Thailand"
    roles = participants(x, ev)
    assert roles["Lao Writers Association"] == "visitor"
    assert roles["Thai Writers Association"] == "host"


def test_en_meeting_reported_twice_is_one_event_with_its_organiser_and_speaker():
    x = extract(
        "Designers gathered at a workshop in Da Nang on November 10 to discuss digital fashion.\n"
        "The workshop, organised by the Danang Creative Hub, drew 200 people.\n"
        "Mr. Pham Van Long, director of the hub, said the city needs more studios.",
        "en",
        date="2023-11-12",
    )
    ev = only_event(x)
    assert ev.event_type == "Meeting"
    assert ev.date == "2023-11-10"
    assert place(x, ev) == "Da Nang"
    roles = participants(x, ev)
    assert roles["Danang Creative Hub"] == "organizer"
    assert roles["Pham Van Long"] == "speaker"


def test_en_opening_of_an_office():
    x = extract("On October 8, 2020, the Seoul Content Agency officially opened its representative office in Hanoi.",
                "en")
    ev = only_event(x)
    assert (ev.event_type, ev.date, place(x, ev)) == ("Opening", "2020-10-08", "Hanoi")
    assert "Seoul Content Agency" in participants(x, ev)


def test_en_launch_of_a_campaign_names_the_campaign():
    x = extract("Yesterday the Saigon Media Group launched the #CreativeSaigon campaign for young artists.", "en",
                date="2024-06-15")
    ev = only_event(x)
    assert (ev.event_type, ev.date) == ("Launch", "2024-06-14")
    assert "#CreativeSaigon" in participants(x, ev)


def test_en_two_working_sessions_with_different_partners_are_two_meetings():
    x = extract(
        "The delegation held working sessions with the Busan Daily newspaper.\n"
        "The delegation also held talks with the Korea Film Council.",
        "en",
    )
    assert [e.event_type for e in x.events] == ["Meeting", "Meeting"]


def test_en_the_delegation_stands_for_the_organisation_it_came_from():
    x = extract(
        "A delegation from the Lao Writers Association arrived in Bangkok on Monday.\n"
        "The delegation held talks with the Thai Film Council.",
        "en",
        date="2025-03-05",
    )
    ev = only_event(x)
    assert ev.event_type == "Meeting"
    assert set(participants(x, ev)) == {"Lao Writers Association", "Thai Film Council"}


def test_en_working_sessions_with_two_partners_are_one_session_each():
    x = extract(
        "The delegation held working sessions with the Busan Daily newspaper and the Korea Film Council.\n"
        "The working session with the Korea Film Council focused on co-production.",
        "en",
    )
    assert [e.event_type for e in x.events] == ["Meeting", "Meeting"]
    assert [set(participants(x, e)) for e in x.events] == [{"Busan Daily"}, {"Korea Film Council"}]


@pytest.mark.parametrize(
    "text",
    [
        "The two academies will sign a memorandum of understanding next year.",
        "The ministry plans to hold a workshop on film financing in December.",
        "The agency is expected to open an office in Hanoi in 2026.",
        "The two sides did not sign the agreement.",
    ],
    ids=["will", "plans-to", "expected-to", "negated"],
)
def test_en_planned_or_denied_is_not_an_event(text):
    assert extract(text, "en", date="2025-01-10").events == []


def test_en_event_word_inside_an_organisation_name_is_not_a_trigger():
    x = extract("The Mekong Creative Forum published a report on design.", "en")
    assert x.events == []


# --- Vietnamese ----------------------------------------------------------------------------


def test_vi_opening_with_full_date_and_place():
    x = extract("Ngày 8/10/2020, Hội Điện ảnh Busan đã khai trương văn phòng đại diện tại Hà Nội.", "vi")
    ev = only_event(x)
    assert (ev.event_type, ev.date, place(x, ev)) == ("Opening", "2020-10-08", "Hà Nội")


def test_vi_agreement_day_month_resolved_from_the_document_date():
    x = extract(
        "Sáng 15/3, Hội Nhà văn Việt Nam và Hội Nhà văn Lào đã ký kết biên bản ghi nhớ hợp tác.",
        "vi",
        date="2024-03-16",
    )
    ev = only_event(x)
    assert (ev.event_type, ev.date) == ("Agreement", "2024-03-15")
    assert set(participants(x, ev).values()) == {"signatory"}
    assert len(ev.arguments) == 2


def test_vi_visit_in_a_year():
    x = extract("Năm 2021, đoàn đại biểu Hội Nhà báo Việt Nam có chuyến thăm Nhật Bản.", "vi")
    ev = only_event(x)
    assert (ev.event_type, ev.date, place(x, ev)) == ("Visit", "2021", "Nhật Bản")


def test_vi_planned_is_not_an_event():
    assert extract("Hai bên sẽ ký kết thỏa thuận hợp tác vào năm 2026.", "vi").events == []


def test_vi_missing_year_without_a_document_date_comes_from_the_year_the_article_mentions_most():
    x = extract(
        "Tại lễ khai trương văn phòng của Hội Điện ảnh Busan (ngày 8/10), đại diện hội cho biết "
        "từ nay đến tháng 12/2020 hội sẽ tổ chức nhiều sự kiện. Năm 2020 là năm bản lề.",
        "vi",
    )
    ev = only_event(x)
    assert (ev.event_type, ev.date) == ("Opening", "2020-10-08")


# --- Thai ----------------------------------------------------------------------------------


def test_th_meeting_with_organiser_and_place():
    x = extract("สมาคมภาพยนตร์ไทย จัดการสัมมนาที่กรุงเทพมหานคร เมื่อวันที่ 3 กรกฎาคม 2567", "th")
    ev = only_event(x)
    assert (ev.event_type, ev.date) == ("Meeting", "2024-07-03")
    assert place(x, ev) is not None
    assert "organizer" in participants(x, ev).values()


def test_th_relative_day_from_the_document_date():
    x = extract("เมื่อวานนี้ คณะผู้แทนสมาคมนักข่าวไทยเดินทางเยือนเวียดนาม", "th", date="2025-05-10")
    ev = only_event(x)
    assert (ev.event_type, ev.date) == ("Visit", "2025-05-09")
    assert place(x, ev) == "เวียดนาม"


def test_th_planned_is_not_an_event():
    assert extract("ทั้งสองฝ่ายจะลงนามบันทึกความเข้าใจในปีหน้า", "th", date="2025-01-01").events == []


def test_th_meeting_mentioned_again_is_one_event():
    x = extract(
        "สมาคมภาพยนตร์ไทยจัดการประชุมเชิงปฏิบัติการที่มหาวิทยาลัยเชียงใหม่ |\n"
        "ในการประชุมเชิงปฏิบัติการนี้ ผู้แทนหารือเรื่องภาพยนตร์",
        "th",
    )
    assert [e.event_type for e in x.events] == ["Meeting"]


# --- type and date, one row per date form ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "date", "event_type", "event_date"),
    [
        pytest.param(
            "Hội thảo về công nghiệp văn hóa diễn ra tại Huế vào tháng 12/2023.",
            "vi", None, "Meeting", "2023-12", id="vi-month-year"
        ),
        pytest.param(
            "Ngày 2/9/2022, Trung tâm Sáng tạo Đà Nẵng đã phát động chiến dịch #VietDesign.",
            "vi", None, "Launch", "2022-09-02", id="vi-launch-day-month-year"
        ),
        pytest.param(
            "เมื่อวันที่ ๘ ต.ค. ๒๕๖๓ สมาคมภาพยนตร์ไทยลงนามบันทึกความเข้าใจกับมหาวิทยาลัยเชียงใหม่",
            "th", None, "Agreement", "2020-10-08", id="th-thai-digits-buddhist-era"
        ),
        pytest.param(
            "เมื่อเร็วๆ นี้ กระทรวงวัฒนธรรมเปิดตัวโครงการ Thai Film Fund อย่างเป็นทางการ",
            "th", "2025-02-01", "Launch", "2025", id="th-recently-document-year"
        ),
        pytest.param(
            "วันที่ 5 มี.ค. 2567 สมาคมภาพยนตร์เกาหลีจัดพิธีเปิดสำนักงานที่กรุงเทพมหานคร",
            "th", None, "Opening", "2024-03-05", id="th-abbreviated-month"
        ),
    ],
)
def test_type_and_date(text: str, lang: str, date: str | None, event_type: str, event_date: str):
    ev = only_event(extract(text, lang, date=date))
    assert (ev.event_type, ev.date) == (event_type, event_date)


# --- across articles and languages ----------------------------------------------------------


def test_same_agreement_reported_in_english_and_vietnamese_is_one_event_node():
    en = extract(
        "On May 2, the Hanoi Film Academy (HFA) and the Saigon Media Institute (SMI) signed a memorandum of "
        "understanding on training.",
        "en",
        date="2024-05-03",
        doc_id="en1",
    )
    vi = extract(
        "Ngày 2/5/2024, Học viện Điện ảnh Hà Nội (HFA) và Viện Truyền thông Sài Gòn (SMI) đã ký kết "
        "biên bản ghi nhớ hợp tác đào tạo.",
        "vi",
        doc_id="vi1",
    )
    resolved, mapping, merges = resolve([en, vi])
    G = build_graph([en, vi], resolved, mapping, merges)
    events = [n for n, d in G.nodes(data=True) if d["kind"] == "Event"]
    assert len(events) == 1, events
    node = G.nodes[events[0]]
    assert sorted(node["documents"]) == ["en1", "vi1"]
    assert node["date"] == "2024-05-02"
    assert any(m["rule"] == "event" for m in G.graph["merges"])


def test_different_events_of_one_type_in_two_articles_stay_apart():
    a = extract("On May 2, the Hanoi Film Academy (HFA) signed an MoU with the Busan Film School (BFS).", "en",
                date="2024-05-03", doc_id="a")
    b = extract("On June 9, the Hanoi Film Academy (HFA) signed an MoU with the Lisbon Media Group.", "en",
                date="2024-06-10", doc_id="b")
    resolved, mapping, merges = resolve([a, b])
    G = build_graph([a, b], resolved, mapping, merges)
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "Event") == 2


@pytest.mark.parametrize(
    "text",
    [
        "Deputy Minister Tran Van An received Ambassador Park Min-soo in Hanoi on March 5, 2025.\n",
        "Minister Tran Van An met Chairman Le Thi Binh in Hanoi on March 5, 2025.\n",
        "Deputy Minister Tran Van An received Chilean Ambassador to Vietnam Rodrigo Valdes in Hanoi on March 5, "
        "2025. Chile is a partner.\n",
    ],
)
def test_en_receiving_or_meeting_an_official_is_a_meeting_of_both(text: str) -> None:
    x = extract(text, "en")
    meeting = one_of_type(x, "Meeting", "2025-03-05")
    labels = {x.entity(a.entity).label for a in meeting.arguments}
    assert len(labels) == 2 and "Tran Van An" in labels


def test_en_receiving_an_award_is_no_meeting() -> None:
    x = extract("The film received an award at the festival on March 5, 2025.\n", "en")
    assert not [e for e in x.events if e.event_type == "Meeting"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("vi", "Bộ trưởng Bộ Ngoại giao Nguyễn Văn Hùng đã tiếp Đại sứ Canada Peter Brown tại Hà Nội ngày 5/3/2025.\n"),
        ("th", "เมื่อวันที่ 5 มีนาคม 2568 นายสมชาย ใจดี รัฐมนตรีว่าการกระทรวงวัฒนธรรม ให้การต้อนรับนายเหงียน วัน ฮุง "
               "เอกอัครราชทูตเวียดนามประจำประเทศไทย ณ กรุงเทพมหานคร\n"),
    ],
)
def test_receiving_an_official_is_a_meeting_in_vi_and_th(lang: str, text: str) -> None:
    x = extract(text, lang)
    meeting = one_of_type(x, "Meeting", "2025-03-05")
    assert sum(x.entity(a.entity).kind == "Person" for a in meeting.arguments) == 2


def test_vi_continuing_is_no_receiving() -> None:
    x = extract("Hai bên đã tiếp tục hợp tác với Hội Điện ảnh Việt Nam trong năm 2025.\n", "vi")
    assert not [e for e in x.events if e.event_type == "Meeting"]


def test_vi_film_festival_names_and_an_opening_without_ceremony() -> None:
    x = extract("Tuần phim Ba Lan tại Việt Nam khai mạc tại Hà Nội ngày 5/3/2025.\n", "vi")
    assert ("Initiative", "Tuần phim Ba Lan") in {(e.kind, e.label) for e in x.entities}
    assert [(e.event_type, e.date) for e in x.events] == [("Opening", "2025-03-05")]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Minister Yu In-chon visited the Mekong Film Institute on March 5, 2025.\n"),
        ("vi", "Chuyến thăm của Bộ trưởng Yu In-chon tới Hà Nội diễn ra ngày 5/3/2025.\n"),
    ],
)
def test_a_visitor_named_before_the_visit_or_after_of(lang: str, text: str) -> None:
    x = extract(text, lang)
    visit = next(e for e in x.events if e.event_type == "Visit")
    assert ("visitor", "Yu In-chon") in {(a.role, x.entity(a.entity).label) for a in visit.arguments}


def test_en_the_place_a_visit_goes_to_is_its_location() -> None:
    x = extract("A delegation of the Andes Film Institute visited Hanoi on March 3, 2025.\n", "en")
    (visit,) = x.events
    assert visit.event_type == "Visit" and place(x, visit) == "Hanoi"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The Andes Film Institute held talks with the Lima Film School in Hanoi on March 5, 2025.\n"
               "On this occasion, the two schools signed an agreement on training.\n"),
        ("vi", "Ngày 5/3/2025, Hội Điện ảnh Chile tổ chức tọa đàm tại Hà Nội.\n"
               "Dịp này, Trường Đại học Andes và Học viện Lima đã ký kết thỏa thuận hợp tác đào tạo.\n"),
    ],
)
def test_an_event_on_this_occasion_takes_the_date_of_the_one_before(lang: str, text: str) -> None:
    one_of_type(extract(text, lang), "Agreement", "2025-03-05")
