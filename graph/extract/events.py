"""Events of one document: type, trigger, date, place and participants with their roles.

The steps, each driven by data files in ``graph/data/events``:

1. **Triggers** (``<lang>.jsonl``): English rows are spaCy ``Matcher`` token patterns; Vietnamese
   and Thai rows are phrases, matched on the characters and snapped to tokens, because word
   segmentation splits them unpredictably ("การเปิดตัว" comes out as การ|เปิด|ตัวอย่าง). A trigger
   inside an entity name ("... Global Forum") is not a trigger. ``needs`` asks for an entity of a
   kind in the sentence ("announced" is a launch only when an initiative is named); rows labelled
   ``*`` are anaphors ("the event", "งานนี้") that refer back to the last event.
2. **Modality** (``cues.tsv``: plan, negation): a planned or denied event is not an event.
3. **Mentions to events**: same-type triggers of one sentence are one mention. A mention joins an
   earlier event of its type when it refers back ("the visit", "hội thảo này") or shares
   participants with it; it starts a new event when both have named participants and none is
   shared (two working sessions with different partners). So one event reported twice in an
   article is one event.
4. **Arguments**: the people, organisations (and, for launches, initiatives) of a mention's
   sentence, each attached to its nearest trigger (in English: the trigger whose syntactic subtree
   holds it). Roles come from cues: organiser ("held by X", "X จัด ..."), host ("at the invitation
   of X"), moderator, speaker (speech verbs), signatory (agreements), visitor (visits). An entity
   only described in apposition ("Tran Hoang, Director of the Copyright Office") is not a
   participant. People quoted in an article about one meeting or opening are its speakers; people
   quoted about a launched initiative are speakers of that launch.
5. **Location**: a place, country or venue after a locative cue ("in", "tại", "ที่") in the
   trigger's sentence, nearest after the trigger.
6. **Date** (``dates.DateScan``): the nearest date of the mention sentences, as precise as the
   text allows. The reference for missing years and relative days is the document's date; a
   document without one is dated by the year it mentions most (an estimate used only to complete
   day-month dates and "recently"). An event reported inside another ("at the workshop, ...
   announced") takes that event's date and place when it has none; one reported "on this
   occasion" ("dịp này", "ในโอกาสนี้") takes the date of the dated event reported before it.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import LOWER
from spacy.matcher import Matcher
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from ..model import Argument, DocExtraction, Entity, Event, Mention, Sentence
from .dates import DateMatch, DateScan, normalise_digits
from .lexicon import data_path, read_tsv
from .text import doc_text, token_table

#: Entity kinds that take part in events (countries and places are where events happen).
PARTICIPANT_KINDS = ("Person", "Organization")
#: Relations whose tail, written right after the head, only describes the head.
DESCRIPTIVE = ("memberOf", "basedIn", "holdsPosition", "locatedIn")
#: When one entity gets several roles in one event, the first of these wins.
ROLE_ORDER = ("organizer", "signatory", "host", "visitor", "moderator", "speaker", "participant")
#: Languages whose articles tell a new event ("a meeting") from one already reported ("the meeting"):
#: only in these does a mention with other named participants start a second event of its type.
#: Elsewhere same-type mentions of one article are one event, except launches of different things.
MARKS_DEFINITENESS = ("en",)
#: Event types that are an occasion where people speak.
OCCASIONS = ("Meeting", "Opening")


@dataclass
class TriggerRule:
    label: str  # event type, or "*" for an anaphor of any type
    anaphor: bool = False
    needs: str | None = None  # an entity kind the sentence must name


@dataclass
class Cue:
    cue: str  # plan | negation | definite | recent | occasion | location | organizer | host | moderator | speaker
    where: str  # before | after | by | agent | any
    types: frozenset[str]
    pattern: re.Pattern[str]

    def applies(self, event_type: str) -> bool:
        return not self.types or event_type in self.types


@dataclass
class TriggerMention:
    """One trigger (or the same-type triggers of one sentence) in the text."""

    label: str
    start: int
    end: int
    text: str
    sentence: int
    anaphor: bool = False
    head: int | None = None  # English: index of the trigger's syntactic head token
    plural: bool = False  # English: the trigger ends in a plural noun ("working sessions")


@dataclass
class _Draft:
    """An event being assembled from its mentions."""

    event_type: str
    mentions: list[TriggerMention] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)  # entity id -> roles seen
    location: str | None = None
    date: DateMatch | None = None
    recent: bool = False
    same_occasion: bool = False  # "on this occasion": when the event reported before it was

    def add(self, entity_id: str, role: str) -> None:
        self.roles.setdefault(entity_id, []).append(role)


# --------------------------------------------------------------------------- data


@functools.cache
def trigger_rules(lang: str) -> list[dict]:
    """The trigger rows of ``events/<lang>.jsonl`` (empty for a language without a file)."""
    path = data_path("events", f"{lang}.jsonl")
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip() and not line.startswith("//")]


@functools.cache
def trigger_verbs(lang: str) -> tuple[str, ...]:
    """Trigger phrases marked ``verb`` (a name written before one ends there), longest first."""
    phrases = {row["phrase"] for row in trigger_rules(lang) if row.get("verb")}
    return tuple(sorted(phrases, key=len, reverse=True))


@functools.cache
def cues(lang: str) -> tuple[Cue, ...]:
    out = []
    for row in read_tsv("events", "cues.tsv"):
        if row["lang"] == lang:
            types = frozenset(t for t in (row["types"] or "").split(",") if t)
            out.append(Cue(row["cue"], row["where"], types, re.compile(row["pattern"], re.IGNORECASE)))
    return tuple(out)


@functools.cache
def _cues(lang: str, cue: str, event_type: str = "") -> tuple[Cue, ...]:
    return tuple(c for c in cues(lang) if c.cue == cue and (not event_type or c.applies(event_type)))


@functools.cache
def _phrase_pattern(lang: str) -> tuple[re.Pattern[str] | None, dict[str, TriggerRule]]:
    """One regular expression over every trigger phrase of ``lang``, longest first."""
    rules = {}
    for row in trigger_rules(lang):
        if "phrase" in row:
            rules[row["phrase"].casefold()] = TriggerRule(row["label"], row.get("anaphor", False), row.get("needs"))
    if not rules:
        return None, rules
    alternatives = "|".join(re.escape(p) for p in sorted(rules, key=len, reverse=True))
    # Vietnamese writes syllables apart: a phrase must not start or end inside a syllable.
    bounded = rf"(?<!\w)(?:{alternatives})(?!\w)" if lang != "th" else f"(?:{alternatives})"
    return re.compile(bounded, re.IGNORECASE), rules


@dataclass
class MatchStart:
    """What follows a word that token-pattern matches start with."""

    reach: int | None = 0  # the most tokens a match from it spans (None: no bound, up to the sentence end)
    follows: set[int] | None = field(default_factory=set)  # LOWER of the next token of every such match (None: any)

    def add(self, pattern: list[dict], strings: StringStore) -> None:
        """Take in one more pattern that starts with this word."""
        length = _length(pattern)
        self.reach = None if length is None or self.reach is None else max(length, self.reach)
        second = _lowers(pattern[1]) if len(pattern) > 1 else None
        if second is None or self.follows is None:
            self.follows = None
        else:
            self.follows.update(strings.add(word) for word in second)


@dataclass(frozen=True)
class TokenTriggers:
    """The token patterns of a language in a spaCy ``Matcher``, and how their matches start.

    ``starts`` maps the ``LOWER`` hash of each word a match can start with to a :class:`MatchStart`;
    it is None when some pattern does not start with one given lowercase word: then the Matcher
    runs over the whole document.
    """

    matcher: Matcher
    rules: dict[str, TriggerRule]
    starts: dict[int, MatchStart] | None


_MATCHERS: dict[int, TokenTriggers] = {}


def _token_triggers(doc: Doc, lang: str) -> TokenTriggers:
    """The :class:`TokenTriggers` of ``lang``, one per vocabulary."""
    key = id(doc.vocab)
    if key not in _MATCHERS:
        matcher, rules = Matcher(doc.vocab), {}
        starts: dict[int, MatchStart] | None = {}
        for n, row in enumerate(trigger_rules(lang)):
            if "pattern" not in row:
                continue
            name = f"{row['label']}#{n}"
            patterns = _first_token_spelt_out(row["pattern"])
            matcher.add(name, patterns)
            rules[name] = TriggerRule(row["label"], row.get("anaphor", False), row.get("needs"))
            for pattern in patterns:
                first = _lowers(pattern[0])
                if first is None or len(first) != 1 or starts is None:
                    starts = None
                    continue
                starts.setdefault(doc.vocab.strings.add(first[0]), MatchStart()).add(pattern, doc.vocab.strings)
        _MATCHERS[key] = TokenTriggers(matcher, rules, starts)
    return _MATCHERS[key]


def _lowers(token: dict) -> list[str] | None:
    """The lowercase words a pattern token ``{"LOWER": word}`` or ``{"LOWER": {"IN": words}}`` matches,
    None for any other token (another attribute, an operator, a word with capitals)."""
    value = token.get("LOWER") if list(token) == ["LOWER"] else None
    if isinstance(value, dict) and list(value) == ["IN"]:
        value = value["IN"]
    words = [value] if isinstance(value, str) else value
    if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower() for w in words):
        return None
    return words


def _length(pattern: list[dict]) -> int | None:
    """The most tokens a match of ``pattern`` spans (None: no bound)."""
    if any(token.get("OP") not in (None, "!", "?") for token in pattern):  # one token each at most
        return None
    return len(pattern)


def token_matches(doc: Doc, lang: str, sentences: list[Sentence]) -> list[tuple[Span, TriggerRule]]:
    """The token-pattern triggers of ``doc`` inside its ``sentences``, by where they start.

    The Matcher tries every pattern at every token. Run only from the tokens matches start with
    (and followed by a token they go on with), over as many tokens as a match can span, it finds
    the same matches in a fraction of the time.
    """
    triggers = _token_triggers(doc, lang)
    strings, rules = doc.vocab.strings, triggers.rules
    if triggers.starts is None:
        return [(doc[s:e], rules[strings[m]]) for m, s, e in triggers.matcher(doc)]
    starts = token_table(doc).starts
    sentence_starts = [s.start for s in sentences]
    lowers = doc.to_array(LOWER).tolist()
    out: list[tuple[Span, TriggerRule]] = []
    for i in [i for i, word in enumerate(lowers) if word in triggers.starts]:
        start = triggers.starts[lowers[i]]
        index = bisect.bisect_right(sentence_starts, starts[i]) - 1
        if index < 0 or starts[i] >= sentences[index].end:
            continue
        stop = bisect.bisect_left(starts, sentences[index].end, lo=i)
        if start.follows is not None and (i + 1 >= stop or lowers[i + 1] not in start.follows):
            continue
        if start.reach is not None:
            stop = min(stop, i + start.reach)
        out += [(doc[i : i + e], rules[strings[m]]) for m, s, e in triggers.matcher(doc[i:stop]) if s == 0]
    return out


def _first_token_spelt_out(pattern: list[dict]) -> list[list[dict]]:
    """``pattern`` once per word of its first token's ``{"LOWER": {"IN": [...]}}``, else as it is.

    The Matcher tries the first token of every pattern at every token of the text: a plain value
    is compared in C, an ``IN`` list calls a Python predicate (two thirds of the matching time).
    The matches are the same.
    """
    first, rest = pattern[0], pattern[1:]
    words = _lowers(first) if isinstance(first.get("LOWER"), dict) else None
    if not words:
        return [pattern]
    return [[{"LOWER": word}, *rest] for word in dict.fromkeys(words)]


# --------------------------------------------------------------------------- triggers


def find_triggers(doc: Doc, lang: str, result: DocExtraction) -> list[TriggerMention]:
    """Trigger mentions in document order, outside entity names, planned and denied ones dropped."""
    text = doc_text(doc)
    found: list[tuple[int, int, TriggerRule, int | None, bool]] = []
    if any("pattern" in row for row in trigger_rules(lang)):
        for span, rule in _longest(token_matches(doc, lang, result.sentences)):
            found.append((span.start_char, span.end_char, rule, span.root.i, span[-1].tag_ == "NNS"))
    pattern, phrase_rules = _phrase_pattern(lang)
    if pattern is not None:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), phrase_rules[m.group().casefold()], None, False))
    names = sorted((m.start, m.end) for e in result.entities if e.kind != "Country" for m in e.mentions)
    starts = [s.start for s in result.sentences]
    out: list[TriggerMention] = []
    for start, end, rule, head, plural in sorted(found, key=lambda f: f[0]):
        if _inside_name(names, start, end):
            continue
        index = bisect.bisect_right(starts, start) - 1
        if index < 0 or start >= result.sentences[index].end:
            continue
        sentence = result.sentences[index]
        before, after = text[sentence.start : start], text[end : sentence.end]
        if rule.label != "*" and _modal(lang, before):
            continue
        if rule.needs and not _names_kind(result, index, rule.needs):
            continue
        anaphor = rule.anaphor or _definite(lang, doc, head, before, after)
        out.append(TriggerMention(rule.label, start, end, text[start:end], index, anaphor, head, plural))
    return _one_per_sentence(out)


def _longest(spans: list[tuple[Span, TriggerRule]]) -> list[tuple[Span, TriggerRule]]:
    """Overlapping token matches: keep the longest (then the first)."""
    kept: list[tuple[Span, TriggerRule]] = []
    for span, rule in sorted(spans, key=lambda s: (-(s[0].end - s[0].start), s[0].start)):
        if all(span.end <= k.start or span.start >= k.end for k, _ in kept):
            kept.append((span, rule))
    return sorted(kept, key=lambda s: s[0].start)


def _inside_name(names: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_right(names, (start, float("inf"))) - 1
    while i >= 0 and names[i][1] > start - 200:
        if names[i][0] <= start and end <= names[i][1]:
            return True
        i -= 1
    return False


def _modal(lang: str, before: str) -> bool:
    """The text just before the trigger says it is planned or did not happen."""
    return any(c.pattern.search(before) for c in _cues(lang, "plan") + _cues(lang, "negation"))


def _definite(lang: str, doc: Doc, head: int | None, before: str, after: str) -> bool:
    """A noun trigger that refers back: "the visit", "hội thảo này", "การประชุมครั้งนี้"."""
    for cue in _cues(lang, "definite"):
        # English: only a noun takes a determiner ("the delegation held talks" is not one).
        noun = head is None or doc[head].pos_ in ("NOUN", "PROPN")
        if cue.where == "before" and noun and cue.pattern.search(before):
            return True
        if cue.where == "after" and cue.pattern.search(after):
            return True
    return False


def _names_kind(result: DocExtraction, sentence: int, kind: str) -> bool:
    return any(e.kind == kind and any(m.sentence == sentence for m in e.mentions) for e in result.entities)


def _one_per_sentence(mentions: list[TriggerMention]) -> list[TriggerMention]:
    """Same-type triggers of one sentence ("Signing ceremony of the MoU") are one mention."""
    out: list[TriggerMention] = []
    for m in mentions:
        same = next((o for o in out if o.sentence == m.sentence and o.label == m.label), None)
        if same is None:
            out.append(m)
        else:
            same.anaphor = same.anaphor or m.anaphor
    return out


# --------------------------------------------------------------------------- events


def find_events(doc: Doc, result: DocExtraction) -> list[Event]:
    """The events reported in one parsed document."""
    lang = result.doc.lang
    triggers = find_triggers(doc, lang, result)
    if not triggers:
        return []
    text = result.doc.text
    entities = {e.id: e for e in result.entities if not any(m.rule.endswith(":credit") for m in e.mentions)}
    described = _described_mentions(result)
    by_sentence: dict[int, list[tuple[Entity, Mention]]] = {}
    for e in entities.values():
        for m in e.mentions:
            if (m.start, m.end, e.id) not in described:
                by_sentence.setdefault(m.sentence, []).append((e, m))
    for items in by_sentence.values():
        items.sort(key=lambda em: em[1].start)

    drafts: list[_Draft] = []
    last: _Draft | None = None
    arguments = {id(t): _arguments(doc, lang, t, triggers, by_sentence, result) for t in triggers}
    for t in triggers:
        args = arguments[id(t)]
        for piece, counterpart in _separate_sessions(t, args, by_sentence):
            if counterpart is None:
                target = _target(lang, t, drafts, last, piece, entities)
            else:  # a session of its own, unless one with this counterpart was reported already
                target = next((d for d in drafts if d.event_type == t.label and counterpart in d.roles), None)
            if target is None:
                if t.label == "*":
                    continue
                target = _Draft(t.label)
                drafts.append(target)
            target.mentions.append(t)
            for entity_id, role in piece:
                kind = entities[entity_id].kind
                if kind in PARTICIPANT_KINDS or (target.event_type == "Launch" and kind == "Initiative"):
                    role = role if role != "speaker" or kind == "Person" else ""
                    target.add(entity_id, _role(target.event_type, role))
            if target.location is None and t.label != "*":
                target.location = _location(text, lang, t, target.event_type, by_sentence, entities, result)
            last = target
    _add_delegation(text, lang, drafts, result)
    _add_speakers(text, lang, drafts, triggers, by_sentence, result)
    scan = DateScan(text, lang)
    ref, estimated = _reference(result, scan)
    # one scan of the date finder over the whole text; an estimated reference (a year) completes
    # day-month dates only, never a weekday or "yesterday"
    dates = [
        m for m in scan.resolve(ref)
        if m.value and not (estimated and m.relative and not any(ch.isdigit() for ch in normalise_digits(m.text)))
    ]
    for d in drafts:
        _date(d, text, lang, result, dates, ref)
    _inherit_from_occasions(drafts)
    return [_event(n, d, result, entities) for n, d in enumerate(drafts)]


def _separate_sessions(
    t: TriggerMention, args: list[tuple[str, str]], by_sentence: dict[int, list[tuple[Entity, Mention]]]
) -> list[tuple[list[tuple[str, str]], str | None]]:
    """ "held working sessions with A and B" (a plural trigger, several organisations after it) are
    one session with each: ``(arguments, counterpart)`` per session; the participants named before
    the trigger take part in all. Anything else is one piece without a counterpart."""
    if not t.plural or t.anaphor:
        return [(args, None)]
    after = {e.id for e, m in by_sentence.get(t.sentence, []) if m.start >= t.end and e.kind == "Organization"}
    counterparts = list(dict.fromkeys(a for a in args if a[0] in after))
    if len({e for e, _ in counterparts}) < 2:
        return [(args, None)]
    shared = [a for a in args if a[0] not in after]
    return [(shared + [c], c[0]) for c in counterparts]


def _described_mentions(result: DocExtraction) -> set[tuple[int, int, str]]:
    """Mentions that only describe another entity written just before them, in apposition.

    "Tran Hoang, Director of the Copyright Office" (the office), "a unit under the Ministry" (the
    ministry). A tail nested inside its head's name ("Office of X in Y") still counts.
    """
    out = set()
    for rel in result.relations:
        if rel.relation not in DESCRIPTIVE:
            continue
        head, tail = result.entity(rel.head), result.entity(rel.tail)
        heads = [m for m in head.mentions if m.sentence == rel.sentence]
        for m in tail.mentions:
            if m.sentence == rel.sentence and any(0 <= m.start - h.end <= 80 for h in heads):
                out.add((m.start, m.end, tail.id))
    return out


def _arguments(
    doc: Doc,
    lang: str,
    trigger: TriggerMention,
    triggers: list[TriggerMention],
    by_sentence: dict[int, list[tuple[Entity, Mention]]],
    result: DocExtraction,
) -> list[tuple[str, str]]:
    """(entity id, role cue) for the entities of the trigger's sentence that belong to it."""
    siblings = [t for t in triggers if t.sentence == trigger.sentence]
    items = by_sentence.get(trigger.sentence, [])
    text = doc_text(doc)
    sentence = result.sentences[trigger.sentence]
    out: list[tuple[str, str]] = []
    previous_role = ""
    # whether the sentence reports speech: the same for every mention in it
    speech = bool(items) and any(c.pattern.search(text, sentence.start, sentence.end) for c in _cues(lang, "speaker"))
    for n, (entity, mention) in enumerate(items):
        owner = _owner(doc, mention, siblings) if len(siblings) > 1 else trigger
        role = _cue_role(text, lang, sentence, trigger, mention, items[n - 1][1] if n else None, previous_role,
                         speech)
        previous_role = role
        if owner is trigger:
            out.append((entity.id, role))
    return out


