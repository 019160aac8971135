"""Tests of the documents stage: formats, metadata, cleaning, language and every bad input."""

from __future__ import annotations

import json
import pickle
import time
import unicodedata
from pathlib import Path

import pytest

from graph import documents
from graph.documents import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    DocumentError,
    clean_text,
    detect_language,
    iter_input_files,
    load_documents,
    load_file,
)
from graph.model import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

EN_BODY = (
    "The Ministry of Culture opened a new film archive in Da Nang on Monday.\n"
    "Officials from Japan and the Republic of Korea attended the ceremony, which was organised "
    "with the city's film school.\n"
    "The archive will hold more than ten thousand reels of documentary footage."
)
VI_BODY = (
    "Bộ Văn hóa khai trương kho lưu trữ phim mới tại Đà Nẵng vào sáng thứ Hai.\n"
    "Đại diện của Nhật Bản và Hàn Quốc đã tham dự buổi lễ do trường điện ảnh của thành phố "
    "phối hợp tổ chức.\n"
    "Kho lưu trữ sẽ bảo quản hơn mười nghìn cuộn phim tài liệu."
)
TH_BODY = (
    "กระทรวงวัฒนธรรมเปิดหอภาพยนตร์แห่งใหม่ที่เมืองดานังเมื่อวันจันทร์\n"
    "ผู้แทนจากญี่ปุ่นและเกาหลีใต้เข้าร่วมพิธี ซึ่งจัดร่วมกับโรงเรียนภาพยนตร์ของเมือง"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_one(path: Path, **kwargs) -> Document | DocumentError:
    results = list(load_file(path, **kwargs))
    assert len(results) == 1, results
    return results[0]


def load_doc(path: Path, **kwargs) -> Document:
    result = load_one(path, **kwargs)
    assert isinstance(result, Document), str(result)
    return result


def load_error(path: Path, **kwargs) -> DocumentError:
    result = load_one(path, **kwargs)
    assert isinstance(result, DocumentError), result
    return result


# --------------------------------------------------------------------------------------------
# DocumentError


def test_document_error_is_one_line_and_picklable():
    err = DocumentError("in/a.txt", "empty file")
    assert (err.path, err.reason, str(err)) == ("in/a.txt", "empty file", "in/a.txt: empty file")
    assert "\n" not in str(DocumentError(Path("b.txt"), "bad\nthing"))
    copy = pickle.loads(pickle.dumps(err))
    assert isinstance(copy, DocumentError) and str(copy) == str(err)


def test_constants():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".html", ".htm", ".jsonl")
    assert DEFAULT_MAX_BYTES == 2_000_000


# --------------------------------------------------------------------------------------------
# Formats


def test_txt_article(tmp_path):
    path = write(tmp_path / "000_abc123.txt", "Film archive opens in Da Nang\n" + EN_BODY + "\n")
    doc = load_doc(path)
    assert doc.id == "000_abc123"
    assert doc.path == str(path)
    assert doc.lang == "en"
    assert doc.title == "Film archive opens in Da Nang"
    assert doc.text.startswith("Film archive opens in Da Nang\nThe Ministry of Culture")
    assert doc.text.endswith("documentary footage.")
    assert doc.date is None and doc.source is None


def test_markdown_article(tmp_path):
    md = (
        "---\n"
        "title: Archive opens in Da Nang\n"
        "date: 2024-03-04\n"
        "url: https://example.org/news/archive\n"
        "---\n"
        "# Archive opens in Da Nang\n\n"
        "The **Ministry of Culture** opened a [film archive](https://example.org/a) in *Da Nang*.\n\n"
        "![a photo](img/archive.jpg)\n\n"
        "- Officials from `Japan` attended.\n"
    )
    doc = load_doc(write(tmp_path / "story.md", md))
    assert doc.id == "story"
    assert doc.title == "Archive opens in Da Nang"
    assert doc.date == "2024-03-04"
    assert doc.source == "https://example.org/news/archive"
    assert doc.text == (
        "Archive opens in Da Nang\n\n"
        "The Ministry of Culture opened a film archive in Da Nang.\n\n"
        "Officials from Japan attended."
    )


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Archive opens in Da Nang | Example News</title>
  <meta property="article:published_time" content="2024-03-04T08:30:00+07:00">
  <meta property="og:url" content="https://example.org/og-url">
  <link rel="canonical" href="https://example.org/news/archive-opens">
  <style>body { color: red; }</style>
  <script>var tracking = "do not keep";</script>
