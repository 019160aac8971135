"""Plain data passed between the pipeline stages.

documents -> nlp -> extract -> resolve -> build -> export -> store

Every stage takes and returns these dataclasses (or lists of them); nothing here knows about
spaCy, networkx or rdflib, so the data can be cached, pickled and sent to other processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: Entity kinds of the graph contract (``Event`` nodes are :class:`Event`).
ENTITY_KINDS = ("Person", "Organization", "Country", "Place", "Initiative")
#: Event types of the graph contract.
EVENT_TYPES = ("Meeting", "Agreement", "Opening", "Launch", "Visit", "Other")
#: Relations between entities.
ENTITY_RELATIONS = ("holdsPosition", "memberOf", "basedIn", "locatedIn", "partnerOf")
#: Roles of an event participant (all are ``relation=participant`` edges).
PARTICIPANT_ROLES = ("organizer", "signatory", "speaker", "moderator", "host", "visitor", "participant")


@dataclass
class Document:
    """One article: its cleaned text and the metadata found in it."""

    id: str
    text: str
    lang: str = ""
    title: str | None = None
    date: str | None = None  # ISO date the article is dated (``date YYYY-MM-DD`` line, dateline)
    source: str | None = None  # URL from a ``Source:`` line or the input record
    path: str | None = None

    def meta(self) -> dict:
        """Metadata without the text."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "text"}  # all scalars


@dataclass
class Sentence:
    """A sentence of a document, by character offsets into ``Document.text``."""

    index: int
    start: int
    end: int


@dataclass
class Mention:
    """One surface form of an entity in a document."""

    text: str
    start: int  # character offsets into Document.text
    end: int
    sentence: int
    rule: str = ""  # which recogniser found it (ner, gazetteer:country, acronym, title, ...)


@dataclass
class Entity:
    """An entity of one document; ``id`` is local to the document (``e0``, ``e1`` ...)."""

    id: str
    kind: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    # Identifiers and hints for resolution: {"iso": "VN"}, {"acronym": "VJA", "full": "..."},
    # {"parent": "e3", "country": "VN"} for local branches, ...
    attrs: dict = field(default_factory=dict)

    @property
    def aliases(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.text, None)
        return list(seen)


@dataclass
class Argument:
    """An entity taking part in an event, with its role."""

    entity: str  # Entity.id
    role: str = "participant"


@dataclass
class Event:
    """An event reported in one document."""

    id: str
    event_type: str
    trigger: str
    sentence: int
    start: int  # trigger offsets
    end: int
    date: str | None = None  # ISO, as precise as the text makes it (YYYY, YYYY-MM, YYYY-MM-DD)
    end_date: str | None = None
    location: str | None = None  # Entity.id
    arguments: list[Argument] = field(default_factory=list)
    label: str = ""


@dataclass
class Relation:
    """A relation between two entities of one document, stated in one sentence."""

    head: str  # Entity.id
    relation: str
    tail: str  # Entity.id
    sentence: int
    title: str | None = None  # holdsPosition: the title as written
    rule: str = ""


@dataclass
class DocExtraction:
    """Everything extracted from one document."""

    doc: Document
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.doc.text[s.start : s.end]