def _owner(doc: Doc, mention: Mention, siblings: list[TriggerMention]) -> TriggerMention:
    """The trigger an entity mention belongs to: in English the one whose subtree holds it."""
    if all(t.head is not None for t in siblings):
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            ancestors = {a.i: depth for depth, a in enumerate(span.root.ancestors)}
            holders = [t for t in siblings if t.head in ancestors or t.head == span.root.i]
            if holders:
                return min(holders, key=lambda t: -1 if t.head == span.root.i else ancestors[t.head])
    return min(siblings, key=lambda t: min(abs(mention.start - t.end), abs(t.start - mention.end)))


#: Between a visit and its visitor named after it: "visit of (Korean Minister) X", "thăm của X", "เยือนของ X".
_VISIT_BY = re.compile(r"\s*(?:(?:by|of)\s|của\s|ของ)[^.;,:\n]{0,50}$", re.IGNORECASE)


def _cue_role(
    text: str,
    lang: str,
    sentence: Sentence,
    trigger: TriggerMention,
    mention: Mention,
    previous: Mention | None,
    previous_role: str,
    speech: bool,
) -> str:
    """The role a cue next to the mention gives it, or "" (lists share the role of their head);
    ``speech``: the sentence has a speaker cue."""
    sentence_start = sentence.start
    before = text[max(sentence_start, mention.start - 120) : mention.start]
    after = text[mention.end : mention.end + 80]
    agent_text = text[max(sentence_start, trigger.start - 60) : trigger.start]
    for role in ("organizer", "host", "moderator"):
        for cue in _cues(lang, role, trigger.label if trigger.label != "*" else ""):
            if cue.where == "by" and cue.pattern.search(before):
                return role
            if cue.where == "after" and cue.pattern.search(after):
                return role
            if cue.where == "agent" and mention.end <= trigger.start and cue.pattern.search(agent_text):
                return role
    if previous is not None and previous_role in ("organizer", "host"):
        glue = text[previous.end : mention.start]
        if any(c.pattern.search(glue) for c in _cues(lang, "list")):
            return previous_role
    if trigger.label == "Visit":
        if mention.end <= trigger.start or _VISIT_BY.match(text, trigger.end, mention.start):
            return "visitor"  # "X visited Y", "the visit of Minister X to Y", "chuyến thăm của X"
        return "host"
    return "speaker" if speech else ""


