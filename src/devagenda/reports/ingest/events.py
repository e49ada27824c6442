"""What the narrative says happened to projects: approved, ongoing, completed, evaluated,
mainstreamed.

Each chapter lists its mainstreamed and ongoing projects under headings of those names,
one project a listed item (or a paragraph when there is one). The heading states the
project's state in the report's year without a date; an "ongoing" heading gives way to
what the entry itself states of the project (a phase II listed there may just have been
approved). Inside an entry and its footnotes, sentences whose subject is the project
("项目于2023年12月实施完成", "项目第二阶段在CDIP第三十一届会议上批准", "项目于2018年12月
完成后") add events, dated only as the text dates them; a sentence about something else
("乌干达的国家项目已于2023年完成") does not. The paragraph on the committee's evaluations
lists the projects evaluated; it reports on several projects, so it does not decide their
sector. An entry whose project cannot be named is left out rather than guessed.

Beneficiaries are the countries an entry names as such, and the places where the project
was carried out. Under "mainstreamed", work in a place continues the project as regular
work: only places stated of the project itself count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from devagenda.core.numerals import numeral_to_int, session_number
from devagenda.reports.ingest.document import (
    AnnexProject,
    EventKind,
    Location,
    Paragraph,
    ProjectEvent,
    ProjectGroup,
)
from devagenda.reports.ingest.sessions import find_session_dates
from devagenda.reports.ingest.structure import Block
from devagenda.reports.ingest.titles import match_project, title_key

# The countries a text names: (start, end, alpha3) of each name.
CountryFinder = Callable[[str], list[tuple[int, int, str]]]
LIST_SEPARATORS = re.compile(r"^(?:[\s、，,]|以及|和|及|and)*$")

GROUP_OF_KIND = {
    EventKind.APPROVED: ProjectGroup.APPROVED,
    EventKind.ONGOING: ProjectGroup.ONGOING,
    EventKind.COMPLETED: ProjectGroup.COMPLETED_EVALUATED,
    EventKind.EVALUATED: ProjectGroup.COMPLETED_EVALUATED,
    EventKind.MAINSTREAMED: ProjectGroup.COMPLETED_EVALUATED,
}
SECTION_KINDS = (
    (re.compile(r"已纳入主流的.*项目|mainstreamed.*projects?", re.I), EventKind.MAINSTREAMED),
    (re.compile(r"正在实施的.*项目|ongoing.*projects?", re.I), EventKind.ONGOING),
)
MONTHS = "January February March April May June July August September October November December"
MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS.split(), start=1)}
MAX_TITLE_CHARS = 90
HEAD_CHARS = 120


@dataclass(frozen=True)
class EventGrammar:
    """How one language words titles, dated events and beneficiaries."""

    titles: tuple[re.Pattern[str], ...]
    title_colon: str
    sentence_end: re.Pattern[str]
    stated_phase: re.Pattern[str]
    subject: re.Pattern[str]  # the project as a sentence's subject: "该项目第一阶段"
    completed: re.Pattern[str]  # what follows the subject
    completed_before: re.Pattern[str]
    started: re.Pattern[str]  # what follows the subject: "于2023年开始实施"
    implemented_from: re.Pattern[str]  # "从2016年至2018年在四个试点国家实施"
    evaluated_after: re.Pattern[str]
    evaluated_report: re.Pattern[str]
    approved: re.Pattern[str]
    evaluations_paragraph: re.Pattern[str]
    beneficiaries: tuple[re.Pattern[str], ...]
    places: re.Pattern[str]


_ZH_DATE = r"(?P<year>\d{4})年(?:(?P<month>\d{1,2})月)?"
_ZH_SESSION = r"第(?P<session>[一二三四五六七八九十]+|\d+)届会议"

CHINESE = EventGrammar(
    titles=(
        re.compile(r"^关于(?P<title>.{4,80}?)的(?:发展议程)?项目"),
        re.compile(
            r"负责(?:实施|落实)(?:(?P<proposer>[^，。；]{1,30}?)提议的)?(?P<title>.{4,80}?)项目"
        ),
        re.compile(r"^(?P<title>[^。：]{4,80}?)项目(?=已|于|活动|以及|：|，)"),
    ),
    title_colon="：",
    sentence_end=re.compile(r"[。；]"),
    stated_phase=re.compile(r"第([一二三])阶段"),
    subject=re.compile(
        r"(?:(?:应|值得)?(?:提及|注意|一提)的是)?(?:该|本|此)?(?:发展议程)?项目(?:活动)?"
        r"(?:的)?(?:第(?P<phase>[一二三])阶段)?"
    ),
    completed=re.compile(
        rf"[，,]?(?:已经|已)?(?:于{_ZH_DATE})?(?:在[^，。；]{{1,25}}?)?(?:实施|圆满|成功)?完成(?!了)"
    ),
    completed_before=re.compile(rf"已于{_ZH_DATE}完成的(?:该)?项目第(?P<phase>[一二三])阶段"),
    started=re.compile(rf"[，,]?(?:已)?(?:于{_ZH_DATE})(?:开始|启动)(?:实施)?"),
    implemented_from=re.compile(
        r"[^，。；]{0,15}?从(?P<year>\d{4})年(?:(?P<month>\d{1,2})月)?至\d{4}年[^，。；]{0,20}?实施"
    ),
    evaluated_after=re.compile(rf"并(?:于|在){_ZH_DATE}(?:进行了|经过)?(?:审评|评价)"),
    evaluated_report=re.compile(
        rf"(?:在{_ZH_SESSION}上，)?(?:CDIP|委员会)(?:讨论并)?审议了该项目的"
        r"(?:完成和)?(?:最终)?(?:独立)?(?:审评|评价)报告"
    ),
    approved=re.compile(rf"(?:已)?在CDIP{_ZH_SESSION}上(?:获得?)?批准"),
    evaluations_paragraph=re.compile(
        r"审议了以下\S{1,3}个(?:发展议程)?项目的(?:完成和)?(?:最终)?(?:独立)?(?:评价|审评)报告"
    ),
    beneficiaries=(
        re.compile(
            r"(?:受益国|受益成员国|参与国)[^：:。；，]{0,10}?(?:是|为|：|:)(?P<list>[^。；]*)"
        ),
    ),
    places=re.compile(r"在(?P<list>[^，。；在]{2,40}?)(?:开展|实施|启动|圆满完成|完成)"),
)

_EN_DATE = rf"(?:(?P<month>{MONTHS.replace(' ', '|')})\s+)?(?P<year>\d{{4}})"
_EN_SESSION = r"(?P<session>[\w-]+) session"

ENGLISH = EventGrammar(
    titles=(
        re.compile(
            r"(?:the )?project,? proposed by (?P<proposer>[^,.;:]{2,80}?),? on "
            r"(?P<title>.{4,120}?)(?= was| has|,|:|\.)",
            re.I,
        ),
        re.compile(r"^(?:the )?project on (?P<title>.{4,120}?)(?= was| has|,|:)", re.I),
        re.compile(r"^(?P<title>[^.:]{4,120}?) project(?= was| has|,|:)", re.I),
    ),
    title_colon=":",
    sentence_end=re.compile(r"\.(?:\s|$)|;"),
    stated_phase=re.compile(r"\bphase (I{1,3}|\d)\b", re.I),
    subject=re.compile(
        r"(?:the )?(?:DA )?(?:project(?:'s)?(?: phase (?P<phase>I{1,3}|\d))?"
        r"|phase (?P<phase_of>I{1,3}|\d) of the project)\s*",
        re.I,
    ),
    completed=re.compile(
        rf"\s*(?:was|has been) (?:successfully )?completed(?: in {_EN_DATE})?", re.I
    ),
    completed_before=re.compile(
        rf"phase (?P<phase>I{{1,3}}|\d) of the project,? (?:which was )?completed in {_EN_DATE}",
        re.I,
    ),
    started=re.compile(rf"\s*(?:was |has been )?(?:started|launched) in {_EN_DATE}", re.I),
    implemented_from=re.compile(
        rf"\s*(?:was )?implemented[^.;]{{0,60}}? from {_EN_DATE} to \d{{4}}", re.I
    ),
    evaluated_after=re.compile(rf"and (?:was )?evaluated in {_EN_DATE}", re.I),
    evaluated_report=re.compile(
        rf"(?:at (?:its|the) {_EN_SESSION},? )?the (?:CDIP|Committee) considered the "
        r"(?:completion and )?(?:evaluation|review) reports? of the project",
        re.I,
    ),
    approved=re.compile(rf"\s*(?:was )?approved (?:at|by) the {_EN_SESSION}", re.I),
    evaluations_paragraph=re.compile(
        r"(?:completion and )?(?:final )?(?:independent )?evaluation reports of the following",
        re.I,
    ),
    beneficiaries=(
        re.compile(r"beneficiar(?:y|ies)[^.;:]{0,30}?(?:are|were|:)(?P<list>[^.;]*)", re.I),
    ),
    places=re.compile(
        r"\b(?:in|for) (?P<list>[A-Z][^.;:]{2,80}?) (?:was|were) (?:implemented|launched|completed)"
    ),
)


@dataclass
class EventContext:
    """What event reading needs from the rest of the document."""

    annex: list[AnnexProject]
    year: int | None
    countries: CountryFinder
    footnotes: dict[int, str]
    english: bool = False
    sessions: dict[int, int] = field(default_factory=dict)  # CDIP session -> year held

    @property
    def grammar(self) -> EventGrammar:
        return ENGLISH if self.english else CHINESE


@dataclass(frozen=True)
class _Entry:
    """One project's text in a project section: a listed item or a whole paragraph."""

    text: str
    location: Location
    chapter: int | None
    footnotes: tuple[int, ...]


