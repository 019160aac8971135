"""Shared fixtures: a small graph that follows the contract of graph/build.py exactly."""

from __future__ import annotations

import networkx as nx
import pytest

DOCS = {
    "000_vi": {
        "id": "000_vi",
        "lang": "vi",
        "title": "Thúc đẩy hợp tác phát triển công nghiệp nội dung giữa Việt Nam – Hàn Quốc",
        "date": "2020-10-09",
        "source": "https://baomoi.example/hop-tac-noi-dung.html",
        "path": "seeds/000_vi.txt",
    },
    "001_en": {
        "id": "001_en",
        "lang": "en",
        "title": "KOCCA names a new president",
        "date": "2023-05-15",
        "source": "https://news.example/kocca-president",
        "path": "seeds/001_en.txt",
    },
    "002_th": {
        "id": "002_th",
        "lang": "th",
        "title": "TCDC และ KOCCA ลงนามความร่วมมือ",
        "date": "2024-03",
        "source": "https://th.example/tcdc-kocca",
        "path": "seeds/002_th.txt",
    },
}

RUN = {
    "tool": "newsgraph",
    "version": "0.1.0",
    "models": {"en_core_web_sm": "3.8.0", "pyvi": "0.1.1", "pythainlp": "5.4.0"},
    "started": "2025-01-02T03:04:05+00:00",
    "ended": "2025-01-02T03:05:00+00:00",
}


def _mentions(*items: tuple[str, str]) -> list[dict]:
    """Mentions from (doc, text) pairs; offsets are made up but well formed."""
    out = []
    for i, (doc, text) in enumerate(items):
        out.append(
            {
                "doc": doc,
                "lang": DOCS[doc]["lang"],
                "sentence": i,
                "start": 10 * i,
                "end": 10 * i + len(text),
                "text": text,
            }
        )
    return out


def _entity(G: nx.MultiDiGraph, node: str, kind: str, label: str, mentions: list[dict], **extra) -> None:
    docs = list(dict.fromkeys(m["doc"] for m in mentions))
    G.add_node(
        node,
        kind=kind,
        label=label,
        aliases=list(dict.fromkeys(m["text"] for m in mentions)),
        documents=docs,
        langs=list(dict.fromkeys(DOCS[d]["lang"] for d in docs)),
        mentions=mentions,
        **extra,
    )


def _edge(G: nx.MultiDiGraph, u: str, v: str, relation: str, doc: str, sentence: str, **extra) -> None:
    G.add_edge(
        u,
        v,
        relation=relation,
        documents=[doc],
        evidence=[{"doc": doc, "sentence": 0, "text": sentence}],
        **extra,
    )


