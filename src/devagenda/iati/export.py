"""The IATI 2.03 activity file: Development Agenda projects as parent activities, the
technical-assistance activities as their children (standalone when they belong to no
project).

Only stated facts are written. IATI's schema requires some elements of every activity
(a description, a participating organisation, a status and at least one date); where the
knowledge base states none of them, the record is held back and the summary says why,
rather than filled with a guess:

- no start or end date stated: held back (IATI has no way to say "not stated");
- no description stated: the title stands in for it (a warning), as it invents nothing;
- a date the source gives only to the month or year is written with a narrative saying
  so (a warning), since IATI dates are days.

Recommendations and expected results are written as sectors of vocabulary 99 (the
reporting organisation's own codes: `DA-REC-10`, `MTSP-ER-4.1`), not as `result`
elements: an IATI result needs at least one indicator with a measure, and the knowledge
base holds no indicators, so results could only be written with invented ones.

The element order follows the schema's sequence for `iati-activity`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, Protocol

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from devagenda.activities.models import Activity, ActivityBeneficiary, ActivityProject
from devagenda.catalogue.models import (
    DatePrecision,
    Project,
    ProjectBeneficiary,
    ProjectStatus,
)
from devagenda.core.models import TranslationMixin
from devagenda.iati.schemas import IatiRecordNote, IatiSummary, RecordKind
from devagenda.reference.codes import NameKind
from devagenda.reference.models import ActorGroupName, CountryName, ExpectedResult

IATI_VERSION = "2.03"
XML_LANG = etree.QName("http://www.w3.org/XML/1998/namespace", "lang").text
DEFAULT_LANGUAGE = "en"
BATCH = 500  # activities read per query

WIPO_NAMES = {"en": "World Intellectual Property Organization", "zh": "世界知识产权组织"}
MULTILATERAL = "40"  # OrganisationType: WIPO is a UN specialized agency
FUNDING, IMPLEMENTING = "1", "4"  # OrganisationRole
GENERAL_DESCRIPTION = "1"  # DescriptionType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED = "1", "2", "3", "4"  # ActivityStatus
MULTINATIONAL, NATIONAL = "3", "4"  # ActivityScope
PARENT, CHILD = "1", "2"  # RelatedActivityType
REPORTING_ORGANISATION_VOCABULARY = "99"  # SectorVocabulary and RegionVocabulary
ISO_COUNTRY = "A4"  # GeographicVocabulary: ISO 3166-1 alpha-2
ACTIVITY_REACH = "1"  # GeographicLocationReach: where the activity takes place
OECD_DAC = "1"  # AidTypeVocabulary
PROJECT_TYPE_INTERVENTION = "C01"  # AidType: a DA project is a project
OTHER_TECHNICAL_ASSISTANCE = "D02"  # AidType: what IP-TAD records
RECOMMENDATIONS_URI = "https://www.wipo.int/ip-development/en/agenda/recommendations.html"

# A project's stage says whether its dates have happened yet (IATI: planned or actual).
PROJECT_STATUS = {
    ProjectStatus.PROPOSED: PIPELINE,
    ProjectStatus.APPROVED: PIPELINE,
    ProjectStatus.ONGOING: IMPLEMENTATION,
    ProjectStatus.COMPLETED: FINALISATION,  # complete, its evaluation still to come
    ProjectStatus.EVALUATED: CLOSED,
}
STARTED = {ProjectStatus.ONGOING, ProjectStatus.COMPLETED, ProjectStatus.EVALUATED}
ENDED = {ProjectStatus.COMPLETED, ProjectStatus.EVALUATED}

# IATI forbids these in identifiers; a code holding one is not used in an identifier.
_IDENTIFIER_PART = re.compile(r"[A-Za-z0-9._-]+")
# Characters XML 1.0 cannot carry (control characters, non-characters); a stored text
# holding one is written without it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class StatedDate:
    kind: str  # ActivityDateType
    day: date
    precision: DatePrecision = DatePrecision.DAY


@dataclass
class _Notes:
    held_back: list[IatiRecordNote] = field(default_factory=list)
    warnings: list[IatiRecordNote] = field(default_factory=list)


def export_iati(
    session: Session,
    target: IO[bytes],
    *,
    reporting_org: str,
    today: date | None = None,
    generated: datetime | None = None,
) -> IatiSummary:
    """Write the IATI activity file of every project and activity to `target`.

    It only reads, in batches, letting go of each batch's records once written:
    `session` should hold nothing else (no pending writes).

    `today` decides whether an activity's dates are planned or actual (IP-TAD records
    activities delivered: a day that has passed happened); `generated` is the file's
    `generated-datetime`. Both default to now.
    """
    today = today or date.today()
    generated = generated or datetime.now(UTC)
    writer = _Writer(session, reporting_org, today)
    with etree.xmlfile(target, encoding="utf-8") as xml:
        xml.write_declaration()
        attributes = {
            "version": IATI_VERSION,
            "generated-datetime": generated.isoformat(timespec="seconds"),
        }
        with xml.element("iati-activities", attributes):
            for element in writer.elements():
                xml.write(element, pretty_print=True)
    return IatiSummary(
        reporting_org=reporting_org,
        projects=writer.written["project"],
        activities=writer.written["activity"],
        held_back=writer.notes.held_back,
        warnings=writer.notes.warnings,
    )


def project_identifier(reporting_org: str, project_id: int, code: str | None) -> str:
    """`XM-DAC-41308-DA_1_10_12_40` by the catalogue code; by the record id without one."""
    if usable_code(code):
        return f"{reporting_org}-{code}"
    return f"{reporting_org}-DA-PROJECT-{project_id}"


def activity_identifier(reporting_org: str, activity_id: int, code: str | None) -> str:
    """`XM-DAC-41308-TAD-3409` by the IP-TAD code; by the record id without one."""
    if usable_code(code):
        return f"{reporting_org}-TAD-{code}"
    return f"{reporting_org}-TAD-ID-{activity_id}"


def usable_code(code: str | None) -> bool:
    """Whether a record's code can be part of an IATI identifier."""
    return bool(code and _IDENTIFIER_PART.fullmatch(code))