def read_events(
    paragraphs: list[Paragraph], blocks: list[Block], context: EventContext
) -> list[ProjectEvent]:
    """Events stated in project sections and in the paragraph on evaluations."""
    dated = find_session_dates(paragraphs)
    context = replace(context, sessions={session.number: session.start.year for session in dated})
    events: list[ProjectEvent] = []
    for entry, kind in _section_entries(paragraphs):
        events.extend(_entry_events(entry, kind, context))
    for paragraph, block in zip(paragraphs, _paragraph_blocks(paragraphs, blocks), strict=True):
        events.extend(_evaluations(paragraph, block, context))
    return events


def _paragraph_blocks(paragraphs: list[Paragraph], blocks: list[Block]) -> list[Block]:
    """The block of each paragraph's own line, in the same order as `paragraphs`."""
    own = {(b.owner.number, b.location.line): b for b in blocks if b.location.sub_item is None}
    return [own[(p.number, p.line)] for p in paragraphs]


def _section_entries(paragraphs: list[Paragraph]) -> Iterator[tuple[_Entry, EventKind]]:
    """Each project of a mainstreamed or ongoing section, with that section's kind."""
    for paragraph in paragraphs:
        kind = next(
            (kind for pattern, kind in SECTION_KINDS if pattern.search(paragraph.section or "")),
            None,
        )
        if kind is None:
            continue
        items = [item for item in paragraph.sub_items if item.line != paragraph.line]
        if not items:
            location = Location(paragraph.line, paragraph.number, heading=paragraph.section)
            entry = _Entry(paragraph.text, location, paragraph.chapter, tuple(paragraph.footnotes))
            yield entry, kind
        for item in items:
            location = Location(item.line, paragraph.number, item.label, heading=paragraph.section)
            yield _Entry(item.text, location, paragraph.chapter, tuple(item.footnotes)), kind