def make_sample_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.graph["documents"] = {k: dict(v) for k, v in DOCS.items()}
    G.graph["run"] = dict(RUN)

    _entity(
        G,
        "country/VN",
        "Country",
        "Vietnam",
        _mentions(("000_vi", "Việt Nam"), ("001_en", "Vietnam"), ("002_th", "เวียดนาม")),
        iso="VN",
    )
    _entity(
        G,
        "country/KR",
        "Country",
        "South Korea",
        _mentions(("000_vi", "Hàn Quốc"), ("001_en", "South Korea")),
        iso="KR",
    )
    _entity(
        G,
        "country/TH",
        "Country",
        "Thailand",
        _mentions(("002_th", "ประเทศไทย"), ("001_en", "Thailand")),
        iso="TH",
    )
    _entity(
        G,
        "organization/korea-creative-content-agency",
        "Organization",
        "Korea Creative Content Agency",
        _mentions(
            ("000_vi", "Cơ quan nội dung sáng tạo của Hàn Quốc"),
            ("000_vi", "KOCCA"),
            ("001_en", "KOCCA"),
            ("002_th", "KOCCA"),
        ),
    )
    _entity(
        G,
        "organization/kocca-vietnam-office",
        "Organization",
        "KOCCA Việt Nam",
        _mentions(("000_vi", "KOCCA Việt Nam")),
    )
    _entity(
        G,
        "organization/thailand-creative-design-center",
        "Organization",
        "Thailand Creative & Design Center",
        _mentions(("002_th", "ศูนย์สร้างสรรค์งานออกแบบ"), ("002_th", "TCDC")),
    )
    _entity(G, "person/park-noh-wan", "Person", "Park Noh Wan", _mentions(("000_vi", "Park Noh Wan")))
    _entity(G, "person/kim-young-jun", "Person", "Kim Young-jun", _mentions(("001_en", "Kim Young-jun")))
    _entity(G, "person/somchai-jaidee", "Person", "สมชาย ใจดี", _mentions(("002_th", "สมชาย ใจดี")))
    _entity(G, "place/ha-noi", "Place", "Hà Nội", _mentions(("000_vi", "Hà Nội"), ("001_en", "Hanoi")))
    _entity(G, "initiative/bansacviet", "Initiative", "#BanSacViet", _mentions(("000_vi", "#BanSacViet")))

    opening = "event/opening-2020-10-08-1a2b3c"
    G.add_node(
        opening,
        kind="Event",
        label="Opening of the KOCCA office in Vietnam",
        aliases=["khai trương"],
        documents=["000_vi"],
        langs=["vi"],
        mentions=_mentions(("000_vi", "khai trương")),
        event_type="Opening",
        cameo="043",
        date="2020-10-08",
        trigger="khai trương",
    )
    agreement = "event/agreement-2024-03-4d5e6f"
    G.add_node(
        agreement,
        kind="Event",
        label="TCDC–KOCCA cooperation agreement",
        aliases=["ลงนาม"],
        documents=["002_th"],
        langs=["th"],
        mentions=_mentions(("002_th", "ลงนาม")),
        event_type="Agreement",
        cameo="057",
        date="2024-03",
        trigger="ลงนาม",
    )

    kocca = "organization/korea-creative-content-agency"
    office = "organization/kocca-vietnam-office"
    tcdc = "organization/thailand-creative-design-center"
    s_open = "Phát biểu tại buổi lễ khai trương Văn phòng KOCCA tại Việt Nam (ngày 8/10) ..."
    _edge(G, opening, kocca, "participant", "000_vi", s_open, role="organizer")
    _edge(G, opening, office, "participant", "000_vi", s_open, role="participant")
    _edge(G, opening, "person/park-noh-wan", "participant", "000_vi", s_open, role="speaker")
    _edge(G, opening, "place/ha-noi", "location", "000_vi", s_open)
    s_sign = "TCDC และ KOCCA ลงนามบันทึกความเข้าใจ ณ กรุงเทพฯ เดือนมีนาคม 2567"
    _edge(G, agreement, tcdc, "participant", "002_th", s_sign, role="signatory")
    _edge(G, agreement, kocca, "participant", "002_th", s_sign, role="signatory")
    _edge(G, agreement, "country/TH", "location", "002_th", s_sign)

    _edge(
        G,
        "person/park-noh-wan",
        "country/KR",
        "holdsPosition",
        "000_vi",
        "Đại sứ Hàn Quốc tại Việt Nam Park Noh Wan cho biết",
        title="Đại sứ Hàn Quốc tại Việt Nam",
    )
    _edge(
        G,
        "person/kim-young-jun",
        kocca,
        "holdsPosition",
        "001_en",
        "Kim Young-jun, President of KOCCA, said",
        title="President",
    )
    _edge(G, office, kocca, "memberOf", "000_vi", "Văn phòng KOCCA tại Việt Nam")
    _edge(G, "person/somchai-jaidee", tcdc, "memberOf", "002_th", "สมชาย ใจดี จาก TCDC")
    _edge(G, kocca, "country/KR", "basedIn", "000_vi", "Cơ quan nội dung sáng tạo của Hàn Quốc")
    _edge(G, office, "place/ha-noi", "basedIn", "000_vi", "KOCCA tại Hà Nội")
    _edge(G, "place/ha-noi", "country/VN", "locatedIn", "000_vi", "Hà Nội, Việt Nam")
    _edge(G, tcdc, kocca, "partnerOf", "002_th", s_sign)
    return G


@pytest.fixture
def sample_graph() -> nx.MultiDiGraph:
    """A fresh contract graph: 11 entities in vi/en/th, 2 events, positions, memberships ..."""
    return make_sample_graph()