class _Writer:
    """Builds one `iati-activity` element per record, noting what it leaves out."""

    def __init__(self, session: Session, reporting_org: str, today: date) -> None:
        self.session = session
        self.org = reporting_org
        self.today = today
        self.notes = _Notes()
        self.written: dict[RecordKind, int] = {"project": 0, "activity": 0}
        self.expected_results = {
            result.code: result for result in session.scalars(select(ExpectedResult))
        }
        self.projects: dict[int, str | None] = {}
        self.children: dict[int, list[str]] = defaultdict(list)
        links = session.execute(
            select(ActivityProject.project_id, Activity.id, Activity.code)
            .join(Activity, Activity.id == ActivityProject.activity_id)
            .order_by(ActivityProject.project_id, Activity.id)
        )
        for project_id, activity_id, code in links:
            self.children[project_id].append(activity_identifier(self.org, activity_id, code))

    def elements(self) -> Iterator[etree._Element]:
        projects = self.session.scalars(
            select(Project)
            .options(
                selectinload(Project.beneficiaries), selectinload(Project.recommendation_links)
            )
            .order_by(Project.id)
        ).all()
        self.projects = {project.id: project.code for project in projects}
        for project in projects:
            element = self._project(project)
            if element is not None:
                yield element
        for batch in self._activity_batches():
            for activity in batch:
                element = self._activity(activity)
                if element is not None:
                    yield element
            # Let go of the batch written, so a million activities need no more memory
            # than a few hundred.
            self.session.expunge_all()

    def _activity_batches(self) -> Iterator[Sequence[Activity]]:
        """Activities in id order, BATCH at a time, each batch a query of its own (by the
        last id seen), so that a batch can be let go once written."""
        after = 0
        while True:
            batch = self.session.scalars(
                select(Activity)
                .options(
                    selectinload(Activity.descriptions),
                    selectinload(Activity.beneficiaries),
                    selectinload(Activity.host_country),
                    selectinload(Activity.recommendation_links),
                    selectinload(Activity.expected_result_links),
                    selectinload(Activity.project_links),
                )
                .where(Activity.id > after)
                .order_by(Activity.id)
                .limit(BATCH)
            ).all()
            if not batch:
                return
            after = batch[-1].id
            yield batch

    # -- the two kinds of record ---------------------------------------------------------

    def _project(self, project: Project) -> etree._Element | None:
        identifier = project_identifier(self.org, project.id, project.code)
        note = _noter(self.notes, "project", project.id, project.code, identifier)
        dates = _project_dates(project)
        if not dates:
            note("no start or end date stated", held_back=True)
            return None
        if not usable_code(project.code):
            note("no usable catalogue code: the identifier uses the record id")
        activity = self._start(identifier, hierarchy=1, updated=project.updated_at)
        self._title_and_description(activity, project.texts, [], note)
        self._participants(activity, funding_source=None)
        _add(activity, "activity-status", code=PROJECT_STATUS[project.status])
        self._dates(activity, dates, note)
        self._recipients(activity, project.beneficiaries)
        self._sectors(
            activity, [link.recommendation_number for link in project.recommendation_links]
        )
        _aid_type(activity, PROJECT_TYPE_INTERVENTION)
        for child in self.children.get(project.id, []):
            _add(activity, "related-activity", ref=child, type=CHILD)
        self.written["project"] += 1
        return activity

    def _activity(self, activity: Activity) -> etree._Element | None:
        identifier = activity_identifier(self.org, activity.id, activity.code)
        note = _noter(self.notes, "activity", activity.id, activity.code, identifier)
        if not activity.texts:
            note("no title stated", held_back=True)
            return None
        dates = self._activity_dates(activity)
        if not dates:
            note("no start or end date stated", held_back=True)
            return None
        if not usable_code(activity.code):
            note("no usable IP-TAD code: the identifier uses the record id")
        parents = [link.project_id for link in activity.project_links]
        element = self._start(
            identifier, hierarchy=2 if parents else None, updated=activity.updated_at
        )
        self._title_and_description(element, activity.texts, activity.descriptions, note)
        self._participants(element, funding_source=activity.funding_source)
        _add(element, "activity-status", code=self._activity_status(dates))
        self._dates(element, dates, note)
        scope = _scope(activity.beneficiaries)
        if scope:
            _add(element, "activity-scope", code=scope)
        self._recipients(element, activity.beneficiaries)
        self._venue(element, activity)
        self._sectors(
            element,
            [link.recommendation_number for link in activity.recommendation_links],
            [link.expected_result_code for link in activity.expected_result_links],
        )
        _aid_type(element, OTHER_TECHNICAL_ASSISTANCE)
        for project_id in parents:
            ref = project_identifier(self.org, project_id, self.projects.get(project_id))
            _add(element, "related-activity", ref=ref, type=PARENT)
        self.written["activity"] += 1
        return element

    # -- elements shared by both ---------------------------------------------------------

    def _start(
        self, identifier: str, *, hierarchy: int | None, updated: datetime | None
    ) -> etree._Element:
        attributes = {XML_LANG: DEFAULT_LANGUAGE}
        if updated is not None:
            # SQLite gives back its UTC timestamps without a zone.
            stamp = updated if updated.tzinfo else updated.replace(tzinfo=UTC)
            attributes["last-updated-datetime"] = stamp.isoformat(timespec="seconds")
        if hierarchy is not None:
            attributes["hierarchy"] = str(hierarchy)
        activity = etree.Element("iati-activity", attributes)
        _add(activity, "iati-identifier").text = identifier
        self._organisation(activity, "reporting-org", ref=self.org, type=MULTILATERAL)
        return activity

    def _organisation(self, parent: etree._Element, tag: str, **attributes: str) -> None:
        organisation = _add(parent, tag, **attributes)
        _narratives(organisation, sorted(WIPO_NAMES.items()))

    def _title_and_description(
        self,
        activity: etree._Element,
        titles: Sequence[TranslationMixin],
        descriptions: Sequence[TranslationMixin],
        note: _Note,
    ) -> None:
        _narratives(_add(activity, "title"), _texts(titles))
        if not descriptions:
            note("no description stated: the title stands in for it")
        description = _add(activity, "description", type=GENERAL_DESCRIPTION)
        _narratives(description, _texts(descriptions or titles))

    def _participants(self, activity: etree._Element, *, funding_source: str | None) -> None:
        if funding_source:
            funder = _add(activity, "participating-org", role=FUNDING)
            _narratives(funder, [(_script_language(funding_source), funding_source)])
        self._organisation(
            activity, "participating-org", ref=self.org, type=MULTILATERAL, role=IMPLEMENTING
        )

    def _dates(self, activity: etree._Element, dates: list[StatedDate], note: _Note) -> None:
        for stated in dates:
            element = _add(
                activity, "activity-date", type=stated.kind, **{"iso-date": stated.day.isoformat()}
            )
            if stated.precision is not DatePrecision.DAY:
                note(f"a date is stated to the {stated.precision.value} only: {_period(stated)}")
                _narratives(element, _precision_narratives(stated))

    def _recipients(
        self,
        activity: etree._Element,
        beneficiaries: Sequence[ProjectBeneficiary | ActivityBeneficiary],
    ) -> None:
        countries = [link.country for link in beneficiaries if link.country is not None]
        groups = [link.group for link in beneficiaries if link.group is not None]
        for country in countries:
            recipient = _add(activity, "recipient-country", code=country.alpha2)
            _narratives(recipient, _official_names(country.names))
        for group in groups:
            recipient = _add(
                activity,
                "recipient-region",
                code=group.code,
                vocabulary=REPORTING_ORGANISATION_VOCABULARY,
            )
            _narratives(recipient, _official_names(group.names))

    def _venue(self, activity: etree._Element, record: Activity) -> None:
        if not record.venue_city and record.host_country is None:
            return
        location = _add(activity, "location")
        _add(location, "location-reach", code=ACTIVITY_REACH)
        name = record.venue_city or record.host_country.name("en")  # type: ignore[union-attr]
        _narratives(_add(location, "name"), [(_script_language(name), name)])
        if record.host_country is not None:
            _add(
                location,
                "administrative",
                vocabulary=ISO_COUNTRY,
                level="0",
                code=record.host_country.alpha2,
            )

    def _sectors(
        self,
        activity: etree._Element,
        recommendations: Sequence[int],
        expected_results: Sequence[str] = (),
    ) -> None:
        for number in recommendations:
            sector = _add(
                activity,
                "sector",
                vocabulary=REPORTING_ORGANISATION_VOCABULARY,
                **{"vocabulary-uri": RECOMMENDATIONS_URI},
                code=f"DA-REC-{number}",
            )
            _narratives(
                sector,
                [
                    ("en", f"Development Agenda recommendation {number}"),
                    ("zh", f"发展议程建议{number}"),
                ],
            )
        for code in expected_results:
            sector = _add(
                activity,
                "sector",
                vocabulary=REPORTING_ORGANISATION_VOCABULARY,
                code=f"MTSP-ER-{code}",
            )
            result = self.expected_results.get(code)
            titles = _texts(result.texts) if result is not None else []
            _narratives(sector, [(language, f"{code} {text}") for language, text in titles])

    # -- what dates mean ---------------------------------------------------------------

    def _activity_dates(self, activity: Activity) -> list[StatedDate]:
        dates = []
        if activity.start_date is not None:
            started = activity.start_date <= self.today
            dates.append(
                StatedDate(ACTUAL_START if started else PLANNED_START, activity.start_date)
            )
        if activity.end_date is not None:
            ended = activity.end_date < self.today
            dates.append(StatedDate(ACTUAL_END if ended else PLANNED_END, activity.end_date))
        return dates

    def _activity_status(self, dates: list[StatedDate]) -> str:
        """Closed once its last stated day has passed, in the pipeline before its first."""
        first, last = dates[0].day, dates[-1].day
        if last < self.today:
            return CLOSED
        return IMPLEMENTATION if first <= self.today else PIPELINE