</head>
<body>
  <header><a href="/">Example News</a> <nav><a href="/world">World</a></nav></header>
  <nav><ul><li>Home</li><li>Culture</li></ul></nav>
  <article>
    <h1>Archive opens in Da Nang</h1>
    <p>The Ministry of Culture opened a new film archive in <b>Da Nang</b> on Monday.</p>
    <p>Officials from Japan&nbsp;and the Republic of Korea attended &amp; spoke.<br>It holds
       ten thousand reels.</p>
    <figure><img src="x.jpg"><figcaption>The archive building.</figcaption></figure>
    <form><button>Subscribe</button></form>
  </article>
  <aside>Most read: something else entirely</aside>
  <footer>Copyright Example News</footer>
</body>
</html>
"""


def test_html_article(tmp_path):
    doc = load_doc(write(tmp_path / "page.html", HTML_PAGE))
    assert doc.id == "page"
    assert doc.title == "Archive opens in Da Nang"
    assert doc.date == "2024-03-04"
    assert doc.source == "https://example.org/news/archive-opens"  # canonical wins over og:url
    assert doc.lang == "en"
    assert doc.text.split("\n") == [
        "Archive opens in Da Nang",
        "The Ministry of Culture opened a new film archive in Da Nang on Monday.",
        "Officials from Japan and the Republic of Korea attended & spoke.",
        "It holds ten thousand reels.",
        "The archive building.",
    ]
    for dropped in ("tracking", "color", "World", "Home", "Subscribe", "Most read", "Copyright"):
        assert dropped not in doc.text


def test_htm_without_article_uses_title_and_time(tmp_path):
    page = (
        "<html><head><title>Lễ hội phim</title><meta property='og:url' content='https://e.vn/a'></head>"
        "<body><div><time datetime='2023-11-05'>5/11</time></div>"
        "<div>" + VI_BODY.replace("\n", "</div><div>") + "</div></body></html>"
    )
    doc = load_doc(write(tmp_path / "tin.htm", page))
    assert doc.title == "Lễ hội phim"
    assert doc.date == "2023-11-05"
    assert doc.source == "https://e.vn/a"
    assert doc.lang == "vi"
    assert doc.text.split("\n")[1] == VI_BODY.split("\n")[0]


def test_html_h1_in_a_dropped_header_still_leads_the_text(tmp_path):
    page = (
        "<html><body><article><header><h1>Archive opens</h1><p>By a reporter</p></header>"
        f"<p>{EN_BODY}</p><footer>Tags: film</footer></article></body></html>"
    )
    doc = load_doc(write(tmp_path / "h.html", page))
    assert doc.title == "Archive opens"
    assert doc.text == "Archive opens\n" + EN_BODY.replace("\n", " ")


def test_html_disguised_as_txt_is_parsed(tmp_path):
    doc = load_doc(write(tmp_path / "saved.txt", HTML_PAGE))
    assert doc.title == "Archive opens in Da Nang"
    assert "<p>" not in doc.text and "tracking" not in doc.text
    assert "The Ministry of Culture opened a new film archive" in doc.text


def test_html_page_with_no_text(tmp_path):
    page = "<html><head><title>Video</title><script>play()</script></head><body><nav>Home</nav></body></html>"
    err = load_error(write(tmp_path / "video.html", page))
    assert err.reason == "HTML page with no article text"
    assert str(err) == f"{tmp_path / 'video.html'}: HTML page with no article text"


def test_jsonl_with_and_without_ids(tmp_path):
    records = [
        {
            "id": "vna-1",
            "title": "Archive opens in Da Nang",
            "date": "2024-03-04",
            "url": "https://example.org/1",
            "text": EN_BODY,
        },
        {"text": VI_BODY, "source": "https://example.vn/2", "lang": "vi-VN"},
        {"id": 42, "text": TH_BODY},
    ]
    path = write(
        tmp_path / "batch.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    )
    docs = list(load_file(path))
    assert all(isinstance(d, Document) for d in docs), [str(d) for d in docs]
    assert [d.id for d in docs] == ["vna-1", "batch:2", "42"]
    assert [d.lang for d in docs] == ["en", "vi", "th"]
    assert [d.path for d in docs] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    first = docs[0]
    assert (first.title, first.date, first.source) == (
        "Archive opens in Da Nang",
        "2024-03-04",
        "https://example.org/1",
    )
    assert first.text == "Archive opens in Da Nang\n" + EN_BODY  # the record title leads the text
    assert docs[1].source == "https://example.vn/2"
    assert docs[1].title == VI_BODY.split("\n")[0]  # no title given: the first line
    assert docs[1].text == VI_BODY


def test_jsonl_title_is_normalised_like_the_text(tmp_path):
    nfd = unicodedata.normalize("NFD", "Đà Nẵng mở kho lưu trữ phim")
    path = write(tmp_path / "t.jsonl", json.dumps({"title": nfd, "text": nfd + "\n" + VI_BODY}) + "\n")
    doc = load_doc(path)
    assert doc.title == "Đà Nẵng mở kho lưu trữ phim"
    assert doc.text == "Đà Nẵng mở kho lưu trữ phim\n" + VI_BODY  # NFC, and not prepended twice


def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": EN_BODY}),
        '{"id": "b", "text": "unterminated',
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "d", "text": EN_BODY, "date": "last Monday"}),
        json.dumps({"id": "e", "text": EN_BODY}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    results = list(load_file(path))
    assert [type(r).__name__ for r in results] == [
        "Document", "DocumentError", "DocumentError", "DocumentError", "DocumentError", "Document"
    ]  # fmt: skip
    errors = [r for r in results if isinstance(r, DocumentError)]
    assert [e.path for e in errors] == [f"{path}:2", f"{path}:4", f"{path}:5", f"{path}:6"]
    assert errors[0].reason.startswith("invalid JSON: Unterminated string")
    assert "expected a JSON object" in errors[1].reason
    assert "missing or empty 'text'" in errors[2].reason
    assert "invalid 'date'" in errors[3].reason
    assert [r.id for r in results if isinstance(r, Document)] == ["a", "e"]


def test_jsonl_invalid_utf8_line(tmp_path):
    good = json.dumps({"id": "ok", "text": EN_BODY}).encode() + b"\n"
    bad = b'{"id": "x", "text": "caf\xe9"}\n'
    path = write(tmp_path / "enc.jsonl", good + bad)
    results = list(load_file(path))
    assert isinstance(results[0], Document)
    assert isinstance(results[1], DocumentError)
    offset = len(good) + bad.index(b"\xe9")
    assert str(results[1]) == f"{path}:2: not valid UTF-8 (invalid byte 0xE9 at offset {offset})"


def test_empty_jsonl(tmp_path):
    assert load_error(write(tmp_path / "none.jsonl", "\n  \n")).reason == "empty file"


# --------------------------------------------------------------------------------------------
# Metadata found in the text


def test_date_line_with_title_on_the_same_line(tmp_path):
    text = " date 2024-05-06 Film archive opens in Da Nang\n" + EN_BODY
    doc = load_doc(write(tmp_path / "d.txt", text))
    assert doc.date == "2024-05-06"
    assert doc.title == "Film archive opens in Da Nang"
    assert doc.text.startswith("Film archive opens in Da Nang\nThe Ministry")
    assert "date" not in doc.text.split("\n")[0]


def test_date_line_alone_and_invalid_date(tmp_path):
    doc = load_doc(write(tmp_path / "a.txt", "date 2024-05-06\n\nArchive opens\n" + EN_BODY))
    assert (doc.date, doc.title) == ("2024-05-06", "Archive opens")
    assert doc.text.startswith("Archive opens\n")
    doc = load_doc(write(tmp_path / "b.txt", "date 2024-13-45 Archive opens\n" + EN_BODY))
    assert doc.date is None  # not a real date: kept as text
    assert doc.text.startswith("date 2024-13-45 Archive opens")


def test_source_line_is_removed(tmp_path):
    text = "Archive opens\n" + EN_BODY + "\nSource: https://example.org/news/1?x=2\nComment (0)\n"
    doc = load_doc(write(tmp_path / "s.txt", text))
    assert doc.source == "https://example.org/news/1?x=2"
    assert "Source:" not in doc.text and "Comment" not in doc.text
    assert doc.text.endswith("documentary footage.")


def test_source_without_url_is_content(tmp_path):
    doc = load_doc(write(tmp_path / "s.txt", "Archive opens\n" + EN_BODY + "\nSource: Viet Nam News Agency"))
    assert doc.source is None
    assert doc.text.endswith("Source: Viet Nam News Agency")


def test_long_first_line_is_not_a_title(tmp_path):
    doc = load_doc(write(tmp_path / "long.txt", EN_BODY.replace("\n", " ") * 2 + "\nMore."))
    assert doc.title is None


@pytest.mark.parametrize(
    ("first_lines", "date"),
    [
        ("Hanoi, 23 August 2023 (VNA) - The Ministry of Culture opened an archive.", "2023-08-23"),
        ("HANOI, Aug. 23, 2023 - The Ministry of Culture opened an archive.", "2023-08-23"),
        ("Hà Nội, ngày 8/10/2020\nBộ Văn hóa khai trương kho lưu trữ phim.", "2020-10-08"),
        ("TP Hồ Chí Minh, ngày 8 tháng 10 năm 2020 - Bộ Văn hóa khai trương kho.", "2020-10-08"),
        ("กรุงเทพฯ, 23 สิงหาคม 2566 - กระทรวงวัฒนธรรมเปิดหอภาพยนตร์", "2023-08-23"),
        ("Hanoi (VNA) – The Ministry of Culture opened an archive on August 23.", None),  # no year
        ("Phát biểu tại lễ khai trương (ngày 8/10), Bộ trưởng cho biết.", None),  # no year
        ("Hanoi, 31 February 2023 - An impossible day.", None),
        ("Published: 14/11/2024\nSeoul (VNA) - The archive opened.", "2024-11-14"),
        ("Published: 11/14/2024\nSeoul (VNA) - The archive opened.", "2024-11-14"),  # month first after all
        ("Posted: November 14, 2024\nThe archive opened.", "2024-11-14"),
        ("Cập nhật: 15/05/2024 10:30\nBộ Văn hóa khai trương kho lưu trữ phim.", "2024-05-15"),
        ("Thứ Hai, 20/10/2024 - 10:30\nBộ Văn hóa khai trương kho lưu trữ phim.", "2024-10-20"),
        ("เผยแพร่: 20 มีนาคม 2567\nกระทรวงวัฒนธรรมเปิดหอภาพยนตร์", "2024-03-20"),
        ("The archive holds 14/11/2024 records.", None),  # a date in running text
    ],
)
def test_dateline_date_only_when_certain(tmp_path, first_lines, date):
    doc = load_doc(write(tmp_path / "x.txt", "Archive opens\n" + first_lines + "\n" + EN_BODY))
    assert doc.date == date


def test_date_line_wins_over_dateline(tmp_path):
    doc = load_doc(write(tmp_path / "x.txt", "date 2024-01-02 Title\nHanoi, 23 August 2023 - " + EN_BODY))
    assert doc.date == "2024-01-02"


# --------------------------------------------------------------------------------------------
# Cleaning


def test_clean_text_normalises_unicode_and_whitespace():
    nfd = "Vie\u0302\u0323t Nam"  # "Việt Nam" decomposed
    raw = "\ufeffTitle  \r\nLine\u00a0one\u200b here\x07\t \r\n\r\n\r\n\r\n" + nfd + "\rEnd\u2028x  "
    assert clean_text(raw) == "Title\nLine one here\n\nViệt Nam\nEnd\nx"


def test_clean_text_keeps_tabs_inside_lines_and_is_idempotent():
    text = "A\tB\n\nC"
    assert clean_text(text) == text
    assert clean_text(clean_text(" x \n\n\n y ")) == "x\n\ny"


@pytest.mark.parametrize(
    "line",
    ["Comment (0)", "Comments (12)", "Back to top", "Bình luận (0)", "การแสดงความคิดเห็น (0)", "hoi-3.jpg",
     "  BACK TO TOP  ", "IMG_2024.JPEG", "Share", "Advertisement"],
)  # fmt: skip
def test_boilerplate_lines_are_removed(line):
    assert clean_text(f"First paragraph.\n{line}\nSecond paragraph.") == "First paragraph.\nSecond paragraph."


@pytest.mark.parametrize(
    "line",
    ["Comments (12) were sent to the ministry.", "He did not comment (citing rules).",
     "Back to top form, the team won.", "The photo hoi-3.jpg shows the hall.", "Bình luận về phim (0 giờ)",
     "Share prices rose.", "(Photo: VNA)"],
)  # fmt: skip
def test_content_lines_are_kept(line):
    assert clean_text(f"First.\n{line}\nLast.") == f"First.\n{line}\nLast."


def test_boilerplate_file_is_valid():
    pattern = documents._boilerplate()
    assert pattern.fullmatch("comment (3)")
    assert not pattern.fullmatch("")


def test_text_of_only_boilerplate_is_an_error(tmp_path):
    err = load_error(write(tmp_path / "b.txt", "Comment (0)\nBack to top\n"))
    assert "no article text" in err.reason


# --------------------------------------------------------------------------------------------
# Language


@pytest.mark.parametrize(
    ("name", "lang"),
    [("000_7d30b0515a42b45f.txt", "vi"), ("001_606ed567cd8213ac.txt", "en"),
     ("002_dd202ca2b097ad48.txt", "en"), ("003_c73bc60f577e1b7f.txt", "th"),
     ("004_1f382b9703d72638.txt", "en")],
)  # fmt: skip
def test_seed_languages(name, lang):
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed {name} not present")
    assert detect_language(path.read_text(encoding="utf-8")) == lang
    assert load_doc(path).lang == lang


def test_english_mentioning_viet_nam_once():
    assert detect_language("Officials from Việt Nam and Japan attended. " + EN_BODY) == "en"


def test_english_with_vietnamese_names_in_full_diacritics():
    text = (
        "Deputy Minister Hồ An Phong met Nguyễn Thị Hương of the Hà Nội Department of Culture "
        "and the director of the Việt Nam Film Institute on Tuesday to discuss the archive."
    )
    assert detect_language(text) == "en"


def test_vietnamese_with_a_few_english_words():
    text = (
        VI_BODY + "\nSự kiện có sự tham gia của Netflix, TikTok và các startup về AI trong lĩnh vực content."
    )
    assert detect_language(text) == "vi"


def test_short_vietnamese_headline():
    assert detect_language("Đà Nẵng mở kho lưu trữ phim") == "vi"


def test_thai_with_latin_names():
    text = TH_BODY + " โดยมี Boston Film Institute และ Harvard University และ UNESCO ร่วมสนับสนุน"
    assert detect_language(text) == "th"


@pytest.mark.parametrize(
    "text", ["文化部在岘港开设了新的电影档案馆。", "Министерство культуры открыло архив.", "1234 — 5678", ""]
)
def test_undetermined_languages(text):
    assert detect_language(text) == "und"


def test_unsupported_language_error_and_forced_lang(tmp_path):
    path = write(tmp_path / "zh.txt", "文化部在岘港开设了新的电影档案馆。日本和韩国的官员出席了仪式。")
    err = load_error(path)
    assert err.reason == "unsupported language (not Vietnamese, English or Thai); use --lang to force"
    doc = load_doc(path, lang="en")
    assert doc.lang == "en"


def test_forced_lang_overrides_detection_and_jsonl_lang(tmp_path):
    assert load_doc(write(tmp_path / "a.txt", EN_BODY), lang="vi").lang == "vi"
    path = write(tmp_path / "b.jsonl", json.dumps({"text": EN_BODY, "lang": "en"}) + "\n")
    assert load_doc(path, lang="th").lang == "th"


def test_invalid_forced_lang_raises_at_call():
    with pytest.raises(ValueError, match="unsupported language 'fr'"):
        load_documents([], lang="fr")
    with pytest.raises(ValueError):
        load_file(Path("x.txt"), lang="fr")


def test_jsonl_unsupported_record_lang(tmp_path):
    path = write(tmp_path / "fr.jsonl", json.dumps({"id": "f", "text": EN_BODY, "lang": "fr"}) + "\n")
    assert "unsupported language 'fr'" in load_error(path).reason


# --------------------------------------------------------------------------------------------
# Bad inputs


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path, content):
    err = load_error(write(tmp_path / "empty.txt", content))
    assert err.reason == "empty file"


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    err = load_error(write(tmp_path / "photo.txt", png))
    assert err.reason == "binary file, not text"


def test_control_byte_file_is_binary(tmp_path):
    err = load_error(write(tmp_path / "ctl.txt", bytes([1, 2, 3, 4, 5, 6, 65]) * 100))
    assert err.reason == "binary file, not text"


def test_non_utf8_file(tmp_path):
    data = b"Hanoi cafe\xe9 opened on Monday and more text follows."
    err = load_error(write(tmp_path / "latin1.txt", data))
    assert err.reason == "not valid UTF-8 (invalid byte 0xE9 at offset 10)"


def test_utf8_bom_is_accepted_and_removed(tmp_path):
    doc = load_doc(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ("Archive opens\n" + EN_BODY).encode()))
    assert doc.text.startswith("Archive opens")
    assert doc.title == "Archive opens"


def test_utf16_with_bom_is_decoded(tmp_path):
    doc = load_doc(write(tmp_path / "u16.txt", ("Đà Nẵng mở kho lưu trữ phim\n" + VI_BODY).encode("utf-16")))
    assert doc.lang == "vi"
    assert doc.title == "Đà Nẵng mở kho lưu trữ phim"


def test_utf16_without_bom_is_binary_with_a_hint(tmp_path):
    err = load_error(write(tmp_path / "u16le.txt", ("Archive opens\n" + EN_BODY).encode("utf-16-le")))
    assert err.reason.startswith("binary file, not text") and "UTF-16" in err.reason


def test_too_large_file_is_rejected_by_size(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        line = (EN_BODY.replace("\n", " ") + "\n").encode()
        handle.write(line * (5_000_000 // len(line)))
        handle.write(b"x" * (5_000_000 - handle.tell()))
    assert path.stat().st_size == 5_000_000

    def no_reading(*args, **kwargs):
        raise AssertionError("the file must not be read")

    monkeypatch.setattr(documents, "open", no_reading, raising=False)
    start = time.perf_counter()
    err = load_error(path)
    assert time.perf_counter() - start < 0.5
    assert err.reason == "too large: 5.0 MB (limit 2.0 MB; raise --max-bytes)"
    monkeypatch.undo()
    assert isinstance(load_one(path, max_bytes=6_000_000), Document)


def test_max_bytes_applies_per_jsonl_line(tmp_path):
    small = json.dumps({"id": "small", "text": EN_BODY})
    big = json.dumps({"id": "big", "text": EN_BODY * 50})
    path = write(tmp_path / "lines.jsonl", f"{small}\n{big}\n{small.replace('small', 'again')}\n")
    results = list(load_file(path, max_bytes=len(small) + 10))
    assert [getattr(r, "id", None) for r in results] == ["small", None, "again"]
    assert results[1].path == f"{path}:2" and results[1].reason.startswith("too large:")


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", EN_BODY)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(documents, "open", denied, raising=False)
    err = load_error(path)
    assert "permission denied" in err.reason
    assert isinstance(load_error(write(tmp_path / "locked.jsonl", "{}")), DocumentError)


def test_missing_input_path(tmp_path):
    missing = tmp_path / "nope" / "a.txt"
    assert [str(r) for r in load_documents([missing])] == [f"{missing}: no such file or directory"]


# --------------------------------------------------------------------------------------------
# Folders and duplicates


def make_mixed_folder(root: Path) -> None:
    write(root / "b_english.txt", "Archive opens\n" + EN_BODY)
    write(root / "a_vietnamese.md", "# Đà Nẵng mở kho lưu trữ phim\n\n" + VI_BODY)
    write(root / "c_empty.txt", "")
    write(root / "d_photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(root / "e_latin1.txt", b"caf\xe9 " * 20)
    write(root / ".hidden.txt", "Archive opens\n" + EN_BODY)
    write(root / ".cache" / "x.txt", "Archive opens\n" + EN_BODY)
    write(root / "sub" / "f_thai.html", f"<html><body><article><p>{TH_BODY}</p></article></body></html>")
    write(root / "sub" / "g_batch.jsonl", json.dumps({"id": "j1", "text": EN_BODY}) + "\n")
    write(root / "z_notes.TXT", "Second archive opens\n" + EN_BODY)


def test_iter_input_files_order_and_errors(tmp_path):
    make_mixed_folder(tmp_path / "in")
    items = list(iter_input_files([tmp_path / "in"]))
    shown = [
        i.reason if isinstance(i, DocumentError) else i.relative_to(tmp_path / "in").as_posix() for i in items
    ]
    assert shown == [
        "a_vietnamese.md",
        "b_english.txt",
        "c_empty.txt",
        "unsupported file type '.png' (expected .txt, .md, .html, .htm, .jsonl)",
        "e_latin1.txt",
        "sub/f_thai.html",
        "sub/g_batch.jsonl",
        "z_notes.TXT",
    ]
    assert items == list(iter_input_files([tmp_path / "in"]))  # deterministic


def test_folder_with_mixed_files(tmp_path):
    make_mixed_folder(tmp_path / "in")
    results = list(load_documents([tmp_path / "in"]))
    docs = [r for r in results if isinstance(r, Document)]
    errors = [r for r in results if isinstance(r, DocumentError)]
    assert [(d.id, d.lang) for d in docs] == [
        ("a_vietnamese", "vi"), ("b_english", "en"), ("f_thai", "th"), ("j1", "en"), ("z_notes", "en")
    ]  # fmt: skip
    assert [(Path(e.path).name, e.reason.split(" (")[0]) for e in errors] == [
        ("c_empty.txt", "empty file"),
        ("d_photo.png", "unsupported file type '.png'"),
        ("e_latin1.txt", "not valid UTF-8"),
    ]
    assert docs[0].title == "Đà Nẵng mở kho lưu trữ phim"


def test_broken_link_in_folder_is_reported(tmp_path):
    write(tmp_path / "in" / "a.txt", "Archive opens\n" + EN_BODY)
    (tmp_path / "in" / "b.txt").symlink_to(tmp_path / "gone.txt")
    items = list(iter_input_files([tmp_path / "in"]))
    assert items == [
        tmp_path / "in" / "a.txt",
        DocumentError(tmp_path / "in" / "b.txt", "broken symbolic link"),
    ]


def test_explicit_files_are_read_whatever_their_suffix(tmp_path):
    path = write(tmp_path / "article", "Archive opens\n" + EN_BODY)
    png = write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    results = list(load_documents([path, png]))
    assert isinstance(results[0], Document) and results[0].id == "article"
    assert isinstance(results[1], DocumentError) and results[1].reason == "binary file, not text"


def test_duplicate_ids_are_reported_and_skipped(tmp_path):
    first = write(tmp_path / "a" / "story.txt", "Archive opens\n" + EN_BODY)
    second = write(tmp_path / "b" / "story.txt", "Another archive opens\n" + EN_BODY)
    batch = write(
        tmp_path / "c" / "batch.jsonl",
        json.dumps({"id": "story", "text": EN_BODY})
        + "\n"
        + json.dumps({"id": "other", "text": EN_BODY})
        + "\n",
    )
    results = list(load_documents([tmp_path / "a", tmp_path / "b", batch]))
    assert [type(r).__name__ for r in results] == ["Document", "DocumentError", "DocumentError", "Document"]
    assert str(results[1]) == f"{second}: duplicate document id 'story' (first seen in {first})"
    assert results[2].path == f"{batch}:1"
    assert results[3].id == "other"


def test_same_file_given_twice_is_read_once(tmp_path):
    path = write(tmp_path / "in" / "one.txt", "Archive opens\n" + EN_BODY)
    results = list(load_documents([path, tmp_path / "in"]))
    assert [type(r).__name__ for r in results] == ["Document"]


def test_the_invisible_characters_file_matches_this_pythons_unicode_database() -> None:
    from graph.documents import compute_invisible_ranges, invisible_ranges

    assert invisible_ranges() == compute_invisible_ranges()
    assert (0x200B, 0x200F) in invisible_ranges()  # zero-width space ... right-to-left mark