def _role(event_type: str, cue_role: str) -> str:
    if cue_role in ("organizer", "host", "moderator", "visitor"):
        return cue_role
    if event_type == "Agreement" and cue_role != "speaker":
        return "signatory"
    return cue_role or "participant"


def _target(
    lang: str,
    t: TriggerMention,
    drafts: list[_Draft],
    last: _Draft | None,
    args: list[tuple[str, str]],
    entities: dict[str, Entity],
) -> _Draft | None:
    """The earlier event this mention refers to, or None for a new event."""
    if t.label == "*":  # "the event": the last occasion reported, else the last event
        occasions = [d for d in drafts if d.event_type in OCCASIONS]
        return last if last is None or last.event_type in OCCASIONS or not occasions else occasions[-1]
    same = [d for d in drafts if d.event_type == t.label]
    if not same:
        return None
    if t.anaphor:  # "the working session ... with X": the one with X, else the last one
        mine = {e for e, _ in args}
        sharing = [d for d in same if mine & set(d.roles)]
        return sharing[-1] if sharing else last if last in same else same[-1]
    if t.label != "Launch" and lang not in MARKS_DEFINITENESS:
        return last if last in same else same[-1]
    kinds = ("Initiative",) if t.label == "Launch" else PARTICIPANT_KINDS
    mine = {e for e, _ in args if entities[e].kind in kinds}
    for d in reversed(same):
        theirs = {e for e in d.roles if entities[e].kind in kinds}
        if not mine or not theirs or mine & theirs:
            return d
    return None