class _Note(Protocol):
    """Records a reason about the record being written (`held_back`: left out)."""

    def __call__(self, reason: str, *, held_back: bool = False) -> None: ...


def _noter(
    notes: _Notes, kind: RecordKind, record_id: int, code: str | None, identifier: str
) -> _Note:
    def note(reason: str, *, held_back: bool = False) -> None:
        entry = IatiRecordNote(
            kind=kind, id=record_id, code=code, identifier=identifier, reason=reason
        )
        (notes.held_back if held_back else notes.warnings).append(entry)

    return note


def _project_dates(project: Project) -> list[StatedDate]:
    dates = []
    if project.start_date is not None:
        kind = ACTUAL_START if project.status in STARTED else PLANNED_START
        dates.append(
            StatedDate(kind, project.start_date, project.start_precision or DatePrecision.DAY)
        )
    if project.end_date is not None:
        kind = ACTUAL_END if project.status in ENDED else PLANNED_END
        dates.append(StatedDate(kind, project.end_date, project.end_precision or DatePrecision.DAY))
    return dates


def _scope(beneficiaries: Sequence[ActivityBeneficiary]) -> str | None:
    """National for one beneficiary country, multi-national for several; a group says
    nothing about scope that IATI's codes could carry without a guess."""
    if not beneficiaries or any(link.group_code for link in beneficiaries):
        return None
    return NATIONAL if len(beneficiaries) == 1 else MULTINATIONAL


