"""Names: one thing should be called one way throughout the report.

Readers and the knowledge base join facts on names (an expected result's title, a
database's name, a project's title, a country), so a second spelling splits one thing in
two. Each finding names the variant, where it occurs, and the form used elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from devagenda.reports.ingest.document import Location, ReportDocument
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.lint.projects import matching_rows, narrative_mentions
from devagenda.reports.lint.text import all_units, loose_key, project_key, quote
from devagenda.reports.messages import Message, message

if TYPE_CHECKING:
    from devagenda.reference.gazetteer import Gazetteer


@check("DA-NAM-001", Severity.WARNING)
def expected_result_titles(context: LintContext) -> Iterator[Flag]:
    """An expected-result code carries one title in every Annex I row.

    The titles are quoted from the Medium-Term Strategic Plan, so a second wording is a
    translation slip; the form most rows use is taken as the intended one.
    """
    rows: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for recommendation in context.doc.annex_recommendations:
        for link in recommendation.expected_results:
            title = link.title.strip()
            rows[link.code][title].append((recommendation.number, link.line))
    for code, titles in rows.items():
        if len(titles) < 2:
            continue
        usual = max(titles, key=lambda t: len(titles[t]))
        usual_rows = [number for number, _ in titles[usual]]
        for title, places in titles.items():
            if title == usual:
                continue
            numbers = [number for number, _ in places]
            yield Flag(
                Location(line=places[0][1], annex="I", row=numbers[0]),
                message(
                    "names.expected_result_title",
                    code=code,
                    title=quote(title, 80),
                    count=len(numbers),
                    rows=numbers,
                    usual=quote(usual, 80),
                    others=len(usual_rows),
                    usual_rows=usual_rows,
                ),
            )


# Latin-script names: "WIPO GREEN", "IP-TAD", "IP TAD", "PATENTSCOPE".
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z0-9]*(?:[ \-][A-Za-z0-9]+)*")
_URL = re.compile(
    r"(?:https?://|www\d*\.)[^\s，。；）)]*|[A-Za-z0-9.\-]+\.(?:int|org|com|net)\b[^\s，。；）)]*"
)


@dataclass(frozen=True)
class Spelling:
    text: str
    location: Location


def latin_spellings(doc: ReportDocument) -> Iterator[Spelling]:
    """Every Latin-script name in the report outside web addresses, in reading order."""
    texts = [(unit.text, unit.location) for unit in all_units(doc)]
    texts += [(h.title, Location(line=h.line, heading=h.title)) for h in doc.headings]
    texts += [
        (row.title, Location(line=row.line, annex="II", row=row.row)) for row in doc.annex_projects
    ]
    for text, location in sorted(texts, key=lambda pair: pair[1].line):
        for found in _LATIN_NAME.finditer(_URL.sub(" ", text)):
            yield Spelling(found.group(), location)


def name_key(name: str) -> str:
    """How a name compares: "IP-TAD", "IP TAD" and "ip tad" are one name."""
    return re.sub(r"[\s\-]", "", name).casefold()


def is_typo(rare: str, common: str) -> bool:
    """One letter dropped, added or changed inside a name of six letters or more.

    Edits at either end are not typos but other names: "IPO GREEN" is not "WIPO GREEN",
    "eTISC" is not "TISC".
    """
    if min(len(rare), len(common)) < 6 or rare[0] != common[0] or rare[-1] != common[-1]:
        return False
    return Levenshtein.distance(rare, common) == 1


def _occurrences(spellings: list[Spelling], text: str) -> list[Location]:
    return [s.location for s in spellings if s.text == text]


def _where(location: Location) -> Message:
    if location.annex:
        annex = message(f"annex.{location.annex}")
        return message("place.annex_row", annex=annex, row=location.row)
    if location.footnote is not None:
        return message("place.footnote", footnote=location.footnote)
    if location.paragraph is not None and location.sub_item:
        return message("place.sub_item", paragraph=location.paragraph, sub_item=location.sub_item)
    if location.paragraph is not None:
        return message("place.paragraph", paragraph=location.paragraph)
    return message("place.line", line=location.line)


@check("DA-NAM-002", Severity.WARNING)
def programme_names(context: LintContext) -> Iterator[Flag]:
    """A programme or database name is spelt one way ("IP-TAD", never "IP TAD").

    Spellings that differ only in hyphens, spaces or case are variants of one name; so is
    a rare spelling one letter away from a common one ("PATENSCOPE"). Only spellings that
    really occur are compared, and the more frequent one is taken as right.
    """
    spellings = list(latin_spellings(context.doc))
    counts = Counter(s.text for s in spellings)
    by_key: dict[str, Counter[str]] = defaultdict(Counter)
    for text, count in counts.items():
        by_key[name_key(text)][text] = count
    key_counts = {key: sum(forms.values()) for key, forms in by_key.items()}
    for key, forms in by_key.items():
        usual = max(forms, key=lambda text: (forms[text], -len(text)))
        common_key = next(
            (
                other
                for other, total in key_counts.items()
                if total > key_counts[key] and is_typo(key, other)
            ),
            None,
        )
        if common_key is not None:
            usual = by_key[common_key].most_common(1)[0][0]
        for text in forms:
            if text != usual:
                yield _variant_flag(spellings, text, usual)


def _variant_flag(spellings: list[Spelling], text: str, usual: str) -> Flag:
    places = _occurrences(spellings, text)
    usual_places = _occurrences(spellings, usual)
    return Flag(
        places[0],
        message(
            "names.programme_variant",
            text=text,
            place=_where(places[0]),
            repeated=message("names.times_aside", count=len(places)) if len(places) > 1 else "",
            usual=usual,
            usual_times=message("names.times", count=len(usual_places)),
            usual_place=_where(usual_places[0]),
        ),
    )


@check("DA-NAM-003", Severity.WARNING)
def project_names(context: LintContext) -> Iterator[Flag]:
    """The narrative names a project as Annex II does (a shortened name is fine).

    A different word ("所有其他国家" for "若干国家") is a warning; names that differ only in
    word order or in particles (的, 与/和) are advisories.
    """
    doc = context.doc
    approved = [row for row in doc.annex_projects if row.group == "approved"]
    pairs = [(m.title, m.location, doc.annex_projects) for m in narrative_mentions(doc)]
    pairs += [(a.title, a.location, approved) for a in doc.approvals]
    for title, location, rows in pairs:
        matches = matching_rows(title, rows)
        key = project_key(title)
        if not matches or any(_same_name(key, project_key(row.title)) for row in matches):
            continue
        row = matches[0]
        severity = Severity.ADVISORY if loose_key(title) == loose_key(row.title) else None
        yield Flag(
            location,
            message(
                "names.project_variant",
                place=_where(location),
                title=quote(title, 90),
                row=row.row,
                group=_group_heading(doc, row.group),
                annex_title=quote(row.title, 90),
            ),
            severity,
        )


def _group_heading(doc: ReportDocument, group: str) -> str:
    return quote(next((g.heading for g in doc.annex_groups if g.group == group), group))


def _same_name(key: str, other: str) -> bool:
    return key == other or (
        min(len(key), len(other)) >= 6 and (key.startswith(other) or other.startswith(key))
    )


_NAME_LIKE = re.compile(r"[\u4e00-\u9fff]{2,12}")


@check("DA-NAM-004", Severity.ADVISORY)
def unknown_countries(context: LintContext) -> Iterator[Flag]:
    """A name in a list of countries that is no country we know: a misspelling or an
    outdated name. Needs the gazetteer.

    Only the inner items of a "、" list whose other items are nearly all countries are
    judged, since the first and last items carry the surrounding words.
    """
    gazetteer = context.gazetteer
    if gazetteer is None:
        return
    for unit in all_units(context.doc):
        for clause in re.split(r"[，,；;：:。（）()]", unit.text):
            items = [item.strip() for item in clause.split("、")]
            inner = items[1:-1]
            if len(items) < 4:
                continue
            known = [item for item in items if _is_country(gazetteer, item)]
            if len(known) < 0.75 * len(inner) or len(known) < 3:
                continue
            for item in inner:
                if _NAME_LIKE.fullmatch(item) and not _is_country(gazetteer, item):
                    yield Flag(unit.location, _unknown_country_message(gazetteer, item))


def _is_country(gazetteer: Gazetteer, name: str) -> bool:
    entry = gazetteer.resolve(name)
    return entry is not None and entry.kind == "country"


def _unknown_country_message(gazetteer: Gazetteer, name: str) -> Message:
    candidates = gazetteer.candidates(name, limit=1)
    if not candidates:
        return message("names.unknown_country", name=name)
    suggestion = candidates[0][0].name_zh
    return message("names.unknown_country_suggestion", name=name, suggestion=suggestion)


CHECKS = [expected_result_titles, programme_names, project_names, unknown_countries]