def _location(
    text: str,
    lang: str,
    t: TriggerMention,
    event_type: str,
    by_sentence: dict[int, list[tuple[Entity, Mention]]],
    entities: dict[str, Entity],
    result: DocExtraction,
) -> str | None:
    """A place, country or venue after a locative cue in the trigger's sentence, nearest after it."""
    sentence = result.sentences[t.sentence]
    # A place inside an organisation's name is part of the name ("Chamber of Commerce in Vietnam"),
    # except in a local office's name, which says where the office is.
    names = [(m.start, m.end) for e in result.entities if e.kind != "Place" and e.kind != "Country"
             for m in e.mentions if m.sentence == t.sentence and m.rule != "branch"]
    candidates = []
    for e in result.entities:
        if e.kind not in ("Place", "Country", "Organization"):
            continue
        for m in e.mentions:
            if m.sentence != t.sentence or any(s <= m.start and m.end <= e_ and (s, e_) != (m.start, m.end)
                                               for s, e_ in names):
                continue
            before = text[max(sentence.start, m.start - 40) : m.start]
            if any(c.pattern.search(before) for c in _cues(lang, "location", event_type) if c.where == "by"):
                distance = m.start - t.end if m.start >= t.end else 10_000 + t.start - m.end
                candidates.append((distance, e.id))
    return min(candidates)[1] if candidates else None