def _aid_type(activity: etree._Element, code: str) -> None:
    _add(activity, "default-aid-type", code=code, vocabulary=OECD_DAC)


def _period(stated: StatedDate) -> str:
    if stated.precision is DatePrecision.YEAR:
        return str(stated.day.year)
    return f"{_MONTHS[stated.day.month - 1]} {stated.day.year}"


def _precision_narratives(stated: StatedDate) -> list[tuple[str, str]]:
    if stated.precision is DatePrecision.YEAR:
        return [
            ("en", f"{stated.day.year}: the source states the year only"),
            ("zh", f"{stated.day.year}年（来源只说明年份）"),
        ]
    return [
        ("en", f"{_period(stated)}: the source states the month only"),
        ("zh", f"{stated.day.year}年{stated.day.month}月（来源只说明月份）"),
    ]


def _official_names(names: Sequence[CountryName | ActorGroupName]) -> list[tuple[str, str]]:
    """A country's or group's official name in each language that has one (no English
    name written as if it were the Chinese one)."""
    found: dict[str, str] = {}
    for name in names:
        if name.kind == NameKind.OFFICIAL:
            found.setdefault(name.language, name.name)
    return sorted(found.items())


def _script_language(text: str) -> str | None:
    """ "zh" for a name written in Chinese characters; None (the file's default, English)
    otherwise. Names such as a venue or a fund are stored without their language."""
    return "zh" if _HAN.search(text) else None


def _texts(texts: Sequence[TranslationMixin]) -> list[tuple[str | None, str]]:
    return [(text.language, text.text) for text in texts if text.text.strip()]


def _narratives(parent: etree._Element, texts: Sequence[tuple[str | None, str]]) -> None:
    for language, text in texts:
        narrative = _add(parent, "narrative", **({XML_LANG: language} if language else {}))
        narrative.text = _NOT_XML.sub("", text)


def _add(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, attributes)