@dataclass(frozen=True)
class _Stated:
    """What one sentence says happened to the project, before it is matched to a row."""

    kind: EventKind
    year: int | None
    month: int | None
    phase: int | None
    evidence: str
    footnote: int | None = None  # the footnote that says it, when one does
    session: int | None = None  # the CDIP session it happened at


STAGE_KINDS = (EventKind.APPROVED, EventKind.ONGOING, EventKind.COMPLETED, EventKind.EVALUATED)


def _entry_events(entry: _Entry, kind: EventKind, context: EventContext) -> list[ProjectEvent]:
    grammar = context.grammar
    title, title_end, proposed_by = _entry_title(entry.text, grammar, context.annex)
    if title is None:
        return []
    stated_phase = grammar.stated_phase.search(title)
    phase = _phase_value(stated_phase.group(1)) if stated_phase else None
    heading = _Stated(kind, None, None, phase, entry.location.heading or "")
    stated = _dated_events(entry.text, title_end, grammar, context.sessions)
    for number in entry.footnotes:
        note = context.footnotes.get(number, "")
        for found in _dated_events(note, 0, grammar, context.sessions, titled=False):
            stated.append(replace(found, footnote=number))
    head = entry.text[:HEAD_CHARS]
    rows = [_row_of(context, title, head, found) for found in [heading, *stated]]
    heading_row, stated_rows = rows[0], rows[1:]
    # What the entry says of the project itself is more specific than the section's name.
    if kind is EventKind.ONGOING and any(
        found.kind in STAGE_KINDS and row is heading_row
        for found, row in zip(stated, stated_rows, strict=True)
    ):
        found_rows = list(zip(stated, stated_rows, strict=True))
    else:
        found_rows = [(heading, heading_row), *zip(stated, stated_rows, strict=True)]
    footnote_texts = [context.footnotes.get(number, "") for number in entry.footnotes]
    beneficiaries = _beneficiaries(
        [entry.text, *footnote_texts], context, continued=kind is EventKind.MAINSTREAMED
    )
    events = []
    for found, row in found_rows:
        location = entry.location
        if found.footnote is not None:
            location = Location(location.line, location.paragraph, footnote=found.footnote)
        event = ProjectEvent(
            found.kind,
            title,
            location,
            found.year,
            found.month,
            entry.chapter,
            session=found.session,
            proposed_by=proposed_by,
            evidence=found.evidence,
        )
        event.beneficiaries = list(beneficiaries)
        if row is not None:
            event.annex_group, event.annex_row = row.group, row.row
        events.append(event)
    return events