def _add_speakers(
    text: str,
    lang: str,
    drafts: list[_Draft],
    triggers: list[TriggerMention],
    by_sentence: dict[int, list[tuple[Entity, Mention]]],
    result: DocExtraction,
) -> None:
    """People quoted in the article speak at its one occasion, or at the launch of what they talk about."""
    occasions = [d for d in drafts if d.event_type in OCCASIONS]
    occasion = occasions[0] if len(occasions) == 1 else drafts[0] if len(drafts) == 1 else None
    launches = [d for d in drafts if d.event_type == "Launch"]
    with_trigger = {t.sentence for t in triggers}
    speech = _cues(lang, "speaker")
    for index, items in by_sentence.items():
        if index in with_trigger:
            continue
        people = [e.id for e, _ in items if e.kind == "Person"]
        if not people:
            continue
        sentence = result.sentences[index]
        if not any(c.pattern.search(text, sentence.start, sentence.end) for c in speech):
            continue
        topics = {e.id for e, _ in items if e.kind == "Initiative"}
        targets = [d for d in launches if topics & set(d.roles)]
        if occasion is not None:
            targets.append(occasion)
        for d in targets:
            for person in people:
                d.add(person, "speaker")


def _add_delegation(text: str, lang: str, drafts: list[_Draft], result: DocExtraction) -> None:
    """ "A delegation from X ... the delegation held talks": X takes part in the delegation's events."""
    names = sorted((m.start, m.end, e) for e in result.entities for m in e.mentions)
    nouns = [m for c in _cues(lang, "delegation") for m in c.pattern.finditer(text)]
    nouns = [m for m in nouns if not any(s <= m.start() < e for s, e, _ in names)]
    owner = None
    for noun in sorted(nouns, key=lambda m: m.start()):
        owner = next((e for s, _, e in names if noun.end() <= s <= noun.end() + 20 and e.kind == "Organization"
                      and re.fullmatch(r"\s*(?:from|of|của|จาก)?\s*(?:the\s+)?", text[noun.end() : s], re.I)), None)
        if owner is not None:
            break
    if owner is None:
        return
    sentences = {s.index for s in result.sentences for n in nouns if s.start <= n.start() < s.end}
    for d in drafts:
        if owner.id not in d.roles and any(t.sentence in sentences for t in d.mentions if t.label != "*"):
            d.add(owner.id, "visitor" if d.event_type == "Visit" else "participant")


