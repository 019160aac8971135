"""Tests of graph.extract.dates: finding date expressions in en/vi/th text and normalising them to ISO."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest

from graph.extract.dates import WHOLE, DateMatch, DateScan, _guarded, _scanned, find_dates, normalise_digits

WED = "2024-01-03"  # a Wednesday just after New Year: missing years must cross the boundary
WED2 = "2025-11-12"  # a Wednesday; Monday 10 November 2025 is two days before


def spans(text: str, lang: str, reference: str | None = None) -> list[tuple[str, str | None, str | None]]:
    """(text, value, end_value) of every match."""
    return [(m.text, m.value, m.end_value) for m in find_dates(text, lang, reference)]


# --------------------------------------------------------------------------------------------------
# English

EN = [
    # month name and day, with and without a year or a reference
    ("It opened on September 19.", None, [("September 19", None, None)]),
    ("It opened on September 19.", "2023-10-01", [("September 19", "2023-09-19", None)]),
    ("It opened on Sept. 19.", "2023-10-01", [("Sept. 19", "2023-09-19", None)]),
    ("It opened on Sep 19.", "2023-10-01", [("Sep 19", "2023-09-19", None)]),
    ("It opened on 19 September 2023.", None, [("19 September 2023", "2023-09-19", None)]),
    ("It opened on September 19, 2023, in Hue.", None, [("September 19, 2023", "2023-09-19", None)]),
    ("It opened on the 19th of September 2023.", None, [("19th of September 2023", "2023-09-19", None)]),
    ("It opened on 1st May.", "2024-04-20", [("1st May", "2024-05-01", None)]),
    ("SEPTEMBER 19, 2023 was sunny.", None, [("SEPTEMBER 19, 2023", "2023-09-19", None)]),
    # month and year, bare years need a cue
    ("Sales fell in December 2020.", None, [("December 2020", "2020-12", None)]),
    (
        "Sales fell December 2020 and Dec. 2021.",
        None,
        [("December 2020", "2020-12", None), ("Dec. 2021", "2021-12", None)],
    ),
    ("Sales fell in 2021.", None, [("2021", "2021", None)]),
    (
        "Sales have risen since 2019 and until mid-2021.",
        None,
        [("2019", "2019", None), ("2021", "2021", None)],
    ),
    ("Sales fell in December.", WED, [("December", "2023-12", None)]),
    ("Sales fell in December.", None, [("December", None, None)]),
    # ISO
    ("Posted 2023-08-23 by staff.", None, [("2023-08-23", "2023-08-23", None)]),
    ("Posted 2023-08-23T10:00:00Z.", None, [("2023-08-23", "2023-08-23", None)]),
    # relative days and weekdays
    ("Yesterday the minister spoke.", WED, [("Yesterday", "2024-01-02", None)]),
    (
        "The minister speaks today and tomorrow.",
        WED,
        [("today", WED, None), ("tomorrow", "2024-01-04", None)],
    ),
    ("The minister spoke yesterday.", None, [("yesterday", None, None)]),
    ("The minister spoke on Monday.", WED, [("Monday", "2024-01-01", None)]),
    ("The minister spoke on Monday.", None, [("Monday", None, None)]),
    ("The minister spoke on Wednesday.", WED, [("Wednesday", WED, None)]),
    ("The minister spoke on Thursday.", WED, [("Thursday", "2023-12-28", None)]),
    ("The minister spoke last Wednesday.", WED, [("last Wednesday", "2023-12-27", None)]),
    ("The minister speaks next Monday.", WED, [("next Monday", "2024-01-08", None)]),
    ("The budget was cut last year.", WED, [("last year", "2023", None)]),
    ("The budget was cut last month.", WED, [("last month", "2023-12", None)]),
    ("On Monday, November 10, the fair opened.", WED2, [("Monday, November 10", "2025-11-10", None)]),
    # ranges
    (
        "The fair runs from November 10 to 14.",
        "2024-10-01",
        [("from November 10 to 14", "2024-11-10", "2024-11-14")],
    ),
    ("The fair runs from November 10 to 14.", None, [("from November 10 to 14", None, None)]),
    ("The fair runs November 10-14.", "2024-10-01", [("November 10-14", "2024-11-10", "2024-11-14")]),
    ("The fair runs November 10–14, 2024.", None, [("November 10–14, 2024", "2024-11-10", "2024-11-14")]),
    (
        "The fair runs from 10 to 14 November 2024.",
        None,
        [("from 10 to 14 November 2024", "2024-11-10", "2024-11-14")],
    ),
    (
        "The fair runs between 10 and 14 November 2024.",
        None,
        [("between 10 and 14 November 2024", "2024-11-10", "2024-11-14")],
    ),
    ("The fair runs 10-14 November 2024.", None, [("10-14 November 2024", "2024-11-10", "2024-11-14")]),
    (
        "The fair runs from November 28 to December 2.",
        "2024-10-01",
        [("from November 28 to December 2", "2024-11-28", "2024-12-02")],
    ),
    (
        "The fair runs from December 28 to January 3.",
        WED,
        [("from December 28 to January 3", "2023-12-28", "2024-01-03")],
    ),
    (
        "The fair runs from December 28 to January 3, 2024.",
        None,
        [("from December 28 to January 3, 2024", "2023-12-28", "2024-01-03")],
    ),
    (
        "The fair ran from December 28, 2023 to January 3, 2024.",
        None,
        [("from December 28, 2023 to January 3, 2024", "2023-12-28", "2024-01-03")],
    ),
    (
        "The fair runs 28 November - 2 December 2024.",
        None,
        [("28 November - 2 December 2024", "2024-11-28", "2024-12-02")],
    ),
    ("Work lasted from March to May 2021.", None, [("from March to May 2021", "2021-03", "2021-05")]),
    ("Work lasted from 2019 to 2021.", None, [("from 2019 to 2021", "2019", "2021")]),
    ("Work lasted between 2019 and 2021.", None, [("between 2019 and 2021", "2019", "2021")]),
    # "and" closes a range only after "between": these are two dates
    ("Shows on November 10 and 14.", "2024-10-01", [("November 10", "2024-11-10", None)]),
]


@pytest.mark.parametrize(("text", "reference", "expected"), EN)
def test_english(text: str, reference: str | None, expected: list) -> None:
    assert spans(text, "en", reference) == expected


# --------------------------------------------------------------------------------------------------
# Vietnamese

VI = [
    ("Ngày 8/10, bộ công bố kế hoạch.", None, [("Ngày 8/10", None, None)]),
    ("Ngày 8/10, bộ công bố kế hoạch.", "2020-10-20", [("Ngày 8/10", "2020-10-08", None)]),
    ("Bộ công bố kế hoạch ngày 8/10/2020.", None, [("ngày 8/10/2020", "2020-10-08", None)]),
    ("Kế hoạch công bố 8/10/2020 tại Hà Nội.", None, [("8/10/2020", "2020-10-08", None)]),
    ("Kế hoạch công bố ngày 8 tháng 10 năm 2020.", None, [("ngày 8 tháng 10 năm 2020", "2020-10-08", None)]),
    ("Kế hoạch công bố ngày 8-10-2020.", None, [("ngày 8-10-2020", "2020-10-08", None)]),
    ("Kế hoạch công bố ngày 8.10.2020.", None, [("ngày 8.10.2020", "2020-10-08", None)]),
    ("Kế hoạch công bố ngày 08/10/2020.", None, [("ngày 08/10/2020", "2020-10-08", None)]),
    ("Sáng 8/10, đoàn đến Huế.", "2020-10-20", [("8/10", "2020-10-08", None)]),
    ("Hôm 30-4, đoàn đến Huế.", "2024-05-10", [("30-4", "2024-04-30", None)]),
    ("Ngày 8 tháng Mười, đoàn đến Huế.", "2020-10-20", [("Ngày 8 tháng Mười", "2020-10-08", None)]),
    ("Doanh thu tháng 12/2020 tăng.", None, [("tháng 12/2020", "2020-12", None)]),
    ("Doanh thu tháng 12 năm 2020 tăng.", None, [("tháng 12 năm 2020", "2020-12", None)]),
    ("Doanh thu tháng 12-2020 tăng.", None, [("tháng 12-2020", "2020-12", None)]),
    ("Doanh thu tháng 12 tăng.", WED, [("tháng 12", "2023-12", None)]),
    ("Doanh thu tháng 12 tăng.", None, [("tháng 12", None, None)]),
    ("Doanh thu năm 2021 tăng.", None, [("năm 2021", "2021", None)]),
    ("Năm 2021, doanh thu tăng.", None, [("Năm 2021", "2021", None)]),
    (
        "Doanh thu năm nay tăng, năm ngoái giảm.",
        WED,
        [("năm nay", "2024", None), ("năm ngoái", "2023", None)],
    ),
    # relative days and weekdays
    ("Hôm qua, bộ trưởng phát biểu.", WED, [("Hôm qua", "2024-01-02", None)]),
    (
        "Bộ trưởng phát biểu hôm nay, ngày mai họp.",
        WED,
        [("hôm nay", WED, None), ("ngày mai", "2024-01-04", None)],
    ),
    ("Hôm qua, bộ trưởng phát biểu.", None, [("Hôm qua", None, None)]),
    ("Bộ trưởng phát biểu vào thứ Hai.", WED, [("thứ Hai", "2024-01-01", None)]),
    ("Thứ Hai, bộ trưởng phát biểu.", WED, [("Thứ Hai", "2024-01-01", None)]),
    ("Bộ trưởng phát biểu vào thứ Bảy.", WED, [("thứ Bảy", "2023-12-30", None)]),
    ("Bộ trưởng phát biểu vào Chủ nhật.", WED, [("Chủ nhật", "2023-12-31", None)]),
    ("Bộ trưởng phát biểu sáng thứ 2.", WED, [("thứ 2", "2024-01-01", None)]),
    ("Bộ trưởng phát biểu thứ Hai tuần trước.", WED, [("thứ Hai tuần trước", "2023-12-25", None)]),
    ("Bộ trưởng sẽ phát biểu thứ Hai tuần tới.", WED, [("thứ Hai tuần tới", "2024-01-08", None)]),
    ("Lễ khai mạc thứ Hai (10/11).", WED2, [("thứ Hai (10/11)", "2025-11-10", None)]),
    ("Lễ khai mạc thứ 2, ngày 10/11.", WED2, [("thứ 2, ngày 10/11", "2025-11-10", None)]),
    # ranges
    (
        "Lễ hội diễn ra từ ngày 10 đến 14/11.",
        "2024-10-01",
        [("từ ngày 10 đến 14/11", "2024-11-10", "2024-11-14")],
    ),
    ("Lễ hội diễn ra từ ngày 10 đến 14/11.", None, [("từ ngày 10 đến 14/11", None, None)]),
    ("Lễ hội diễn ra từ 10-14/11/2024.", None, [("từ 10-14/11/2024", "2024-11-10", "2024-11-14")]),
    ("Lễ hội diễn ra ngày 10-14/11/2024.", None, [("ngày 10-14/11/2024", "2024-11-10", "2024-11-14")]),
    ("Lễ hội diễn ra từ 28/11 đến 2/12.", "2024-10-01", [("từ 28/11 đến 2/12", "2024-11-28", "2024-12-02")]),
    ("Lễ hội diễn ra từ 28/12 đến 3/1.", WED, [("từ 28/12 đến 3/1", "2023-12-28", "2024-01-03")]),
    (
        "Lễ hội diễn ra từ 28/12/2023 đến 3/1/2024.",
        None,
        [("từ 28/12/2023 đến 3/1/2024", "2023-12-28", "2024-01-03")],
    ),
    (
        "Lễ hội diễn ra từ ngày 10 đến ngày 14 tháng 11 năm 2024.",
        None,
        [("từ ngày 10 đến ngày 14 tháng 11 năm 2024", "2024-11-10", "2024-11-14")],
    ),
    (
        "Dự án kéo dài từ tháng 3 đến tháng 5/2021.",
        None,
        [("từ tháng 3 đến tháng 5/2021", "2021-03", "2021-05")],
    ),
    ("Dự án kéo dài tháng 3-5/2021.", None, [("tháng 3-5/2021", "2021-03", "2021-05")]),
    ("Dự án kéo dài từ năm 2020 đến năm 2022.", None, [("từ năm 2020 đến năm 2022", "2020", "2022")]),
    ("Dự án giai đoạn 2021-2025.", None, [("2021-2025", "2021", "2025")]),
    # English month names and ISO dates in Vietnamese text
    (
        "Sự kiện diễn ra vào September 19, 2023 và 2023-08-23.",
        None,
        [
            ("September 19, 2023", "2023-09-19", None),
            ("2023-08-23", "2023-08-23", None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "reference", "expected"), VI)
def test_vietnamese(text: str, reference: str | None, expected: list) -> None:
    assert spans(text, "vi", reference) == expected


def test_vietnamese_decomposed_unicode() -> None:
    text = unicodedata.normalize("NFD", "Ngày 8 tháng 10 năm 2020, hôm qua, vào thứ Bảy.")
    assert [(m.value, m.text == text[m.start : m.end]) for m in find_dates(text, "vi", WED)] == [
        ("2020-10-08", True),
        ("2024-01-02", True),
        ("2023-12-30", True),
    ]


# --------------------------------------------------------------------------------------------------
# Thai

TH = [
    ("งานจัดวันที่ 19 กันยายน 2568", None, [("วันที่ 19 กันยายน 2568", "2025-09-19", None)]),
    ("งานจัดวันที่ 19 กันยายน พ.ศ. 2568", None, [("วันที่ 19 กันยายน พ.ศ. 2568", "2025-09-19", None)]),
    ("งานจัดวันที่ 19 กันยายน ค.ศ. 2025", None, [("วันที่ 19 กันยายน ค.ศ. 2025", "2025-09-19", None)]),
    ("งานจัด 19 ก.ย. 68 ที่กรุงเทพฯ", None, [("19 ก.ย. 68", "2025-09-19", None)]),
    ("งานจัด ๑๙ ก.ย. ๖๘ ที่กรุงเทพฯ", None, [("๑๙ ก.ย. ๖๘", "2025-09-19", None)]),
    ("งานจัดวันที่ ๑๙ กันยายน ๒๕๖๘", None, [("วันที่ ๑๙ กันยายน ๒๕๖๘", "2025-09-19", None)]),
    ("งานจัดวันที่19ก.ย.2568", None, [("วันที่19ก.ย.2568", "2025-09-19", None)]),
    ("งานจัดวันที่ 19 กันยายน", None, [("วันที่ 19 กันยายน", None, None)]),
    ("งานจัดวันที่ 19 กันยายน", "2025-10-01", [("วันที่ 19 กันยายน", "2025-09-19", None)]),
    ("งานจัดวันที่ 19/9/2568", None, [("วันที่ 19/9/2568", "2025-09-19", None)]),
    ("ยอดขายเดือนกันยายน 2568 เพิ่มขึ้น", None, [("เดือนกันยายน 2568", "2025-09", None)]),
    ("ยอดขายเดือนกันยายนเพิ่มขึ้น", "2025-10-01", [("เดือนกันยายน", "2025-09", None)]),
    ("ยอดขายในปี 2568 เพิ่มขึ้น", None, [("ปี 2568", "2025", None)]),
    ("ยอดขายปี 2025 เพิ่มขึ้น", None, [("ปี 2025", "2025", None)]),
    ("ยอดขายปี 68 เพิ่มขึ้น", None, [("ปี 68", "2025", None)]),
    ("ยอดขาย พ.ศ. 2568 เพิ่มขึ้น", None, [("พ.ศ. 2568", "2025", None)]),
    ("ยอดขาย ค.ศ. 2025 เพิ่มขึ้น", None, [("ค.ศ. 2025", "2025", None)]),
    ("ยอดขายปีนี้เพิ่มขึ้น", WED2, [("ปีนี้", "2025", None)]),
    # relative days and weekdays
    ("เมื่อวานรัฐมนตรีกล่าว", WED, [("เมื่อวาน", "2024-01-02", None)]),
    ("วันนี้รัฐมนตรีกล่าว พรุ่งนี้ประชุม", WED, [("วันนี้", WED, None), ("พรุ่งนี้", "2024-01-04", None)]),
    ("เมื่อวานรัฐมนตรีกล่าว", None, [("เมื่อวาน", None, None)]),
    ("รัฐมนตรีกล่าวเมื่อวันจันทร์", WED, [("วันจันทร์", "2024-01-01", None)]),
    ("รัฐมนตรีกล่าวเมื่อวันจันทร์", None, [("วันจันทร์", None, None)]),
    ("รัฐมนตรีกล่าวเมื่อวันพุธที่ผ่านมา", WED, [("วันพุธที่ผ่านมา", "2023-12-27", None)]),
    ("รัฐมนตรีจะกล่าววันศุกร์หน้า", WED, [("วันศุกร์หน้า", "2024-01-05", None)]),
    ("รัฐมนตรีกล่าวเมื่อวันจันทร์ที่ 10 พฤศจิกายน", WED2, [("วันจันทร์ที่ 10 พฤศจิกายน", "2025-11-10", None)]),
    ("รัฐมนตรีกล่าวเมื่อวันจันทร์ที่ 10 พฤศจิกายน", None, [("วันจันทร์ที่ 10 พฤศจิกายน", None, None)]),
    # ranges
    (
        "งานจัดระหว่างวันที่ 10-14 พฤศจิกายน 2567",
        None,
        [("ระหว่างวันที่ 10-14 พฤศจิกายน 2567", "2024-11-10", "2024-11-14")],
    ),
    (
        "งานจัดระหว่างวันที่ 10 ถึง 14 พ.ย. 67",
        None,
        [("ระหว่างวันที่ 10 ถึง 14 พ.ย. 67", "2024-11-10", "2024-11-14")],
    ),
    (
        "งานจัดระหว่าง 28 ธ.ค. 67 - 3 ม.ค. 68",
        None,
        [("ระหว่าง 28 ธ.ค. 67 - 3 ม.ค. 68", "2024-12-28", "2025-01-03")],
    ),
    (
        "งานจัดตั้งแต่วันที่ 28 ธันวาคม ถึง 3 มกราคม",
        WED,
        [("ตั้งแต่วันที่ 28 ธันวาคม ถึง 3 มกราคม", "2023-12-28", "2024-01-03")],
    ),
    ("โครงการระหว่างปี 2565-2567", None, [("ระหว่างปี 2565-2567", "2022", "2024")]),
    ("โครงการเดือนมกราคม-มีนาคม 2568", None, [("เดือนมกราคม-มีนาคม 2568", "2025-01", "2025-03")]),
    # English month names and ISO dates in Thai text
    (
        "งานวันที่ 19 September 2023 และ 2023-08-23",
        None,
        [
            ("19 September 2023", "2023-09-19", None),
            ("2023-08-23", "2023-08-23", None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "reference", "expected"), TH)
def test_thai(text: str, reference: str | None, expected: list) -> None:
    assert spans(text, "th", reference) == expected


# --------------------------------------------------------------------------------------------------
# Numbers that are not dates

NOT_DATES = [
    ("en", "The fund is worth 100 billion USD."),
    ("en", "There are 12 Vietnamese cultural industries."),
    ("en", "It took 30 years and 2.5 million dollars."),
    ("en", "Music of the 1990s came back, as did the 1990s fashion of 1990s bands."),
    ("en", "Sales grew 15% and 2021% is not a year; Industry 4.0 is here."),
    ("en", "Call 0912 345 678, +84 28 3822 1234, 090-123-4567 or 1900 1234."),
    ("en", "The 2021 report and 31 February 2020 and 2023-02-30 and 2023-13-01."),
    ("en", "May I add that the august body will march on."),
    ("vi", "Quỹ trị giá 100 tỷ USD sau 25 năm."),
    ("vi", "Doanh thu đạt 66,8 tỷ đồng, tăng 12,5%."),
    ("vi", "Công nghiệp 4.0 và tỷ lệ 8/10 người dùng."),
    ("vi", "Âm nhạc những năm 1990 và thập niên 1990."),
    ("vi", "Anh về nhì lần thứ 2, lần thứ hai."),
    ("vi", "Sau 3 tháng 5 ngày, 5 năm trước, 3 tháng tới."),
    ("vi", "Gọi 0912 345 678, +84 28 3822 1234 hoặc 1900 1234."),
    ("vi", "Ngày 31/2, ngày 32/1, tháng 13/2020 đều sai."),
    ("th", "ใช้เวลา 5 ปี และงบ 2.5 ล้านบาท"),
    ("th", "ดนตรีในทศวรรษ 1990 กลับมา"),
    ("th", "เติบโต 15% ในอุตสาหกรรม 4.0 เมื่อ 2 ปีก่อน"),
    ("th", "วันที่ 31 เมษายน 2568 และ 29 ก.พ. 2566 ไม่มีจริง"),
    ("th", "โทร 02 123 4567 หรือ 1900 1234"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_DATES)
def test_not_dates(lang: str, text: str) -> None:
    assert find_dates(text, lang, WED) == []


# --------------------------------------------------------------------------------------------------
# Fields, resolution rules and helpers


def test_fields_of_resolved_and_unresolved_matches() -> None:
    text = "From November 10 to 14, 2024 and on December 28; in 2021; in December 2020."
    assert find_dates(text, "en", WED) == [
        DateMatch("From November 10 to 14, 2024", 0, 28, "2024-11-10", "2024-11-14", "day", False),
        DateMatch("December 28", 36, 47, "2023-12-28", None, "day", True),
        DateMatch("2021", 52, 56, "2021", None, "year", False),
        DateMatch("December 2020", 61, 74, "2020-12", None, "month", False),
    ]
    assert find_dates("It opened on September 19.", "en") == [
        DateMatch("September 19", 13, 25, None, None, "", True)
    ]


@pytest.mark.parametrize(
    ("text", "reference", "value"),
    [
        ("December 28", "2024-01-03", "2023-12-28"),  # back across New Year
        ("January 2", "2023-12-30", "2024-01-02"),  # forward across New Year
        ("July 1", "2024-01-03", "2024-07-01"),  # half a year: the nearer side
        ("July 10", "2024-01-03", "2023-07-10"),
        ("29 February", "2026-01-10", "2024-02-29"),  # no leap day within a year: nearest one
        ("in December", "2024-01-03", "2023-12"),
    ],
)
def test_missing_year_is_nearest_to_reference(text: str, reference: str, value: str) -> None:
    (match,) = find_dates(text, "en", reference)
    assert (match.value, match.relative) == (value, True)


def test_weekday_given_with_a_date_picks_the_year() -> None:
    # 10 November is a Monday in 2025; in 2024 it was a Sunday
    (match,) = find_dates("Monday, November 10", "en", "2025-05-15")
    assert match.value == "2025-11-10"
    (match,) = find_dates("Sunday, November 10", "en", "2025-05-15")
    assert match.value == "2024-11-10"


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Monday"), ("vi", "thứ Hai"), ("th", "วันจันทร์")],
)
def test_weekday_on_the_reference_day_is_that_day(lang: str, text: str) -> None:
    (match,) = find_dates(text, lang, "2024-01-01")  # a Monday
    assert match.value == "2024-01-01"


def test_never_resolved_from_todays_date() -> None:
    for lang, text in [
        ("en", "yesterday; on Monday; May 5"),
        ("vi", "hôm qua; thứ Hai; ngày 5/5"),
        ("th", "เมื่อวาน วันจันทร์ และ 5 พ.ค."),
    ]:
        matches = find_dates(text, lang)
        assert len(matches) == 3
        assert all(m.value is None and m.precision == "" and m.relative for m in matches)


def test_offsets_point_into_the_original_text() -> None:
    text = "เมื่อวันที่ ๑๙ ก.ย. ๖๘ และ วันจันทร์ที่ ๑๐ พ.ย. ๖๘"
    matches = find_dates(text, "th", WED2)
    assert [text[m.start : m.end] for m in matches] == [m.text for m in matches]
    assert [m.value for m in matches] == ["2025-09-19", "2025-11-10"]


def test_matches_are_ordered_and_do_not_overlap() -> None:
    text = "Ngày 8/10/2020, từ 10-14/11/2024, tháng 12/2020, năm 2021, hôm qua và thứ Hai (10/11)."
    matches = find_dates(text, "vi", WED2)
    assert len(matches) == 6
    assert all(a.end <= b.start for a, b in zip(matches, matches[1:], strict=False))


def test_buddhist_era_years() -> None:
    assert [m.value for m in find_dates("ปี 2568, พ.ศ. 2500, ค.ศ. 2025, ปี 68", "th")] == [
        "2025",
        "1957",
        "2025",
        "2025",
    ]


def test_invalid_dates_give_no_match() -> None:
    assert find_dates("31 February 2020", "en") == []
    assert find_dates("February 29, 2023", "en") == []
    assert find_dates("February 29, 2024", "en")[0].value == "2024-02-29"
    assert find_dates("ngày 31/4/2024", "vi") == []
    assert find_dates("วันที่ 30 กุมภาพันธ์", "th", WED) == []


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        find_dates("in 2021", "fr")
    with pytest.raises(ValueError):
        find_dates("in 2021", "en", "yesterday")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๒๕๖๘", "2568"),
        ("วันที่ ๑๙ ก.ย.", "วันที่ 19 ก.ย."),
        ("١٢٣ and ２０２５", "123 and 2025"),
        ("no digits", "no digits"),
        ("x² ½", "x² ½"),  # not decimal digits
    ],
)
def test_normalise_digits(text: str, expected: str) -> None:
    assert normalise_digits(text) == expected
    assert len(normalise_digits(text)) == len(text)


def test_one_scan_serves_every_reference() -> None:
    text = "Họp ngày 8/10, thứ Hai tuần trước và hôm qua; từ tháng 12/2020 đến năm 2021."
    scan = DateScan(text, "vi")
    for reference in (None, WED, WED2, None):
        assert scan.resolve(reference) == find_dates(text, "vi", reference)


GUARD_TEXT = (
    "From 10 to 12, between 3 and 4 (Monday) xx_ ǆ ǅ ǄA ſt St KELVIN\u212a 2021-01-02 ๑๙"
    " aab  c b\tc xXxy ab c9"
)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:(?P<open>(?i:from|between))\s+)?(?<!\d)\d+",
        r"(?<![^\W\d_])[A-Z][a-z]+|\(",
        r"[^\W\d_]{2}|[^a-z\s]",
        r"(?i:ǆ|st|k)\w*",
        r"(?=\d)\d{4}-\d\d|(?i:(?-i:M)onday)",
        r"(?:\d+|kelvin)+?\b",
        r"(?:a?)*b\s+c",  # an empty loop body, whitespace inside the guarded characters
        r"ab|c\d",  # alternatives ending before the guard's length
        r"(?i:x{2,3})y|(?>St)",
    ],
)
def test_guarded_patterns_match_like_plain_ones(pattern: str) -> None:
    guarded = re.compile(_guarded(pattern))
    assert guarded.pattern.startswith("(?=")
    expected = [(m.span(), m.groupdict()) for m in re.finditer(pattern, GUARD_TEXT)]
    assert [(m.span(), m.groupdict()) for m in guarded.finditer(GUARD_TEXT)] == expected


@pytest.mark.parametrize("pattern", [r"x?", r"(?<!\d)(?:a|)", r"\b"])
def test_patterns_that_can_match_nothing_are_not_guarded(pattern: str) -> None:
    assert _guarded(pattern) == pattern


def _searches(pattern: re.Pattern[str], text: str, whole: bool) -> list[tuple[tuple[int, int], dict]]:
    """Every match from each position on, as the date scan searches (span, named groups)."""
    out, pos = [], 0
    while pos <= len(text) and (m := pattern.search(text, pos, len(text) - 3)) is not None:
        groups = m.groupdict()
        if whole:
            del groups[WHOLE]
        span = m.span(WHOLE) if whole else m.span()
        out.append((span, groups))
        pos = m.start() + 1
    return out


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:(?P<open>(?i:from|between))\s+)?(?<!\d)\d+",
        r"(?<![^\W\d_])[A-Z][a-z]+|\(",
        r"(?i:ǆ|st|k)\w*",
        r"(?=\d)\d{4}-\d\d|(?i:(?-i:M)onday)",
        r"(?:\d+|kelvin)+?\b",
        r"ab|c\d",
        r"(?i:x{2,3})y|(?>St)",
        r"[^\W\d_]{2}|[^a-z\s]",  # matches may start with nearly any character: only wrapped
        r"x?",  # or with none
    ],
)
def test_scanned_patterns_search_like_plain_ones(pattern: str) -> None:
    plain, scanned = re.compile(pattern), re.compile(_scanned(pattern))
    assert _searches(scanned, GUARD_TEXT, whole=True) == _searches(plain, GUARD_TEXT, whole=False)


def test_scanned_patterns_start_with_the_characters_case_folding_adds() -> None:
    # "ſ" (long s) and "\u212a" (Kelvin sign) match "s" and "k" case-insensitively: the class of
    # first characters must hold them, or the scan would skip their matches
    scanned = _scanned(r"(?i:st|k)\w*")
    assert scanned.startswith("[") and "ſ" in scanned and "\u212a" in scanned
    assert _searches(re.compile(scanned), GUARD_TEXT, whole=True) == _searches(
        re.compile(r"(?i:st|k)\w*"), GUARD_TEXT, whole=False)


def test_case_insensitive_matching_stays_within_its_plane() -> None:
    # what _first_characters relies on to try only plane 0 for the pieces made of its characters
    astral = "".join(map(chr, range(0x10000, sys.maxunicode + 1)))
    plane_zero = "".join(map(chr, range(0x10000)))
    assert not re.findall(r"(?i)[\x00-\uffff]", astral)
    assert not re.findall(r"(?i)[\U00010000-\U0010ffff]", plane_zero)