def _row_of(context: EventContext, title: str, head: str, found: _Stated) -> AnnexProject | None:
    return match_project(
        context.annex, [title], head, phase=found.phase, group=GROUP_OF_KIND[found.kind]
    )


def _entry_title(
    text: str, grammar: EventGrammar, annex: list[AnnexProject]
) -> tuple[str | None, int, str | None]:
    """The project's name as the entry prints it, where the rest of the entry starts, and
    who proposed it when the entry says so ("突尼斯提议的…项目")."""
    for pattern in grammar.titles:
        found = pattern.search(text)
        if found:
            proposer = found.groupdict().get("proposer")
            return _unquote(found.group("title")), found.end(), proposer
    first_sentence = grammar.sentence_end.split(text, maxsplit=1)[0]
    colon = first_sentence.find(grammar.title_colon)
    if 0 < colon <= MAX_TITLE_CHARS:
        return _unquote(text[:colon]), colon + 1, None
    row = match_project(annex, head=text[:HEAD_CHARS])
    if row is None:
        return None, 0, None
    end = _printed_prefix_end(text, len(title_key(row.title)))
    return _unquote(text[:end]), end, None


def _printed_prefix_end(text: str, key_length: int) -> int:
    """Where the printed text whose key is `key_length` long ends, with a bracketed
    acronym that follows it ("知识产权技术援助数据库（IP-TAD）")."""
    for end in range(1, len(text) + 1):
        if len(title_key(text[:end])) >= key_length:
            bracket = re.match(r"（[^（）]{1,15}）|\([^()]{1,15}\)", text[end:])
            return end + (bracket.end() if bracket else 0)
    return len(text)


def _unquote(title: str) -> str:
    return title.strip().strip("“”\"'")


def _dated_events(
    text: str,
    start: int,
    grammar: EventGrammar,
    sessions: dict[int, int],
    *,
    titled: bool = True,
) -> list[_Stated]:
    """What the sentences of an entry (or of a footnote to it) say happened; the first
    sentence of an entry follows its title (`titled`)."""
    events = []
    for index, sentence in enumerate(grammar.sentence_end.split(text[start:])):
        first = titled and index == 0
        events.extend(_sentence_events(sentence.strip(), first, grammar, sessions))
    return events