def _reference(result: DocExtraction, scan: DateScan) -> tuple[str | None, bool]:
    """(reference date, estimated): the document's date, else mid-year of the year it mentions most."""
    if result.doc.date:
        return result.doc.date, False
    years = Counter(int(m.value[:4]) for m in scan.resolve() if m.value and not m.relative)
    if not years:
        return None, False
    year = max(years, key=lambda y: (years[y], y))
    return f"{year:04d}-07-01", True


def _date(d: _Draft, text: str, lang: str, result: DocExtraction, dates: list[DateMatch], ref: str | None) -> None:
    """The date nearest the trigger in the first mention sentence that has one; else "recently"."""
    for t in d.mentions:
        sentence = result.sentences[t.sentence]
        matches = [m for m in dates if sentence.start <= m.start and m.end <= sentence.end]
        if matches:
            d.date = min(matches, key=lambda m: abs(m.start - t.start))
            return
        if any(c.pattern.search(text, sentence.start, sentence.end) for c in _cues(lang, "recent")):
            d.recent = True
        if any(c.pattern.search(text, sentence.start, sentence.end) for c in _cues(lang, "occasion")):
            d.same_occasion = True  # dated by the event before it, if any (_inherit_from_occasions)
    if d.recent and ref:
        d.date = DateMatch("", 0, 0, ref[:4], None, "year", True)