def _sentence_events(
    sentence: str, titled: bool, grammar: EventGrammar, sessions: dict[int, int]
) -> Iterator[_Stated]:
    """Events in one sentence. Completion, start and approval count only when the project
    is the subject: named by "该项目…", or by its title just before (`titled`)."""
    subject = grammar.subject.match(sentence)
    if subject is not None or titled:
        start = subject.end() if subject else 0
        phase = _phase_value(_subject_phase(subject))
        if found := grammar.completed.match(sentence, start):
            yield _Stated(EventKind.COMPLETED, *_date(found), phase, sentence[: found.end()])
            if after := grammar.evaluated_after.search(sentence, found.end()):
                yield _Stated(EventKind.EVALUATED, *_date(after), phase, after.group(0))
        for pattern in (grammar.started, grammar.implemented_from):
            if found := pattern.match(sentence, start):
                yield _Stated(EventKind.ONGOING, *_date(found), phase, sentence[: found.end()])
        if found := grammar.approved.match(sentence, start):
            number, year = _session(found, sessions)
            evidence = sentence[: found.end()]
            yield _Stated(EventKind.APPROVED, year, None, phase, evidence, session=number)
    if found := grammar.completed_before.search(sentence):
        phase = _phase_value(found.group("phase"))
        yield _Stated(EventKind.COMPLETED, *_date(found), phase, found.group(0))
    if found := grammar.evaluated_report.search(sentence):
        number, year = _session(found, sessions)
        yield _Stated(EventKind.EVALUATED, year, None, None, found.group(0), session=number)


def _subject_phase(subject: re.Match[str] | None) -> str | None:
    if subject is None:
        return None
    return next((value for value in subject.groupdict().values() if value), None)


def _date(found: re.Match[str]) -> tuple[int | None, int | None]:
    """Year and month of a match: "2023年7月" or "July 2023"."""
    year, month = found.group("year"), found.group("month")
    if not month:
        return (int(year) if year else None, None)
    number = int(month) if month.isdigit() else MONTH_NUMBERS[month.lower()]
    return (int(year) if year else None, number)


def _session(found: re.Match[str], sessions: dict[int, int]) -> tuple[int | None, int | None]:
    """The CDIP session a match names, and the year it was held in when the report says."""
    printed = found.group("session")
    number = session_number(printed) if printed else None
    return number, sessions.get(number) if number is not None else None


def _phase_value(printed: str | None) -> int | None:
    return numeral_to_int(printed) if printed else None


def _evaluations(paragraph: Paragraph, block: Block, context: EventContext) -> list[ProjectEvent]:
    """The projects whose completion and evaluation reports the committee considered.

    The paragraph states no date, and it reports on several projects at once, so it
    decides neither when they were evaluated nor their sector."""
    found = context.grammar.evaluations_paragraph.search(paragraph.text)
    if not found:
        return []
    events = []
    for item in block.items:
        title = _unquote(item.text)
        row = match_project(context.annex, [title], group=ProjectGroup.COMPLETED_EVALUATED)
        location = Location(paragraph.line, paragraph.number, item.label, heading=paragraph.section)
        event = ProjectEvent(EventKind.EVALUATED, title, location, evidence=found.group(0))
        if row is not None:
            event.annex_group, event.annex_row = row.group, row.row
        events.append(event)
    return events


def _beneficiaries(texts: list[str], context: EventContext, *, continued: bool) -> list[str]:
    """Countries named as beneficiaries, or as where the project was carried out. For a
    project whose work `continued` as regular work after it ended, a place counts only
    when a sentence says the project itself was carried out there."""
    grammar = context.grammar
    codes: list[str] = []
    for index, text in enumerate(texts):
        for pattern in grammar.beneficiaries:
            for found in pattern.finditer(text):
                codes.extend(code for _, _, code in context.countries(found.group("list")))
        for sentence_index, sentence in enumerate(grammar.sentence_end.split(text)):
            about_project = bool(grammar.subject.match(sentence.strip())) or (
                index == 0 and sentence_index == 0
            )
            if continued and not about_project:
                continue
            for found in grammar.places.finditer(sentence):
                named = context.countries(found.group("list"))
                if _only_countries(found.group("list"), named):
                    codes.extend(code for _, _, code in named)
    return list(dict.fromkeys(codes))


def _only_countries(text: str, named: list[tuple[int, int, str]]) -> bool:
    """Whether `text` is a list of the country names found in it and nothing else."""
    rest, position = [], 0
    for start, end, _ in named:
        rest.append(text[position:start])
        position = end
    rest.append(text[position:])
    return bool(named) and all(LIST_SEPARATORS.match(piece) for piece in rest)