def _inherit_from_occasions(drafts: list[_Draft]) -> None:
    """An event reported in a sentence about another one ("at the workshop ... announced") happened there;
    one reported "on this occasion" or "on the same day" happened when the dated one reported before it did."""
    first = {id(d): min(t.sentence for t in d.mentions) for d in drafts}
    for d in drafts:
        if d.same_occasion and (d.date is None or not d.date.text):  # none, or only "recently"
            before = [o for o in drafts if o.date is not None and first[id(o)] < first[id(d)]]
            if before:
                occasion = max(before, key=lambda o: first[id(o)])
                d.date = occasion.date
    for d in drafts:
        if d.date is not None and d.location is not None:
            continue
        sentences = {t.sentence for t in d.mentions}
        for other in drafts:
            if other is d or other.event_type not in OCCASIONS:
                continue
            if sentences & {t.sentence for t in other.mentions if t.label != "*"}:
                d.date = d.date or other.date
                d.location = d.location or other.location


def _event(n: int, d: _Draft, result: DocExtraction, entities: dict[str, Entity]) -> Event:
    first = next((t for t in d.mentions if t.label != "*" and not t.anaphor), None) or next(
        t for t in d.mentions if t.label != "*"
    )
    arguments = [
        Argument(entity_id, min(roles, key=ROLE_ORDER.index)) for entity_id, roles in d.roles.items()
    ]
    date = d.date.value if d.date else None
    end_date = d.date.end_value if d.date else None
    names = [entities[a.entity].label for a in arguments if entities[a.entity].kind != "Person"][:3]
    label = f"{d.event_type}: {first.text}"
    if names:
        label += " – " + ", ".join(names)
    if date:
        label += f" ({date})"
    return Event(
        id=f"ev{n}",
        event_type=d.event_type,
        trigger=first.text,
        sentence=first.sentence,
        start=first.start,
        end=first.end,
        date=date,
        end_date=end_date,
        location=d.location,
        arguments=arguments,
        label=label,
    )
